#!/usr/bin/env python
"""`make stack` / `make stack-stop`: the production profile on this machine, for trying and testing.

    python scripts/stack.py start [--dir var/stack] [--port 8443] [--no-demo]
    python scripts/stack.py stop  [--dir var/stack]
    python scripts/stack.py status [--dir var/stack]

`start` runs, all on 127.0.0.1 and each recorded by a pid file in the stack's folder:
- a throwaway PostgreSQL cluster (scripts/run_tests.py's, from Debian's /usr/lib/postgresql);
- Redis (Debian's redis-server), the cache and rate-limit counter shared by the app servers;
- a local SMTP server (scripts/smtp_sink.py) that writes every e-mail to <dir>/outbox/;
- two gunicorn app servers with `muster.settings.production`;
- nginx (Debian's) as the TLS-terminating reverse proxy in front of both (self-signed cert);
- the task worker (`manage.py run_worker`) under a supervisor: this script, which restarts it
  whenever it exits, with back-off.
It migrates, collects static files, loads the demo data, and prints the URL and the logins.
The environment every process gets is written to <dir>/env (source it to run manage.py against
the stack). `stop` stops everything by its pid file and removes the cluster.

tests/stack (make test-stack) imports this module to start its own stack and to break pieces of
it (PostgreSQL restarted, Redis stopped, the worker killed).
"""

import argparse
import contextlib
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_tests import Cluster, find_pg_bin, free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEBIAN_PACKAGES = {"redis-server": "redis-server", "nginx": "nginx", "openssl": "openssl"}
# Stopped in this order: the proxy first (no new requests), the database last.
# The worker after its supervisor: should the supervisor not have stopped it, it goes too.
SERVICES = ["nginx", "app1", "app2", "supervisor", "worker", "smtp", "redis"]


def log(message):
    print(f"[stack] {message}", flush=True)


def ensure_debian_packages():
    """Install redis-server, nginx and openssl with apt-get when missing (PostgreSQL is installed
    by .ci/run and make test's instructions already)."""
    missing = [pkg for binary, pkg in DEBIAN_PACKAGES.items() if not _which(binary)]
    if find_pg_bin() is None:
        missing.append("postgresql")
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    log(f"Installing {' '.join(missing)} with apt-get")
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def _which(binary):
    return shutil.which(binary) or next(
        (str(p) for p in (Path("/usr/sbin") / binary, Path("/usr/bin") / binary) if p.exists()),
        None,
    )


