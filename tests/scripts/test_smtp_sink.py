"""scripts/smtp_sink.py, the stack's mail server: what it counts as delivered is what the stack
tests count (tests/stack), so its two rules are tested here, without a stack."""

import email
import smtplib
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import smtp_sink

MESSAGE = "From: a@muster.example\r\nTo: b@stack.example\r\nSubject: Hello\r\n\r\nBody\r\n"


@pytest.fixture
def sink(tmp_path):
    server = smtp_sink.Server(("127.0.0.1", 0), smtp_sink.Handler)
    server.outbox = tmp_path
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], tmp_path
    server.shutdown()
    server.server_close()


def test_an_answered_message_is_written_with_its_envelope(sink):
    port, outbox = sink
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail("a@muster.example", ["b@stack.example"], MESSAGE)
    [path] = outbox.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes())
    assert message["X-Envelope-To"] == "b@stack.example"
    assert message["Subject"] == "Hello"


def test_a_client_gone_before_the_answer_delivered_nothing(sink):
    port, outbox = sink
    (outbox / "hold").write_text("10")
    client = socket.create_connection(("127.0.0.1", port), timeout=10)
    reader = client.makefile("rb")
    reader.readline()  # greeting
    for line in ["EHLO test", "MAIL FROM:<a@muster.example>", "RCPT TO:<b@stack.example>", "DATA"]:
        client.sendall(line.encode() + b"\r\n")
        reader.readline()
    client.sendall(MESSAGE.encode() + b".\r\n")
    deadline = time.monotonic() + 10
    while not (outbox / "holding").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (outbox / "holding").exists()
    reader.close()
    client.close()  # the sender dies while the server holds its answer
    deadline = time.monotonic() + 10
    while (outbox / "holding").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not (outbox / "holding").exists()
    assert list(outbox.glob("*.eml")) == []
