"""Real Varnish for tests: alone, or in front of two gunicorn instances.

`lone_varnish` starts Varnish alone (its backends are never reached): enough
to see the purges the app sends and what Varnish does with them, on any
database. `stack` is session-scoped: one stack (Varnish, instances A and B,
the task worker and a Redis server of its own, each on a free loopback port)
serves every test marked `stack`, on the test database pytest-django
created. Tests write through the ORM in a committed transaction
(`transactional_db`), act through the instances over HTTP, and read through
Varnish. Everything is stopped at the end of the session, before the test
database is dropped.
"""

import importlib.util
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def load_runner():
    name = "nadsite_stack_runner"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "deploy" / "stack.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def database_url(settings_dict) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis server of the session's own: the shared one stays untouched."""
    runner = load_runner()
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (make test installs it)")
    port = runner.free_port()
    workdir = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=runner._die_with_parent,
    )
    import socket

    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def stack(django_db_setup, django_db_blocker, redis_url, tmp_path_factory):
    """Varnish, two app instances and the worker, on the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("the stack needs PostgreSQL: two instances share one database")
    runner = load_runner()
    with django_db_blocker.unblock():
        url = database_url(connection.settings_dict)
    var_dir = tmp_path_factory.mktemp("stack")
    stack = runner.Stack(
        database_url=url,
        redis_url=redis_url,
        port=runner.free_port(),
        var_dir=var_dir,
        threads=4,
        prepare_database=False,
        log_to_files=True,
        # Exactly loopback's first address: tests purge from 127.0.0.2 too.
        purgers=("127.0.0.1",),
        extra_env={
            # Static files collected once per checkout, not once per session.
            "STATIC_ROOT": str(ROOT / "var" / "stack-tests-static"),
            "LOG_LEVEL": "INFO",
            # Sessions made in the test process are valid on the instances.
            "SECRET_KEY": settings.SECRET_KEY,
        },
    )
    try:
        stack.start()
    except runner.StackError as error:
        stack.stop()
        pytest.fail(f"the stack did not start: {error}")
    yield stack
    stack.stop()


class LoneVarnish:
    """Varnish with deploy/varnish/nadsite.vcl and no app behind it."""

    def __init__(self, var_dir, port=None):
        runner = load_runner()
        self.stack = runner.Stack(
            database_url="",
            redis_url="",
            port=port or runner.free_port(),
            var_dir=var_dir,
            log_to_files=True,
            purgers=("127.0.0.1",),
        )
        # Closed ports: the backends are never asked for anything here.
        self.stack.app_ports = [runner.free_port(), runner.free_port()]

    @property
    def url(self) -> str:
        return self.stack.url

    def start(self) -> "LoneVarnish":
        self.stack.var_dir.mkdir(parents=True, exist_ok=True)
        self.stack.start_varnish()
        self.stack.wait_for_listening(self.stack.port, self.stack.processes[-1])
        return self

    def stop(self) -> None:
        self.stack.stop()

    def purges(self) -> list[dict]:
        """Every PURGE Varnish has answered, oldest first."""
        result = subprocess.run(
            [
                shutil.which("varnishncsa") or "varnishncsa",
                "-d",
                "-n",
                str(self.stack.varnish_dir),
                "-q",
                'ReqMethod eq "PURGE"',
                "-F",
                "%s|%{Host}i|%U|%{xkey-purge}i|%{User-agent}i",
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        fields = ("status", "host", "path", "tags", "agent")
        return [
            dict(zip(fields, line.split("|"), strict=True))
            for line in result.stdout.splitlines()
        ]


@pytest.fixture(scope="module")
def lone_varnish(tmp_path_factory):
    """Varnish alone on a free port, shared by a module's tests."""
    lone = LoneVarnish(tmp_path_factory.mktemp("varnish")).start()
    yield lone
    lone.stop()


def frontend_cache(url: str) -> dict:
    """WAGTAILFRONTENDCACHE for a Varnish at `url`."""
    return {"varnish": {"BACKEND": "articles.purging.VarnishBackend", "LOCATION": url}}