class StackCluster(Cluster):
    """run_tests.py's throwaway cluster, with its server options kept so it can be restarted."""

    def options(self):
        return (
            f"-h 127.0.0.1 -p {self.port} -k {self.tmp} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )


class Stack:
    """A stack in a folder: its state file says where everything is, so another process (make
    stack-stop, a test) can find and stop it."""

    def __init__(self, directory):
        self.dir = Path(directory).resolve()
        self.state_file = self.dir / "state.json"
        self.state = json.loads(self.state_file.read_text()) if self.state_file.exists() else {}

    # -- paths and state ------------------------------------------------------------------------

    def pidfile(self, name):
        return self.dir / f"{name}.pid"

    def logfile(self, name):
        return self.dir / "logs" / f"{name}.log"

    @property
    def env(self):
        return {**os.environ, **self.state["env"]}

    @property
    def url(self):
        return self.state["url"]

    @property
    def outbox(self):
        return self.dir / "outbox"

    def save(self):
        self.state_file.write_text(json.dumps(self.state, indent=2))

    # -- starting -------------------------------------------------------------------------------

    def start(self, *, port=8443, demo=True):
        if self.state_file.exists():
            raise SystemExit(f"A stack already runs from {self.dir}: `make stack-stop` first.")
        ensure_debian_packages()
        bindir = find_pg_bin()
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "logs").mkdir(exist_ok=True)
        self.outbox.mkdir(exist_ok=True)
        ports = {
            "proxy": port or free_port(),
            "app1": free_port(),
            "app2": free_port(),
            "redis": free_port(),
            "smtp": free_port(),
        }
        base_url = f"https://127.0.0.1:{ports['proxy']}"
        self.state = {"ports": ports, "url": base_url}
        try:
            self._start_postgres(bindir)
            self.state["env"] = {
                "DJANGO_SETTINGS_MODULE": "muster.settings.production",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "CSRF_TRUSTED_ORIGINS": (
                    f"https://127.0.0.1:{ports['proxy']},https://localhost:{ports['proxy']}"
                ),
                "MUSTER_BASE_URL": base_url,
                "DATABASE_URL": self.state["postgres"]["url"],
                "REDIS_URL": f"redis://127.0.0.1:{ports['redis']}/0",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(ports["smtp"]),
                "EMAIL_USE_TLS": "false",
                "DEFAULT_FROM_EMAIL": "Muster <training@muster.example>",
                # The proxy sets X-Real-IP to the connecting address and overwrites any sent.
                "MUSTER_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
                # A self-signed certificate on 127.0.0.1: no HSTS pinned in the browser.
                "SECURE_HSTS_SECONDS": "0",
                "SECURE_HSTS_PRELOAD": "false",
                "STATIC_ROOT": str(self.dir / "static"),
                "MEDIA_ROOT": str(self.dir / "media"),
                "LOG_LEVEL": "WARNING",
                # A killed worker's task is queued again once its lease runs out: short here, so
                # tests/stack sees the retry within a minute.
                "MUSTER_TASK_LEASE_SECONDS": "15",
                "PYTHONUNBUFFERED": "1",
            }
            self.save()
            (self.dir / "env").write_text(
                "".join(f"{k}={shlex.quote(v)}\n" for k, v in self.state["env"].items())
            )
            self._start_redis()
            self._spawn(
                "smtp",
                [
                    PYTHON,
                    str(ROOT / "scripts" / "smtp_sink.py"),
                    "--port",
                    str(ports["smtp"]),
                    "--outbox",
                    str(self.outbox),
                ],
            )
            log("migrate, collectstatic" + (", seed_demo" if demo else ""))
            self.manage("migrate", "--no-input", quiet=True)
            self.manage("collectstatic", "--no-input", quiet=True)
            if demo:
                # The app servers run production settings, which leave the demo app out.
                self.manage("seed_demo", quiet=True, settings="muster.settings.stack")
            for name in ("app1", "app2"):
                self._start_app(name)
            self._start_proxy()
            self._spawn(
                "supervisor",
                [PYTHON, str(Path(__file__).resolve()), "supervise", "--dir", str(self.dir)],
            )
            self.wait_ready()
        except BaseException:
            log(f"start failed; logs are in {self.dir / 'logs'}. Stopping what started.")
            self.stop(keep_logs=True)
            raise
        return self

    def manage(self, *args, quiet=False, settings=None):
        env = self.env if settings is None else {**self.env, "DJANGO_SETTINGS_MODULE": settings}
        subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL if quiet else None,
        )

    def _start_postgres(self, bindir):
        if bindir is None:
            raise SystemExit("PostgreSQL server binaries not found under /usr/lib/postgresql.")
        cluster = StackCluster(bindir)
        url = cluster.start()
        self.state["postgres"] = {
            "bindir": str(bindir),
            "tmp": str(cluster.tmp),
            "port": cluster.port,
            "prefix": cluster.prefix,
            "options": cluster.options(),
            "url": url,
        }
        self.save()

    def _cluster(self):
        pg = self.state["postgres"]
        cluster = StackCluster.__new__(StackCluster)
        cluster.bindir = Path(pg["bindir"])
        cluster.tmp = Path(pg["tmp"])
        cluster.data = cluster.tmp / "data"
        cluster.port = pg["port"]
        cluster.prefix = pg["prefix"]
        return cluster

    def _start_redis(self):
        subprocess.run(
            [
                _which("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.state["ports"]["redis"]),
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.pidfile("redis")),
                "--dir",
                str(self.dir),
                "--logfile",
                str(self.logfile("redis")),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        wait_for_port(self.state["ports"]["redis"])

    def _start_app(self, name):
        port = self.state["ports"][name]
        self._spawn(
            name,
            [
                PYTHON,
                "-m",
                "gunicorn",
                "muster.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                # Threads give real concurrency for the seat-locking tests on a small machine.
                "--workers",
                "2",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                "--name",
                f"muster-{name}",
                "--access-logfile",
                str(self.logfile(f"{name}-access")),
            ],
        )

    def _start_proxy(self):
        tls = self.dir / "tls"
        tls.mkdir(exist_ok=True)
        if not (tls / "cert.pem").exists():
            subprocess.run(
                [
                    _which("openssl"),
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "30",
                    "-subj",
                    "/CN=localhost",
                    "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout",
                    str(tls / "key.pem"),
                    "-out",
                    str(tls / "cert.pem"),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        ports = self.state["ports"]
        temp = self.dir / "nginx"
        temp.mkdir(exist_ok=True)
        conf = self.dir / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                dir=self.dir,
                temp=temp,
                logs=self.dir / "logs",
                port=ports["proxy"],
                app1=ports["app1"],
                app2=ports["app2"],
                tls=tls,
                user="user root root;" if os.geteuid() == 0 else "",
            )
        )
        (temp / "logs").mkdir(exist_ok=True)
        self._spawn("nginx", [_which("nginx"), "-c", str(conf), "-p", str(temp)])

    def _spawn(self, name, command):
        with open(self.logfile(name), "ab") as out:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env if "env" in self.state else None,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        # nginx writes its own pid file (the same pid, it runs in the foreground).
        self.pidfile(name).write_text(str(process.pid))
        return process

    def wait_ready(self, timeout=120):
        ports = self.state["ports"]
        for name in ("app1", "app2", "proxy"):
            wait_for_port(ports[name], timeout=timeout)
        deadline = time.monotonic() + timeout
        while True:
            try:
                status = get_status(self.url + "/")
                if status == 200:
                    return
            except OSError:
                status = None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.url}/ does not answer 200 (last: {status})")
            time.sleep(0.5)

    # -- breaking and mending (tests) -----------------------------------------------------------

    def pid(self, name):
        try:
            return int(self.pidfile(name).read_text().strip())
        except (OSError, ValueError):
            return None

    def postgres_stop(self):
        cluster = self._cluster()
        cluster.run(
            str(cluster.bindir / "pg_ctl"), "-D", str(cluster.data), "-m", "fast", "-w", "stop"
        )

    def postgres_start(self):
        cluster = self._cluster()
        cluster.run(
            str(cluster.bindir / "pg_ctl"),
            "-D",
            str(cluster.data),
            "-o",
            self.state["postgres"]["options"],
            "-l",
            str(cluster.tmp / "server.log"),
            "-w",
            "start",
        )

    def redis_stop(self):
        stop_pid(self.pid("redis"))

    def redis_start(self):
        self._start_redis()

    # -- stopping -------------------------------------------------------------------------------

    def stop(self, *, keep_logs=False):
        # The front (proxy, app servers, the worker's supervisor) stop together, then what they
        # use: a worker finishing its task still has its database and mail server.
        for group in (SERVICES[:4], SERVICES[4:]):
            stop_pids([self.pid(name) for name in group])
            for name in group:
                self.pidfile(name).unlink(missing_ok=True)
        if "postgres" in self.state:
            cluster = self._cluster()
            if cluster.data.exists():
                cluster.stop()
            shutil.rmtree(cluster.tmp, ignore_errors=True)
        self.state_file.unlink(missing_ok=True)
        if not keep_logs:
            for name in ("static", "media", "nginx", "outbox"):
                shutil.rmtree(self.dir / name, ignore_errors=True)


NGINX_CONF = """\
# Written by scripts/stack.py for one stack; see deploy/nginx.conf for a real server.
{user}
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {logs}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {logs}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    client_max_body_size 20m;
    upstream muster {{
        # Both app servers, round robin; one that fails is skipped for 5 s.
        server 127.0.0.1:{app1} max_fails=1 fail_timeout=5s;
        server 127.0.0.1:{app2} max_fails=1 fail_timeout=5s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {tls}/cert.pem;
        ssl_certificate_key {tls}/key.pem;
        location / {{
            proxy_pass http://muster;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto https;
            # Overwritten, never passed on from the client: the rate limits' client address.
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


def wait_for_port(port, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")
        time.sleep(0.2)


def insecure_context():
    """The stack's certificate is self-signed: check nothing (127.0.0.1 only)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def get_status(url):
    try:
        with urllib.request.urlopen(url, timeout=30, context=insecure_context()) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours is not alive.
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return False
    return True


def stop_pid(pid, timeout=15):
    stop_pids([pid], timeout=timeout)


def stop_pids(pids, timeout=15):
    """SIGTERM to each, then SIGKILL to those not gone after `timeout` seconds."""
    pids = [pid for pid in pids if pid and alive(pid)]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.1)


