"""Talking to Crossref and NCBI politely, and failing in words.

Both services ask clients to say who they are: every request carries a
User-Agent with the editors' contact address (setting
NADSITE_CONTACT_EMAIL). A request waits at most 5 seconds to connect and 10
to read. Connection failures, timeouts, 429 and 5xx answers are tried three
times in all, backing off exponentially and honouring Retry-After; anything
still failing becomes an IngestError saying nothing was imported.

NCBI allows 3 requests a second without an API key and 10 with one (setting
NCBI_API_KEY, sent as the api_key parameter); ``ncbi_limiter()`` enforces
that across threads.

Every function that makes requests takes an optional ``client`` (tests pass
``httpx.Client(transport=httpx.MockTransport(handler))``) and an optional
``sleep`` so retries and rate limits cost no real time in tests.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx

from evidence.library.ingest.records import IngestError, _

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
ATTEMPTS = 3
BACKOFF_SECONDS = 0.5
MAX_RETRY_AFTER = 60.0
PROJECT_URL = "https://github.com/nadsite/nadsite"
DEFAULT_CONTACT = "editors@example.org"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

Sleep = Callable[[float], None]


def _setting(name: str, default: str) -> str:
    from django.conf import settings

    if not settings.configured:
        return default
    return getattr(settings, name, default) or default


def contact_email() -> str:
    """The address Crossref and NCBI may write to about our traffic."""
    return _setting("NADSITE_CONTACT_EMAIL", DEFAULT_CONTACT)


def ncbi_api_key() -> str:
    return _setting("NCBI_API_KEY", "")


def user_agent() -> str:
    return f"nadsite/1.0 (+{PROJECT_URL}; mailto:{contact_email()})"


def make_client(**kwargs) -> httpx.Client:
    """An httpx client with the project's timeouts and User-Agent."""
    kwargs.setdefault(
        "timeout",
        httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
    )
    kwargs.setdefault("follow_redirects", True)
    headers = {"User-Agent": user_agent(), **kwargs.pop("headers", {})}
    return httpx.Client(headers=headers, **kwargs)


@contextmanager
def client_scope(client: httpx.Client | None) -> Iterator[httpx.Client]:
    """The given client, or a new one closed afterwards."""
    if client is not None:
        yield client
        return
    with make_client() as own:
        yield own


class RateLimiter:
    """Spaces calls so no more than ``rate`` start in any second.

    Thread-safe: concurrent callers queue for the next free slot.
    """

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = time.sleep,
    ):
        self.interval = 1.0 / rate
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self, sleep: Sleep | None = None) -> None:
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            (sleep or self.sleep)(start - now)


_limiters: dict[float, RateLimiter] = {}
_limiters_lock = threading.Lock()


def ncbi_limiter() -> RateLimiter:
    """The process-wide limiter for E-utilities: 10/s with a key, else 3/s."""
    rate = 10.0 if ncbi_api_key() else 3.0
    with _limiters_lock:
        if rate not in _limiters:
            _limiters[rate] = RateLimiter(rate)
        return _limiters[rate]


def ncbi_params() -> dict[str, str]:
    """The identification NCBI asks every E-utilities request to carry."""
    params = {"tool": "nadsite", "email": contact_email()}
    if key := ncbi_api_key():
        params["api_key"] = key
    return params


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The wait a 429 or 503 asks for, in seconds, if it asks for one."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    delay = when.timestamp() - time.time()
    return min(max(delay, 0.0), MAX_RETRY_AFTER)


def get(
    client: httpx.Client,
    url: str,
    *,
    service: str,
    params: dict | None = None,
    sleep: Sleep = time.sleep,
    limiter: RateLimiter | None = None,
    attempts: int = ATTEMPTS,
) -> httpx.Response:
    """GET with retries; returns the final answer unless it is a failure
    worth retrying, which becomes an IngestError naming ``service``."""
    for attempt in range(1, attempts + 1):
        if limiter is not None:
            limiter.wait(sleep)
        delay = BACKOFF_SECONDS * 2 ** (attempt - 1)
        try:
            response = client.get(url, params=params)
        except httpx.TimeoutException as exc:
            if attempt == attempts:
                raise IngestError(
                    _(
                        "%(service)s did not answer within %(seconds)d seconds; "
                        "nothing was imported. Try again in a few minutes."
                    )
                    % {"service": service, "seconds": int(READ_TIMEOUT)}
                ) from exc
        except httpx.TransportError as exc:
            if attempt == attempts:
                raise IngestError(
                    _(
                        "%(service)s could not be reached (%(reason)s); nothing "
                        "was imported. Check the network and try again."
                    )
                    % {"service": service, "reason": exc.__class__.__name__}
                ) from exc
        else:
            if response.status_code not in RETRY_STATUSES:
                return response
            if attempt == attempts:
                raise IngestError(
                    _(
                        "%(service)s answered with HTTP %(status)d %(attempts)d "
                        "times; nothing was imported. Try again later."
                    )
                    % {
                        "service": service,
                        "status": response.status_code,
                        "attempts": attempts,
                    }
                )
            delay = max(delay, retry_after_seconds(response) or 0.0)
        sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def unexpected_status(service: str, response: httpx.Response) -> IngestError:
    return IngestError(
        _("%(service)s answered with HTTP %(status)d; nothing was imported.")
        % {"service": service, "status": response.status_code}
    )
