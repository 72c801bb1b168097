"""Checks the site makes before it serves a single request."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    """Refuse to serve without a secret key: sessions, CSRF tokens and
    password resets are all signed with it."""
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:
        key = ""
    if not key:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")


def require_shared_state() -> None:
    """Refuse to serve when more than one process would each keep their own
    page cache or sessions (articles/checks.py says which and why)."""
    from django.core import checks

    from articles.checks import TAG

    found = checks.run_checks(tags=[TAG], include_deployment_checks=True)
    errors = [m for m in found if m.is_serious()]
    if errors:
        raise ImproperlyConfigured(
            "; ".join(f"{m.id}: {m.msg} {m.hint or ''}".strip() for m in errors)
        )