def supervise(directory):
    """Run `manage.py run_worker` for ever: restart it whenever it exits, waiting 1 s, doubling up
    to 30 s while it keeps dying quickly, back to 1 s after it has run a minute. SIGTERM stops
    the worker (which finishes its task) and then the supervisor."""
    stack = Stack(directory)
    child = None

    def terminate(signum, frame):
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        stack.pidfile("worker").unlink(missing_ok=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, terminate)
    delay = 1
    while True:
        started = time.monotonic()
        child = subprocess.Popen(
            [PYTHON, "manage.py", "run_worker", "--interval", "0.5", "--no-startup-delay"],
            cwd=ROOT,
            env=stack.env,
        )
        stack.pidfile("worker").write_text(str(child.pid))
        code = child.wait()
        ran = time.monotonic() - started
        delay = 1 if ran > 60 else min(delay * 2, 30) if ran < 5 else delay
        log(f"worker exited with {code} after {ran:.0f} s; restarting in {delay} s")
        time.sleep(delay)


def main():
    parser = argparse.ArgumentParser(description="The production profile on this machine.")
    parser.add_argument("command", choices=["start", "stop", "status", "supervise"])
    parser.add_argument("--dir", default=str(ROOT / "var" / "stack"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("STACK_PORT", 8443)))
    parser.add_argument("--no-demo", action="store_true", help="skip the demo data")
    args = parser.parse_args()
    if args.command == "supervise":
        return supervise(args.dir)
    stack = Stack(args.dir)
    if args.command == "stop":
        if not stack.state:
            log(f"no stack runs from {stack.dir}")
            return 0
        stack.stop()
        log("stopped")
        return 0
    if args.command == "status":
        for name in SERVICES:
            pid = stack.pid(name)
            print(f"{name:11} {'running' if pid and alive(pid) else 'stopped'} {pid or ''}")
        return 0
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    stack.start(port=args.port, demo=not args.no_demo)
    print(STARTED.format(url=stack.url, dir=stack.dir, **stack.state["ports"]), flush=True)
    return 0


STARTED = """
Muster's production profile runs on this machine:

  {url}/            nginx (self-signed certificate: accept it once)
                    → gunicorn on 127.0.0.1:{app1} and 127.0.0.1:{app2}
  worker            manage.py run_worker, restarted by its supervisor if it exits
  PostgreSQL, Redis on 127.0.0.1 (throwaway); e-mails land in {dir}/outbox/

Demo logins (sign in at {url}/accounts/login/):
  officer@hkpf.example   officer-demo-2023   officer (verified)
  trainer@muster.example trainer-demo-2023   trainer   (then a TOTP code:
  lead@muster.example    lead-demo-2023      lead       `set -a; . {dir}/env; set +a;
  editor@muster.example  editor-demo-2023    editor     DJANGO_SETTINGS_MODULE=muster.settings.stack
                                                        .venv/bin/python manage.py demo_totp`)
  admin@muster.example   admin-demo-2023     admin

manage.py against it: set -a; . {dir}/env; set +a; .venv/bin/python manage.py ...
Stop it all: make stack-stop
"""


if __name__ == "__main__":
    sys.exit(main())
