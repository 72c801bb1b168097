"""Production settings: fail closed, and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "health.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "REDIS_URL": "redis://127.0.0.1:6379/15",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def production_env(tmp_path, **extra):
    return {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "health.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    }


def test_production_refuses_a_page_cache_in_one_process_memory(tmp_path):
    """Without Redis, unless exactly one process serves, the check fails."""
    for extra in ({}, {"NADSITE_PROCESSES": "4"}):
        result = run_manage("check", "--deploy", env=production_env(tmp_path, **extra))
        assert result.returncode != 0
        assert "nadsite.E001" in result.stderr
        assert "page cache is in one process's memory" in result.stderr


def test_one_declared_process_may_keep_its_cache_in_memory(tmp_path):
    result = run_manage(
        "check", "--deploy", env=production_env(tmp_path, NADSITE_PROCESSES="1")
    )
    assert result.returncode == 0, result.stderr


def test_the_site_refuses_to_start_with_a_local_page_cache(tmp_path):
    """gunicorn imports nadsite.wsgi: it must not start serving stale pages."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    for extra, refused in (
        ({}, True),
        ({"REDIS_URL": "redis://127.0.0.1:6379/15"}, False),
    ):
        result = subprocess.run(
            [sys.executable, "-c", "import nadsite.wsgi"],
            env={**clean, **production_env(tmp_path, **extra)},
            cwd=MANAGE.parent,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert (result.returncode != 0) is refused, result.stderr
        assert ("nadsite.E001" in result.stderr) is refused


def test_a_serving_process_sets_what_start_up_loaded_aside_from_the_collector(
    tmp_path,
):
    """gunicorn imports nadsite.wsgi: the objects loaded by then live as long
    as the process, and the cyclic collector's full passes must not scan
    them on every few hundred requests (`gc.freeze`)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    for module in ("nadsite.wsgi", "nadsite.asgi"):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import gc, {module}; print(gc.get_freeze_count())",
            ],
            env={**clean, **production_env(tmp_path, NADSITE_PROCESSES="1")},
            cwd=MANAGE.parent,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert int(result.stdout) > 50_000, module


def test_the_site_refuses_to_start_without_a_secret_key(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    for module in ("nadsite.wsgi", "nadsite.asgi"):
        result = subprocess.run(
            [sys.executable, "-c", f"import {module}"],
            env={**clean, **env},
            cwd=MANAGE.parent,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode != 0
        assert "Set SECRET_KEY" in result.stderr


def test_commands_that_need_no_key_run_without_one(tmp_path):
    """A missing key must not hide behind Django's "Models aren't loaded yet"."""
    result = run_manage(
        "makemigrations",
        "--check",
        "--dry-run",
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_redis_url_makes_redis_the_cache():
    """With REDIS_URL set, the page cache and everything else use Redis."""
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        import pytest

        pytest.skip("no Redis server on 127.0.0.1:6379")
    script = (
        "from django.core.cache import cache; from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND']); "
        "cache.set('nadsite-settings-test', 'ok', 5); "
        "print(cache.get('nadsite-settings-test'))"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        env={"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/15"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django_redis.cache.RedisCache", "ok"]


def test_no_test_module_leaves_check_deploy_failing():
    """`pytest -m "not browser"` still imports the browser tests' modules: a
    module (or a fixture) that set DJANGO_ALLOW_ASYNC_UNSAFE and left it set
    made every later `check --deploy` fail with async.E001. Collect the whole
    suite without the browser tests, then run the deployment check's test."""
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "not browser",
            "-k",
            "test_production_settings_pass_check_deploy",
            str(MANAGE.parent / "tests"),
        ],
        env=clean,
        cwd=MANAGE.parent,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1 passed" in result.stdout
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
