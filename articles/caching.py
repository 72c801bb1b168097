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

The same rule tells shared caches in front of the app (Varnish, a CDN) what
they may store. A response a stored copy could answer says so:
`Cache-Control: public, max-age=<NADSITE_BROWSER_CACHE_SECONDS>,
s-maxage=<NADSITE_SHARED_CACHE_SECONDS>`, with an `xkey` header naming what
it shows (`page-<id>` for the page and every page it lists, `source-<id>`
for every Source it cites), the keys `articles.purging` purges by. Anything
personal (a signed-in user, a preview, a form's CSRF token, a message, a
cookie set) says `Cache-Control: private, no-cache` and carries no keys.
Purging lives in `articles.purging`.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

KEY_PREFIX = "nadsite:page:"
GENERATION_KEY = "nadsite:page-generation"
ALLOWED_QUERY = frozenset({"page"})
DEFAULT_SECONDS = 300
SURROGATE_KEY_HEADER = "xkey"
_SKIPPED_HEADERS = frozenset({"set-cookie", "content-length"})


def cache_seconds() -> int:
    return int(getattr(settings, "NADSITE_PAGE_CACHE_SECONDS", DEFAULT_SECONDS))


def page_key(page_id: int) -> str:
    """The surrogate key of every response showing this page."""
    return f"page-{page_id}"


def source_key(source_id: int) -> str:
    """The surrogate key of every response citing this Source."""
    return f"source-{source_id}"


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


def mark_cacheable(request, response, page, keys=()) -> None:
    """Let this response be stored as the page's public copy (when nothing
    about the request or response is personal), tagged with `keys` besides
    the page's own."""
    response.nadsite_public_page = True
    if getattr(request, "is_preview", False):
        return
    response.nadsite_cache_page_id = page.pk
    response.nadsite_surrogate_keys = {page_key(page.pk), *keys}


def cited_source_ids(view) -> set[int]:
    """Every Source an article's view model shows: its references, and the
    Sources of each passage (study cards included)."""
    return set(getattr(view, "source_ids", ()))


def _personal(request) -> bool:
    """Whether what was rendered belongs to this visitor alone."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True  # a CSRF token was put in the page (a form)
    messages = getattr(request, "_messages", None)
    return bool(messages is not None and (messages.used or messages.added_new))


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
    return not _personal(request)


def apply_cache_headers(request, response, key) -> bool:
    """Say who may store this response; True when it is public.

    `key` is the request's page-cache key (None when no stored copy may
    answer it: not GET/HEAD, a session cookie, another query string).
    """
    if key is not None and _storable(request, response):
        patch_cache_control(
            response,
            public=True,
            max_age=int(getattr(settings, "NADSITE_BROWSER_CACHE_SECONDS", 60)),
            s_maxage=int(getattr(settings, "NADSITE_SHARED_CACHE_SECONDS", 86400)),
        )
        patch_vary_headers(response, ("Cookie",))
        response[SURROGATE_KEY_HEADER] = " ".join(
            sorted(response.nadsite_surrogate_keys)
        )
        return True
    if response.has_header(SURROGATE_KEY_HEADER):
        del response[SURROGATE_KEY_HEADER]
    if getattr(response, "nadsite_public_page", False) or _personal(request):
        patch_cache_control(response, private=True, no_cache=True)
    return False


class PageCacheMiddleware:
    """Answer anonymous readers from the page cache; store what may be stored.

    Sits near the top of MIDDLEWARE (after security and static files) so that
    a cache hit does as little work as possible.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = cache_seconds()
        key = request_key(request)
        generation = None
        if key is not None and seconds > 0:
            entry = cache.get(key)
            if entry is not None:
                return self._response(request, entry)
            generation = cache.get(GENERATION_KEY, 0)
        response = self.get_response(request)
        if apply_cache_headers(request, response, key) and generation is not None:
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


def pages_citing_with_listings(source) -> list[int]:
    """Ids of the pages citing a Source and of the pages above them."""
    from wagtail.models import Page

    ids = pages_citing(source)
    if not ids:
        return []
    ancestors = Page.objects.none()
    for page in Page.objects.filter(pk__in=ids):
        ancestors |= page.get_ancestors()
    return [*ids, *ancestors.values_list("pk", flat=True)]
