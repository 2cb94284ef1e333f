"""The stack the faults are tested against: `make test-stack` starts one (scripts/stack.py, in
var/stack-test on free ports, without the demo data) and stops it at the end. With
MUSTER_STACK_DIR naming the folder of a running stack (`make stack` uses var/stack), the tests
use that one and leave it running.

These tests talk HTTP to real processes: through nginx (TLS) as a browser would, or straight to
one app server to choose which one answers (then with the headers nginx adds).
"""

import email
import http.client
import json
import os
import secrets
import string
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import stack as stack_script  # noqa: E402


@pytest.fixture(scope="session")
def stack():
    reuse = os.environ.get("MUSTER_STACK_DIR")
    if reuse:
        yield stack_script.Stack(reuse)
        return
    running = stack_script.Stack(ROOT / "var" / "stack-test")
    if running.state:
        running.stop()  # left behind by an interrupted run
    running.start(port=0, demo=False)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def seed(stack):
    """People, sessions and signed-in session keys for this run (tests/stack/seed.py)."""
    env = {**stack.env, "STACK_RUN": secrets.token_hex(3)}
    out = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "stack" / "seed.py")],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Client:
    """One request per connection, cookies given explicitly: each call is one person's request.

    CSRF: Django accepts a request whose X-CSRFToken equals its csrftoken cookie (a fresh
    32-character secret) and whose Origin is the site's, which is what a browser sends."""

    def __init__(self, stack):
        self.stack = stack
        self.proxy_port = stack.state["ports"]["proxy"]
        self.site_host = f"127.0.0.1:{self.proxy_port}"

    def request(
        self,
        method,
        path,
        *,
        server="proxy",
        host=None,
        session=None,
        data=None,
        ip=None,
        headers=None,
        timeout=60,
    ):
        host = host or self.site_host
        csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        cookies = {"csrftoken": csrf}
        if session:
            cookies["sessionid"] = session
        sent = {
            "Host": host,
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Origin": f"https://{host}",
            "Referer": f"https://{host}/",
            "X-CSRFToken": csrf,
            "User-Agent": "muster-stack-tests",
        }
        if server == "proxy":
            connection = http.client.HTTPSConnection(
                "127.0.0.1",
                self.proxy_port,
                timeout=timeout,
                context=stack_script.insecure_context(),
            )
        else:
            # Straight to one app server: the headers nginx would have added.
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.stack.state["ports"][server], timeout=timeout
            )
            sent["X-Forwarded-Proto"] = "https"
            sent["X-Real-IP"] = ip or "192.0.2.1"
            sent["X-Forwarded-For"] = ip or "192.0.2.1"
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            return Response(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data=None, **kwargs):
        return self.request("POST", path, data=data or {}, **kwargs)


@pytest.fixture(scope="session")
def client(stack):
    return Client(stack)


@pytest.fixture(scope="session")
def stack_db(stack):
    """A connection to the stack's database, to count what the requests wrote."""

    def query(sql, *params):
        with psycopg.connect(stack.state["env"]["DATABASE_URL"], autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    return query


def registration_counts(stack_db, reference):
    rows = stack_db(
        "SELECT r.status, count(*) FROM training_sessions_registration r "
        "JOIN training_sessions_trainingsession s ON s.id = r.session_id "
        "WHERE s.reference = %s GROUP BY r.status",
        reference,
    )
    return dict(rows)


def mails_to(stack, address):
    """The e-mails the stack's SMTP server accepted for `address`."""
    found = []
    for path in sorted(stack.outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        if address in message.get("X-Envelope-To", ""):
            found.append(message)
    return found


def wait_until(condition, *, timeout, interval=0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
