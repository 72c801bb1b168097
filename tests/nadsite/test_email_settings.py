"""Email settings from the environment: EMAIL_URL or EMAIL_*, the console
with DEBUG=1 (issue 14, item 4)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from nadsite.email_url import EmailURLError, parse_email_url

MANAGE = Path(settings.BASE_DIR) / "manage.py"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_smtp_with_starttls():
    assert parse_email_url("smtp://mailer:p%40ss@mail.example.org:2525?tls=1") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_smtps_defaults_to_port_465_and_takes_a_timeout():
    parsed = parse_email_url("smtps://mail.example.org?timeout=5")
    assert parsed["EMAIL_PORT"] == 465
    assert parsed["EMAIL_USE_SSL"] is True
    assert parsed["EMAIL_TIMEOUT"] == 5.0


def test_console_file_and_locmem():
    assert parse_email_url("console://")["EMAIL_BACKEND"].endswith(
        "console.EmailBackend"
    )
    assert parse_email_url("file:///var/mail/nadsite") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/var/mail/nadsite",
    }
    assert parse_email_url("locmem://")["EMAIL_BACKEND"].endswith("locmem.EmailBackend")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("smtpp://mail.example.org", "unknown scheme 'smtpp'"),
        ("smtp://mail.example.org?tsl=1", "unknown option(s) tsl"),
        ("smtp://mail.example.org?tls=1&ssl=1", "not both"),
        ("smtp://mail.example.org:port", "EMAIL_URL"),
        ("smtp://mail.example.org?timeout=soon", "timeout must be a number"),
        ("file://", "needs a directory"),
    ],
)
def test_mistakes_are_refused_with_the_reason(url, words):
    with pytest.raises(EmailURLError) as error:
        parse_email_url(url)
    assert words in str(error.value)


def settings_seen(env) -> dict:
    """The email settings a fresh process reads from `env`."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("EMAIL_") and k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    code = (
        "import json; from django.conf import settings as s; print(json.dumps("
        "{k: getattr(s, k) for k in ('EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', "
        "'EMAIL_USE_TLS', 'EMAIL_TIMEOUT', 'WAGTAILADMIN_NOTIFICATION_FROM_EMAIL')}))"
    )
    result = subprocess.run(
        [sys.executable, str(MANAGE), "shell", "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_debug_prints_mail_on_the_console_and_email_url_wins(tmp_path):
    db = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    seen = settings_seen({"DEBUG": "1", **db})
    assert seen["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert seen["EMAIL_TIMEOUT"] == 10
    seen = settings_seen(
        {"DEBUG": "1", "EMAIL_URL": "smtp://mail.example.org?tls=1", **db}
    )
    assert seen["EMAIL_BACKEND"] == SMTP
    assert (seen["EMAIL_HOST"], seen["EMAIL_PORT"], seen["EMAIL_USE_TLS"]) == (
        "mail.example.org",
        587,
        True,
    )
