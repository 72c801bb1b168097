"""The real stack for tests: Varnish in front of two gunicorn instances.

Session-scoped: one stack (Varnish, instances A and B, the task worker and a
Redis server of its own, each on a free loopback port) serves every test
marked `stack`, on the test database pytest-django created. Tests write
through the ORM in a committed transaction (`transactional_db`), act through
the instances over HTTP, and read through Varnish. Everything is stopped at
the end of the session, before the test database is dropped.
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
