"""Purges: stored copies of pages go when what they show changes.

Two stores hold whole public pages: the app's page cache
(`articles.caching`, in the Django cache) and the frontend cache in front of
the app servers (Varnish), reached through `wagtail.contrib.frontend_cache`.

- Publishing, unpublishing, deleting (Wagtail unpublishes a live page before
  deleting it), moving a page, changing its slug or re-confirming its medical
  review (a new "reviewed on" date) purges the page and the
  pages above it (the article index, the home page: the listings it appears
  in), by surrogate key and by URL, old URLs included.
- Saving, deleting or merging a Source purges every page citing it with one
  tag purge (`source-<id>`), whatever the number of pages.

Everything is sent after the transaction commits, so no reader can fetch and
store the old version between the purge and the commit, and nothing is sent
for a transaction that rolls back. A purge that fails is logged and retried
through the task queue (`retry_purge` on the `retractions` backend's
`purges` queue: the database, so a retry survives a restart), with growing
delays; after the last attempt the failure is logged as an error and the
task is recorded as failed. A second, "settling" purge follows each one a
few seconds later where the queue can defer tasks: a copy rendered from the
old data by a request already in flight when the purge went out is dropped
too.
"""

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.utils import (
    _get_page_cached_urls,
    get_backends,
    purge_urls_from_cache,
)

from articles import caching

logger = logging.getLogger(__name__)

TASK_BACKEND = "retractions"
TASK_QUEUE = "purges"
# Delays before each retry, in seconds; the last failure is logged as an error.
RETRY_DELAYS = (5, 30, 120, 600, 1800, 3600)
SETTLE_SECONDS = 3
KEYS_PER_REQUEST = 200


class PurgeFailed(Exception):
    """A frontend cache did not confirm a purge."""


