#!/usr/bin/env python
"""A local SMTP server for `make stack`: every accepted message is written to a folder as
`<n>.eml`, so a person or a test can read what the site sent. Standard library only.

A message counts as delivered only once the server has answered "250" to its DATA, as with a
real mail server. With a file named `hold` in the folder (its content a number of seconds), the
server waits that long before answering; a client that disconnects meanwhile (a worker killed
mid-send) has delivered nothing, and the message is dropped. That is what lets the stack's tests
kill a worker in the middle of sending and count what arrived.
"""

import argparse
import itertools
import os
import select
import socket
import socketserver
import time
from pathlib import Path

COUNTER = itertools.count(1)


class Handler(socketserver.StreamRequestHandler):
    timeout = 60

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        outbox = self.server.outbox
        self.reply("220 muster-stack SMTP sink")
        envelope_to = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in {"HELO", "EHLO"}:
                self.reply("250 muster-stack")
            elif verb == "MAIL":
                envelope_to = []
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope_to.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = bytearray()
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk in {b".\r\n", b".\n"}:
                        break
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                if not chunk:
                    return
                if not self.hold_and_check_client(outbox):
                    return  # the client vanished before our answer: nothing was delivered
                number = next(COUNTER)
                tmp = outbox / f".{os.getpid()}-{number}.tmp"
                header = b"X-Envelope-To: " + ", ".join(envelope_to).encode() + b"\r\n"
                tmp.write_bytes(header + data)
                tmp.rename(outbox / f"{time.time_ns()}-{number}.eml")
                self.reply("250 OK: queued")
            elif verb == "RSET":
                envelope_to = []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def hold_and_check_client(self, outbox):
        hold = outbox / "hold"
        try:
            seconds = float(hold.read_text().strip() or 0)
        except (OSError, ValueError):
            seconds = 0
        if seconds:
            (outbox / "holding").write_text(str(os.getpid()))
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                readable, _, _ = select.select([self.connection], [], [], 0.2)
                if readable and not self.connection.recv(1, socket.MSG_PEEK):
                    (outbox / "holding").unlink(missing_ok=True)
                    return False
            (outbox / "holding").unlink(missing_ok=True)
        return True


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--outbox", type=Path, required=True)
    args = parser.parse_args()
    args.outbox.mkdir(parents=True, exist_ok=True)
    with Server(("127.0.0.1", args.port), Handler) as server:
        server.outbox = args.outbox
        server.serve_forever()


if __name__ == "__main__":
    main()
