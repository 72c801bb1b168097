"""What a serving process does before it serves a single request: checks
it makes, and setting aside what start-up loaded."""

import gc

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


def freeze_loaded_objects() -> None:
    """Set every object alive now aside from the cyclic garbage collector.

    Start-up loads about 175,000 objects that live as long as the process
    (modules, settings, models' metadata, URL patterns, Wagtail's
    registries). The collector's full passes went over all of them every
    few requests, tens of milliseconds each time on a request that takes
    ten (bench/README.md, render_bench). Set aside (`gc.freeze`), they are
    never scanned again; they are still freed as usual when nothing refers
    to them. Garbage is collected first, so none of it is set aside.
    """
    gc.collect()
    gc.freeze()
