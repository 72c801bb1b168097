"""The whole stack on one machine: two app instances behind Varnish.

    .venv/bin/python deploy/stack.py        (what `make stack` runs)

Starts on loopback two gunicorn instances of the site on different ports,
the task worker (`manage.py db_worker` for the `retractions` backend: the
retraction checks and the retried frontend-cache purges) and Varnish in front
of both (round robin, health checks, deploy/varnish/nadsite.vcl), then prints
the URL and waits. Ctrl-C or SIGTERM stops everything it started.

It uses the PostgreSQL and Redis already running here, or the ones named by
DATABASE_URL and REDIS_URL. A PostgreSQL database that does not exist yet is
created; a database without tables is migrated and given the demo content;
any other database is migrated and served as it is.

Environment:
    STACK_PORT       Varnish's port on 127.0.0.1 (8080)
    DATABASE_URL     postgres://postgres@127.0.0.1:5432/nadsite_stack
    REDIS_URL        redis://127.0.0.1:6379/0
    STACK_WORKERS    gunicorn worker processes per instance (1)
    STACK_THREADS    threads per worker (4)
    STACK_VAR_DIR    where the run keeps its files (var/stack)
    SECRET_KEY       kept in STACK_VAR_DIR/secret_key when not given

The module is also the test suite's way to start the real stack
(tests/stack/conftest.py): `Stack(...).start()` and `.stop()`.
"""

import contextlib
import ctypes
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VCL_DIR = ROOT / "deploy" / "varnish"
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/nadsite_stack"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
VMOD_DIRS = ("/usr/lib/x86_64-linux-gnu/varnish/vmods", "/usr/lib/varnish/vmods")
PROBE_PATH = "/robots.txt"


class StackError(RuntimeError):
    """The stack could not start: the message says why and what to do."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something could listen on the port (as varnishd does, with
    SO_REUSEADDR: connections of a previous run in TIME_WAIT do not count)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _die_with_parent() -> None:
    """Children get SIGTERM if the runner dies without stopping them."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def http_status(url: str, timeout: float = 2.0, host: str | None = None) -> int:
    request = urllib.request.Request(url)  # noqa: S310 (loopback URLs we built)
    if host:
        request.add_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path | None

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, lines: int = 30) -> str:
        if self.log is None or not self.log.exists():
            return ""
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


