"""The Site serving a page request and its settings, found by Wagtail once
per state of the Sites.

Wagtail finds the Site of every request it routes with a query
(`Site.find_for_request`: the request's host and port matched against every
Site, with the site's root page), keeps the answer on the request
(`request._wagtail_site`) and reads the root page again as its own type to
route from it; each site setting a page shows (the medical disclaimer in
every page's footer) is a query too, kept on the request under
`get_cache_attr_name()` (`BaseSiteSetting.for_request`). `SiteMiddleware`
gives Wagtail's page view those answers from the Django cache (the root
page already as its own type, a copy that only routes: a request for the
root page itself reads it afresh), under a key naming the request's host
and port and the *generation* of the Sites: a token that is replaced
whenever a Site or a site setting is saved or deleted, or a page moves or
changes its slug (a site's root page among them), so an entry stored for an
older state is never read again. A miss asks Wagtail, exactly as before.

The pages a request only passes through on its way down from the root page
(the article index, for an article) are kept the same way, as copies that
only route (`routing_child`): Wagtail reads each as its own type on every
request otherwise, and routing reads nothing of them but their place in the
tree, which only a move or a slug change alters.

Entries expire after an hour, as Wagtail's own site root paths do, which
bounds what a change made without signals (a queryset update) can leave
behind. The cache is shared by every process that serves
(`articles/checks.py` refuses a per-process cache when there are several),
so a change seen by one is seen by all.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from wagtail.models import Site

GENERATION_KEY = "nadsite:sites-generation"
KEY_PREFIX = "nadsite:site:"
ROUTE_KEY_PREFIX = "nadsite:route:"
SECONDS = 3600
_MISSING = object()
# Set on a page kept in the cache for routing (the site's root page, a page
# requests pass through): that copy routes requests to the pages below it
# and never serves itself. Its value is the generation it was stored under.
ROUTING_ONLY = "nadsite_routing_only"


def generation() -> str:
    """The token naming the current state of the Sites."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        # Lost (evicted, or a new cache): a new token, never an old one, so
        # no entry stored before the loss can be read.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        token = cache.get(GENERATION_KEY)
    return token


def sites_changed(**kwargs) -> None:
    """A new generation now, and again when the transaction commits (a
    request between the two may have stored what it read before the
    commit)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(
        lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, None), robust=True
    )


def site_settings_models() -> list:
    """Every registered site setting (`wagtail.contrib.settings`)."""
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.contrib.settings.registry import registry

    return [model for model in registry if issubclass(model, BaseSiteSetting)]


def site_for_request(request) -> tuple[Site | None, list]:
    """`Site.find_for_request(request)` and the site's settings
    (`for_site`), from the cache when this state of the Sites has answered
    this host and port before."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return Site.find_for_request(request), []
    token = generation()
    raw = f"{token}|{host}|{request.get_port()}"
    key = KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        site = Site.find_for_request(request)
        if site is not None:
            _keep_root_for_routing(site, token)
        settings = (
            [model.for_site(site) for model in site_settings_models()]
            if site is not None
            else []
        )
        found = (site, settings)
        cache.set(key, found, SECONDS)
    return found


def _keep_root_for_routing(site, token: str) -> None:
    """Store the site's root page as its own type, as Wagtail routes
    through it (`site.root_page.specific`: a query on every request
    otherwise), when its type routes from kept copies (`routes_from_cache`,
    the public pages): that copy only routes, and a request for the root
    page itself reads it afresh (`PublicPageMixin.route`)."""
    root = site.root_page.specific
    if getattr(root, "routes_from_cache", False):
        setattr(root, ROUTING_ONLY, token)
        site.root_page = root


def routing_only(page) -> bool:
    """Whether `page` is a copy kept for routing (it never serves itself)."""
    return ROUTING_ONLY in page.__dict__


def routing_child(parent, slug: str, read):
    """The child page `slug` of `parent`, a copy kept for routing, when the
    request goes on below that child: a copy kept for routing too, stored
    under the generation `parent` was stored under (so a move or a slug
    change is never met by an old copy), read with `read()` on a miss.
    None when there is no such child (not stored: a page added under that
    slug routes at once)."""
    token = parent.__dict__[ROUTING_ONLY]
    if not isinstance(token, str):  # stored by older code: no generation
        return read()
    raw = f"{token}|{parent.pk}|{slug}"
    key = ROUTE_KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()
    child = cache.get(key)
    if child is None:
        child = read()
        if child is None:
            return None
        setattr(child, ROUTING_ONLY, token)
        cache.set(key, child, SECONDS)
    return child


class SiteMiddleware:
    """Before Wagtail's page view runs, the request's Site and site
    settings from the cache, where Wagtail keeps them on the request
    (`Site.find_for_request`, `BaseSiteSetting.for_request`)."""

    def __init__(self, get_response):
        from wagtail.views import serve  # needs the models loaded

        self.get_response = get_response
        self.serve = serve

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not self.serve or hasattr(request, "_wagtail_site"):
            return
        site, settings = site_for_request(request)
        request._wagtail_site = site
        for setting in settings:
            setting._request = request  # as `for_request` does
            setattr(request, setting.get_cache_attr_name(), setting)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_slug_changed, post_page_move

    for model in [Site, *site_settings_models()]:
        label = model._meta.label_lower
        post_save.connect(
            sites_changed, sender=model, dispatch_uid=f"nadsite_sites_{label}_saved"
        )
        post_delete.connect(
            sites_changed, sender=model, dispatch_uid=f"nadsite_sites_{label}_deleted"
        )
    post_page_move.connect(sites_changed, dispatch_uid="nadsite_sites_page_moved")
    page_slug_changed.connect(sites_changed, dispatch_uid="nadsite_sites_slug")