class VarnishBackend(HTTPBackend):
    """Wagtail's HTTP purge backend for Varnish, with xkey tag purges.

    URL purges are Wagtail's `PURGE <path>` requests; tag purges are one
    `PURGE /` with an `xkey-purge` header naming the keys. Unlike the stock
    backend, a purge has a timeout, and one that fails is queued for a retry
    instead of only being logged.
    """

    timeout = 5
    user_agent = "nadsite-frontendcache"

    def __init__(self, params):
        self.params = {key: value for key, value in params.items() if key != "NAME"}
        super().__init__(dict(self.params))

    def purge(self, url) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls) -> None:
        failed = [url for url in urls if not self.send_url(url)]
        if failed:
            schedule_retry(self.params, urls=failed)

    def purge_keys(self, keys) -> None:
        failed = [chunk for chunk in _chunks(keys) if not self.send_keys(chunk)]
        if failed:
            schedule_retry(self.params, keys=[key for chunk in failed for key in chunk])

    # Each returns whether the cache confirmed the purge.

    def send_url(self, url: str) -> bool:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        target = urlunsplit(
            (self.cache_scheme, self.cache_netloc, parts.path or "/", parts.query, "")
        )
        return self._send(target, {"Host": host}, what=url)

    def send_keys(self, keys) -> bool:
        target = urlunsplit((self.cache_scheme, self.cache_netloc, "/", "", ""))
        return self._send(
            target, {"xkey-purge": " ".join(keys)}, what=f"tags {' '.join(keys)}"
        )

    def _send(self, target: str, headers: dict, *, what: str) -> bool:
        request = urllib.request.Request(  # noqa: S310 (the configured cache URL)
            target,
            method="PURGE",
            headers={"User-Agent": self.user_agent, **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            logger.warning(
                "Purge of %s refused by %s: %s %s",
                what,
                self.cache_netloc,
                error.code,
                error.reason,
            )
            return False
        except (urllib.error.URLError, OSError) as error:
            logger.warning(
                "Purge of %s not sent to %s: %s",
                what,
                self.cache_netloc,
                getattr(error, "reason", error),
            )
            return False
        logger.info("Purged %s from %s", what, self.cache_netloc)
        return True


def _chunks(keys, size: int = KEYS_PER_REQUEST):
    keys = sorted(set(keys))
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def purge_keys(keys) -> None:
    """Send a tag purge to every configured frontend cache that has tags."""
    if not keys:
        return
    for backend in get_backends().values():
        if hasattr(backend, "purge_keys"):
            backend.purge_keys(sorted(set(keys)))


# -- retries ------------------------------------------------------------------


def _queue():
    from django_tasks import task_backends

    return task_backends[TASK_BACKEND]


def schedule_retry(params: dict, *, urls=(), keys=(), attempt: int = 1) -> None:
    """Queue another try of a failed purge, or log that none is left."""
    urls, keys = sorted(set(urls)), sorted(set(keys))
    if attempt > len(RETRY_DELAYS):
        logger.error(
            "Giving up on purging %s after %d attempts: urls=%s keys=%s",
            params.get("LOCATION"),
            attempt,
            urls,
            keys,
        )
        raise PurgeFailed(f"purge not confirmed after {attempt} attempts")
    delay = RETRY_DELAYS[attempt - 1]
    _enqueue_retry(params, urls, keys, attempt, delay)
    logger.warning(
        "Purge retry %d queued in %d s: urls=%s keys=%s", attempt, delay, urls, keys
    )


def _enqueue_retry(params, urls, keys, attempt, delay) -> None:
    retry = retry_purge
    if _queue().supports_defer:
        retry = retry.using(run_after=timezone.now() + timedelta(seconds=delay))
    try:
        retry.enqueue(params=params, urls=urls, keys=keys, attempt=attempt)
    except Exception:
        logger.exception(
            "Could not queue a purge retry: urls=%s keys=%s are not purged",
            urls,
            keys,
        )
        raise


@task(backend=TASK_BACKEND, queue_name=TASK_QUEUE)
def retry_purge(params: dict, urls: list, keys: list, attempt: int) -> int:
    """Try a failed purge again; queue the next try if it fails once more.

    `attempt` 0 is the settling purge that follows a successful one.
    Returns how many URLs and key batches were purged.
    """
    backend = VarnishBackend(params)
    backend.user_agent += " (settling)" if attempt == 0 else f" (retry {attempt})"
    failed_urls = [url for url in urls if not backend.send_url(url)]
    failed_keys = [
        key for chunk in _chunks(keys) if not backend.send_keys(chunk) for key in chunk
    ]
    if failed_urls or failed_keys:
        schedule_retry(
            params, urls=failed_urls, keys=failed_keys, attempt=max(attempt, 0) + 1
        )
    return len(urls) - len(failed_urls) + len(keys) - len(failed_keys)


def schedule_settling_purge(urls, keys) -> None:
    if not _queue().supports_defer:
        return
    for backend in get_backends().values():
        if isinstance(backend, VarnishBackend):
            retry_purge.using(
                run_after=timezone.now() + timedelta(seconds=SETTLE_SECONDS)
            ).enqueue(params=backend.params, urls=[], keys=sorted(keys), attempt=0)


# -- after commit -------------------------------------------------------------


@dataclass(eq=False)
class PendingPurge:
    """What one change purges; sent when its transaction commits."""

    page_ids: set = field(default_factory=set)
    keys: set = field(default_factory=set)
    urls: set = field(default_factory=set)

    def __call__(self) -> None:
        send(self)


def send(purge: PendingPurge) -> None:
    """Drop the copies now: the app's page cache first, so that Varnish
    refetches from the app rather than from a stale stored copy."""
    try:
        caching.invalidate_pages(purge.page_ids)
    except Exception:
        logger.exception("Could not drop pages %s from the page cache", purge.page_ids)
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    try:
        purge_urls_from_cache(sorted(purge.urls))
        purge_keys(purge.keys)
        schedule_settling_purge(purge.urls, purge.keys)
    except Exception:
        logger.exception(
            "Purge failed and could not be queued again: urls=%s keys=%s",
            sorted(purge.urls),
            sorted(purge.keys),
        )


def after_commit(purge: PendingPurge) -> None:
    """Send `purge` once the current transaction commits (at once outside
    one); it is dropped with the transaction if that rolls back."""
    transaction.on_commit(purge, robust=True)


# -- what a change purges -----------------------------------------------------


def _site_urls(url_path: str) -> list[str]:
    """The full URLs an url_path had, one per site it is under."""
    from wagtail.models import Site

    urls = []
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            urls.append(root.root_url + "/" + url_path[len(root.root_path) :])
    return urls


def purge_page(page, *, old_url_paths=(), descendants=False) -> None:
    """Purge a page, the pages above it and, when asked, the pages below."""
    purge = PendingPurge()
    lineage = [page, *page.get_ancestors().filter(depth__gt=1)]
    if descendants:
        lineage += list(page.get_descendants())
    for each in lineage:
        purge.page_ids.add(each.pk)
        purge.keys.add(caching.page_key(each.pk))
        purge.urls.update(_get_page_cached_urls(each))
    for url_path in old_url_paths:
        purge.urls.update(_site_urls(url_path))
    after_commit(purge)


def purge_source(source) -> None:
    """Purge every page citing a Source: one tag in the frontend cache; the
    pages (found through the reference index) and their listings in the
    page cache."""
    purge = PendingPurge(keys={caching.source_key(source.pk)})
    purge.page_ids.update(caching.pages_citing_with_listings(source))
    after_commit(purge)


# -- signal handlers ----------------------------------------------------------


def on_page_changed(sender, instance, **kwargs):
    purge_page(instance)


def on_review_reconfirmed(sender, page, **kwargs):
    """A re-confirmation changed the page's "medically reviewed on" date."""
    purge_page(page)


def on_page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    if url_path_before == url_path_after:
        purge_page(instance)  # reordered: the listing order changed
        return
    from wagtail.models import Page

    parent_before = kwargs.get("parent_page_before")
    purge_page(instance, old_url_paths=[url_path_before], descendants=True)
    if parent_before is not None:
        purge_page(Page.objects.get(pk=parent_before.pk))


def on_slug_changed(sender, instance, instance_before, **kwargs):
    purge_page(instance, old_url_paths=[instance_before.url_path], descendants=True)


def on_source_changed(sender, instance, **kwargs):
    purge_source(instance)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import (
        page_published,
        page_slug_changed,
        page_unpublished,
        post_page_move,
    )

    from evidence.living.schedule import review_reconfirmed
    from evidence.models import Source

    page_published.connect(on_page_changed, dispatch_uid="nadsite_purge_publish")
    page_unpublished.connect(on_page_changed, dispatch_uid="nadsite_purge_unpublish")
    post_page_move.connect(on_page_moved, dispatch_uid="nadsite_purge_move")
    page_slug_changed.connect(on_slug_changed, dispatch_uid="nadsite_purge_slug")
    review_reconfirmed.connect(on_review_reconfirmed, dispatch_uid="nadsite_purge_rc")
    post_save.connect(
        on_source_changed, sender=Source, dispatch_uid="nadsite_purge_src"
    )
    post_delete.connect(
        on_source_changed, sender=Source, dispatch_uid="nadsite_purge_src_delete"
    )