@dataclass
class Stack:
    """Two app instances, the task worker and Varnish, on loopback."""

    database_url: str
    redis_url: str
    port: int = 8080
    var_dir: Path = ROOT / "var" / "stack"
    workers: int = 1
    threads: int = 4
    prepare_database: bool = True
    log_to_files: bool = False
    purgers: tuple[str, ...] = ("localhost",)
    extra_env: dict = field(default_factory=dict)
    app_ports: list[int] = field(default_factory=list)
    processes: list[Process] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def varnish_dir(self) -> Path:
        return self.var_dir / "varnish"

    def instance_url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.app_ports[n]}"

    # -- environment ------------------------------------------------------

    def secret_key(self) -> str:
        if os.environ.get("SECRET_KEY"):
            return os.environ["SECRET_KEY"]
        path = self.var_dir / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()

    def app_env(self) -> dict:
        env = dict(os.environ)
        for name in ("DEBUG", "DJANGO_SETTINGS_MODULE", "NADSITE_DEMO"):
            env.pop(name, None)
        hosts = f"127.0.0.1:{self.port},localhost:{self.port}"
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "nadsite.settings",
                "PYTHONPATH": str(ROOT),
                "SECRET_KEY": self.secret_key(),
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "ALLOWED_HOSTS": "127.0.0.1,localhost,[::1]",
                "CSRF_TRUSTED_ORIGINS": ",".join(
                    f"http://{host}" for host in hosts.split(",")
                ),
                "WAGTAILADMIN_BASE_URL": self.url,
                "SECURE_SSL_REDIRECT": "0",
                "SECURE_COOKIES": "0",
                "SECURE_HSTS_SECONDS": "0",
                "STATIC_ROOT": str(self.var_dir / "static"),
                "MEDIA_ROOT": str(self.var_dir / "media"),
                # Purges go to this Varnish; the page cache is shared (Redis).
                "NADSITE_FRONTEND_CACHE_URL": self.url,
                "NADSITE_PROCESSES": str(2 * self.workers),
            }
        )
        env.update(self.extra_env)
        return env

    # -- checks and preparation -------------------------------------------

    def check_tools(self) -> None:
        if shutil.which("varnishd") is None:
            raise StackError(
                "varnishd is not installed: run `make stack` (it installs "
                "Debian's varnish and varnish-modules) or "
                "`apt-get install varnish varnish-modules`."
            )
        if not any(Path(d, "libvmod_xkey.so").exists() for d in VMOD_DIRS):
            raise StackError(
                "Varnish's xkey module is missing: `apt-get install varnish-modules`."
            )
        if not port_is_free(self.port):
            raise StackError(
                f"Port {self.port} on 127.0.0.1 is in use: stop what uses it "
                f"or choose another with STACK_PORT."
            )

    def check_redis(self) -> None:
        parts = urlsplit(self.redis_url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 6379
        try:
            with socket.create_connection((host, port), timeout=2) as sock:
                sock.sendall(b"PING\r\n")
                reply = sock.recv(64)
        except OSError as error:
            raise StackError(
                f"No Redis at {host}:{port} ({error}): start redis-server or "
                f"point REDIS_URL at one."
            ) from error
        if not reply.startswith((b"+PONG", b"-NOAUTH")):
            raise StackError(f"{host}:{port} did not answer like Redis: {reply!r}")

    def create_database(self) -> None:
        """Create the PostgreSQL database DATABASE_URL names if it is missing."""
        parts = urlsplit(self.database_url)
        if not parts.scheme.startswith("postgres"):
            return
        import psycopg
        from psycopg import sql

        name = parts.path.lstrip("/")
        admin = parts._replace(path="/postgres").geturl()
        try:
            with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if not exists:
                    print(f"Creating the database {name}", flush=True)
                    conn.execute(
                        sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
                    )
        except psycopg.OperationalError as error:
            raise StackError(
                f"Cannot reach PostgreSQL at {parts.hostname}:{parts.port or 5432}"
                f" ({error}). Start it or point DATABASE_URL at one."
            ) from error

    def manage(self, *args: str, env: dict | None = None, quiet=True) -> str:
        result = subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *args],
            env=env or self.app_env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise StackError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
            )
        if not quiet:
            print(result.stdout, end="", flush=True)
        return result.stdout

    def prepare_env(self) -> dict:
        """The environment `prepare` runs manage.py in: without a frontend
        cache to purge. This stack's Varnish is not running yet and starts
        with an empty cache, so there is nothing to purge; a purge sent now
        would fail, be queued, and reach Varnish in the first minutes of
        serving, emptying the cache it had just filled."""
        return {**self.app_env(), "NADSITE_FRONTEND_CACHE_URL": ""}

    def prepare(self) -> None:
        self.create_database()
        env = self.prepare_env()
        empty = (
            self.manage(
                "shell",
                "--no-imports",
                "-c",
                "from django.db import connection; "
                "print('wagtailcore_page' not in "
                "connection.introspection.table_names())",
                env=env,
            ).strip()
            == "True"
        )
        print("Migrating the database", flush=True)
        self.manage("migrate", "--no-input", env=env)
        if empty:
            print("Empty database: loading the demo content", flush=True)
            self.manage("load_demo_content", env={**env, "NADSITE_DEMO": "1"})

    def collect_static(self) -> None:
        self.manage("collectstatic", "--no-input")

    # -- processes -----------------------------------------------------------

    def spawn(self, name: str, command: list[str], env: dict | None = None) -> Process:
        log = None
        if self.log_to_files:
            log = self.var_dir / f"{name}.log"
            out = log.open("ab")
        else:
            out = None
        popen = subprocess.Popen(
            command,
            env=env or self.app_env(),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        if out is not None:
            out.close()
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def start_app(self, name: str, port: int) -> Process:
        return self.spawn(
            name,
            [
                PYTHON,
                "-m",
                "gunicorn",
                "nadsite.wsgi:application",
                "--name",
                f"nadsite-{name}",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(self.threads),
                "--keep-alive",
                "30",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
        )

    def start_worker(self) -> Process:
        return self.spawn(
            "worker",
            [
                PYTHON,
                str(ROOT / "manage.py"),
                "db_worker",
                "--backend",
                "retractions",
                "--queue-name",
                "*",
                "--interval",
                "1",
            ],
        )

    def write_backends_vcl(self) -> Path:
        backends = "\n".join(
            f"""backend app{n} {{
    .host = "127.0.0.1";
    .port = "{port}";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    .probe = app_health;
}}"""
            for n, port in enumerate(self.app_ports, start=1)
        )
        adds = "\n".join(
            f"    app.add_backend(app{n});" for n in range(1, len(self.app_ports) + 1)
        )
        acl = "\n".join(f'    "{entry}";' for entry in self.purgers)
        text = f"""# Written by deploy/stack.py for this run: the loopback stack.
probe app_health {{
    .request = "GET {PROBE_PATH} HTTP/1.1"
               "Host: localhost"
               "Connection: close"
               "User-Agent: varnish-probe";
    .interval = 1s;
    .timeout = 2s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}}

{backends}

acl purgers {{
{acl}
}}

sub vcl_init {{
    new app = directors.round_robin();
{adds}
}}
"""
        path = self.var_dir / "backends.vcl"
        path.write_text(text)
        return path

    def start_varnish(self) -> Process:
        self.write_backends_vcl()
        shutil.rmtree(self.varnish_dir, ignore_errors=True)
        return self.spawn(
            "varnish",
            [
                "varnishd",
                "-F",
                "-j",
                "none",
                "-n",
                str(self.varnish_dir),
                "-a",
                f"127.0.0.1:{self.port}",
                "-T",
                "127.0.0.1:0",
                "-f",
                str(VCL_DIR / "nadsite.vcl"),
                "-p",
                f"vcl_path={self.var_dir}:{VCL_DIR}:/etc/varnish:/usr/share/varnish/vcl",
                "-s",
                "malloc,256m",
            ],
        )

    def wait_for_listening(self, port: int, process: Process, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not process.alive():
                raise StackError(
                    f"{process.name} stopped while starting "
                    f"(exit {process.popen.returncode}).\n{process.tail()}"
                )
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise StackError(f"nothing listens on port {port} after {timeout:.0f} s")

    def wait_for(self, url: str, processes: list[Process], timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in processes:
                if not process.alive():
                    raise StackError(
                        f"{process.name} stopped while starting "
                        f"(exit {process.popen.returncode}).\n{process.tail()}"
                    )
            try:
                if http_status(url, host="localhost") == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise StackError(f"{url} did not answer within {timeout:.0f} s")

    def start(self) -> "Stack":
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.check_tools()
        self.check_redis()
        if self.prepare_database:
            self.prepare()
        else:
            self.create_database()
        self.collect_static()
        try:
            self.app_ports = [free_port(), free_port()]
            while self.app_ports[1] == self.app_ports[0]:
                self.app_ports[1] = free_port()
            apps = [
                self.start_app(name, port)
                for name, port in zip(("a", "b"), self.app_ports, strict=True)
            ]
            self.start_worker()
            for n, app in enumerate(apps):
                self.wait_for(self.instance_url(n) + PROBE_PATH, [app])
            varnish = self.start_varnish()
            self.wait_for(self.url + PROBE_PATH, [varnish])
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout: float = 15) -> None:
        """Stop every process this stack started, Varnish first."""
        for process in reversed(self.processes):
            if process.alive():
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in reversed(self.processes):
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait(timeout=5)
        self.processes.clear()

    def restart(self, name: str) -> None:
        """Start app instance `name` ("a" or "b") again on its port."""
        index = "ab".index(name)
        old = next(p for p in self.processes if p.name == name)
        if old.alive():
            old.popen.terminate()
            old.popen.wait(timeout=30)
        self.processes.remove(old)
        app = self.start_app(name, self.app_ports[index])
        self.wait_for(self.instance_url(index) + PROBE_PATH, [app])

    def first_dead(self) -> Process | None:
        return next((p for p in self.processes if not p.alive()), None)


def from_environment() -> Stack:
    return Stack(
        database_url=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        redis_url=os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
        port=int(os.environ.get("STACK_PORT", "8080")),
        var_dir=Path(os.environ.get("STACK_VAR_DIR", ROOT / "var" / "stack")),
        workers=int(os.environ.get("STACK_WORKERS", "1")),
        threads=int(os.environ.get("STACK_THREADS", "4")),
    )


def main() -> int:
    stack = from_environment()
    stopping = []
    started = []

    def request_stop(signum, frame):
        stopping.append(signum)
        if not started:
            raise KeyboardInterrupt  # while starting: undo what has started

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        stack.start()
    except StackError as error:
        print(f"stack: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped while starting", file=sys.stderr)
        stack.stop()
        return 130
    started.append(True)
    print(
        f"\nnadsite is served through Varnish at {stack.url}/ "
        f"(admin at {stack.url}/admin/)\n"
        f"  app instances: {stack.instance_url(0)} and {stack.instance_url(1)}\n"
        f"  database: {stack.database_url}\n  redis: {stack.redis_url}\n"
        f"Ctrl-C (or SIGTERM to pid {os.getpid()}) stops everything.",
        flush=True,
    )
    status = 0
    while not stopping:
        dead = stack.first_dead()
        if dead is not None:
            print(
                f"stack: {dead.name} stopped (exit {dead.popen.returncode}); "
                f"stopping the rest",
                file=sys.stderr,
            )
            status = 1
            break
        time.sleep(0.5)
    print("Stopping the stack", flush=True)
    stack.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
