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
