"""Whole-page caching of public pages for anonymous readers.

A reader without a session cookie who asks for a public page (GET or HEAD,
no query string other than `?page=`) gets the stored bytes straight from the
cache, before sessions, authentication or Wagtail's routing run. Only pages
that opt in (the home page, the article index and articles, served live,
never previews) are stored, and only plain 200 responses that set no cookie.

Stored copies are dropped when the page is published or unpublished, when a
Source it cites changes, and, with them, the copies of the article index and
home page above it. `NADSITE_PAGE_CACHE_SECONDS` (default 300; 0 turns the
cache off) says how long a copy may be served.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

KEY_PREFIX = "nadsite:page:"
GENERATION_KEY = "nadsite:page-generation"
ALLOWED_QUERY = frozenset({"page"})
DEFAULT_SECONDS = 300
_SKIPPED_HEADERS = frozenset({"set-cookie", "content-length"})


def cache_seconds() -> int:
    return int(getattr(settings, "NADSITE_PAGE_CACHE_SECONDS", DEFAULT_SECONDS))


def _registry_key(page_id: int) -> str:
    return f"{KEY_PREFIX}keys:{page_id}"


def request_key(request) -> str | None:
    """The cache key for a request a cached copy may answer, else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    query = request.GET
    if query and not set(query).issubset(ALLOWED_QUERY):
        return None
    if any(len(query.getlist(name)) > 1 for name in query):
        return None
    extra = "&".join(f"{k}={query[k]}" for k in sorted(query))
    raw = f"{request.get_host()}|{request.path}|{extra}"
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def mark_cacheable(request, response, page) -> None:
    """Let the middleware store this response as the page's public copy."""
    if getattr(request, "is_preview", False):
        return
    response.nadsite_cache_page_id = page.pk


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if not getattr(response, "nadsite_cache_page_id", None):
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PageCacheMiddleware:
    """Answer anonymous readers from the page cache; store what may be stored.

    Sits near the top of MIDDLEWARE (after security and static files) so that
    a cache hit does as little work as possible.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = cache_seconds()
        key = request_key(request) if seconds > 0 else None
        if key is None:
            return self.get_response(request)
        entry = cache.get(key)
        if entry is not None:
            return self._response(request, entry)
        generation = cache.get(GENERATION_KEY, 0)
        response = self.get_response(request)
        if _storable(request, response):
            patch_vary_headers(response, ("Cookie",))
            self._store(key, response, generation, seconds)
        return response

    @staticmethod
    def _response(request, entry) -> HttpResponse:
        status, headers, content = entry
        response = HttpResponse(
            b"" if request.method == "HEAD" else content, status=status
        )
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(content))
        return response

    @staticmethod
    def _store(key, response, generation, seconds) -> None:
        if cache.get(GENERATION_KEY, 0) != generation:
            return  # pages were invalidated while this one was rendered
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in _SKIPPED_HEADERS
        ]
        cache.set(key, (response.status_code, headers, response.content), seconds)
        registry = _registry_key(response.nadsite_cache_page_id)
        keys = cache.get(registry) or []
        if key not in keys:
            cache.set(registry, [*keys, key], seconds)


def invalidate_pages(page_ids) -> None:
    """Drop the stored copies of these pages (every host, every `?page=`)."""
    registries = [_registry_key(pk) for pk in set(page_ids)]
    if not registries:
        return
    stored = cache.get_many(registries)
    keys = [key for keys in stored.values() for key in keys]
    cache.delete_many([*keys, *registries])
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def invalidate_page_and_listings(page) -> None:
    """Drop the copies of a page and of the listings above it."""
    ancestor_ids = page.get_ancestors().values_list("pk", flat=True)
    invalidate_pages([page.pk, *ancestor_ids])


def pages_citing(source) -> list[int]:
    """Ids of the pages whose content cites this Source (Wagtail's
    reference index, as in the snippet's "Usage" view)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    page_type = ContentType.objects.get_for_model(Page)
    return [
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(source)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
        .distinct()
    ]


def on_page_published(sender, instance, **kwargs):
    invalidate_page_and_listings(instance)


def on_review_reconfirmed(sender, page, **kwargs):
    """A re-confirmation changed the page's "medically reviewed on" date."""
    invalidate_page_and_listings(page)


def on_source_saved(sender, instance, **kwargs):
    from wagtail.models import Page

    ids = pages_citing(instance)
    if not ids:
        return
    pages = Page.objects.filter(pk__in=ids)
    ancestors = Page.objects.none()
    for page in pages:
        ancestors |= page.get_ancestors()
    invalidate_pages([*ids, *ancestors.values_list("pk", flat=True)])


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished

    from evidence.living.schedule import review_reconfirmed
    from evidence.models import Source

    page_published.connect(on_page_published, dispatch_uid="nadsite_cache_publish")
    page_unpublished.connect(on_page_published, dispatch_uid="nadsite_cache_unpublish")
    review_reconfirmed.connect(on_review_reconfirmed, dispatch_uid="nadsite_cache_rc")
    post_save.connect(on_source_saved, sender=Source, dispatch_uid="nadsite_cache_src")
    post_delete.connect(
        on_source_saved, sender=Source, dispatch_uid="nadsite_cache_src_delete"
    )
