"""System checks for state that must be shared by every process serving.

A page cache, a fragment cache or a session store in one process's memory
is invisible to the others: a publish or a retraction clears the copies of
the process that handled it, and every other worker keeps serving the old
page until its copy expires. With DEBUG off, unless NADSITE_PROCESSES says
exactly one process serves the site, these must live in a shared store
(Redis through REDIS_URL, or the database). `nadsite.wsgi` and
`nadsite.asgi` run these checks before serving and refuse to start on an
error; `manage.py check --deploy` reports them too (other commands, `migrate`
among them, do not run them: they need no cache).
"""

from django.conf import settings
from django.core import checks

TAG = "nadsite_shared_state"
PROCESS_LOCAL_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
    }
)


def serving_processes() -> int | None:
    """How many processes serve the site, if the settings say (else None)."""
    value = getattr(settings, "NADSITE_PROCESSES", None)
    return int(value) if value else None


def _process_local(alias: str) -> bool:
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    return backend in PROCESS_LOCAL_CACHES


@checks.register(TAG, checks.Tags.caches, deploy=True)
def check_shared_state(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    processes = serving_processes()
    if processes == 1:
        return []
    how_many = (
        f"NADSITE_PROCESSES={processes}"
        if processes
        else "NADSITE_PROCESSES is not set, so more than one may"
    )
    errors = []
    page_cache_on = getattr(settings, "NADSITE_PAGE_CACHE_SECONDS", 0) > 0
    if page_cache_on and _process_local("default"):
        errors.append(
            checks.Error(
                "The page cache is in one process's memory, but more than one "
                f"process serves this site ({how_many}): a publish or a "
                "retraction would clear the copies of one process only.",
                hint=(
                    "Set REDIS_URL (a shared cache), or NADSITE_PROCESSES=1 if "
                    "exactly one process serves, or NADSITE_PAGE_CACHE_SECONDS=0."
                ),
                id="nadsite.E001",
            )
        )
    elif _process_local("default"):
        errors.append(
            checks.Error(
                "The cache (fragments, API throttles) is in one process's "
                f"memory, but more than one process serves this site ({how_many}).",
                hint="Set REDIS_URL, or NADSITE_PROCESSES=1 if exactly one serves.",
                id="nadsite.E002",
            )
        )
    engine = getattr(settings, "SESSION_ENGINE", "")
    if engine == "django.contrib.sessions.backends.cache" and _process_local(
        getattr(settings, "SESSION_CACHE_ALIAS", "default")
    ):
        errors.append(
            checks.Error(
                "Sessions are kept in one process's memory: a user signed in "
                "on one process would be signed out on the others.",
                hint="Use the database session engine (the default) or Redis.",
                id="nadsite.E003",
            )
        )
    return errors
