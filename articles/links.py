"""Internal page links in rich text, expanded through Wagtail's link handlers.

Wagtail's `PageLinkHandler` reads the linked pages as their own types (one
query, then one per page type) and then looks up the site root paths once for
each linked page (a Django-cache read, a query when the cache is cold).
`PageLinks`, registered in its place for the "page" link type
(`articles/wagtail_hooks.py`), reads every linked page of a text in one
query and asks each for its address as Wagtail does (`page.localized.url`),
so every rich text on the site (the article, the API's `html`, block
previews, the disclaimer) gives the same links as before for fewer queries.

The article page reads its linked pages once per request (`LinkedPages`),
before its fragment cache is asked: their addresses are part of the
fragment's key, and the same pages expand the links when the fragment is
rendered, with the addresses Wagtail gives for this request's site
(`page.get_url(request)`).
"""

from collections.abc import Iterable

from django.utils.html import escape
from wagtail.models import Page
from wagtail.rich_text import expand_db_html, features
from wagtail.rich_text.pages import PageLinkHandler
from wagtail.rich_text.rewriters import LinkRewriter

# The Page fields an address needs (`get_url_parts`, `localized`).
_ADDRESS_FIELDS = (
    "id",
    "content_type",
    "url_path",
    "live",
    "locale",
    "translation_key",
)


def _own_addresses(model) -> bool:
    """Whether a page type works out its addresses itself (then its pages
    are read as their own type, as Wagtail's handler reads every page)."""
    return model is not None and (
        model.get_url_parts is not Page.get_url_parts
        or model.get_url is not Page.get_url
        or model.localized is not Page.localized
    )


class PageLinks(PageLinkHandler):
    """Wagtail's "page" link handler, with every linked page read in one
    query (no page type here builds its own addresses)."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list[Page | None]:
        ids = {str(attrs.get("id")) for attrs in attrs_list}
        found = {
            str(page.pk): page
            for page in Page.objects.filter(
                pk__in=[pk for pk in ids if pk.isdigit()]
            ).only(*_ADDRESS_FIELDS)
        }
        for key, page in found.items():
            if _own_addresses(page.specific_class):
                found[key] = page.specific
        return [found.get(str(attrs.get("id"))) for attrs in attrs_list]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return opening_tags(cls.get_many(attrs_list))


def opening_tags(pages: Iterable[Page | None], request=None) -> list[str]:
    """The `<a>` opening tag of a link to each page, as Wagtail writes it:
    its address for this request (`get_url`), `<a>` for a missing page or
    one no site serves."""
    tags = []
    for page in pages:
        url = page.localized.get_url(request) if page is not None else None
        tags.append(f'<a href="{escape(url)}">' if url is not None else "<a>")
    return tags


def _page_links(text: str) -> list[dict]:
    """The attributes of every internal page link in a stored rich text."""
    if "linktype" not in text:
        return []
    return [match.attrs for match in LinkRewriter().extract_tags(text).get("page", ())]


class LinkedPages:
    """The pages that stored rich texts link to, read in one query (none
    without page links), and their links for one request."""

    def __init__(self, texts: Iterable[str], request=None):
        links = [attrs for text in texts for attrs in _page_links(text)]
        pages = PageLinks.get_many(links) if links else []
        self._tags = {
            str(attrs.get("id")): tag
            for attrs, tag in zip(links, opening_tags(pages, request), strict=True)
        }

    @property
    def tags(self) -> list[tuple[str, str]]:
        """(page id, opening tag) of every linked page: what the links show."""
        return sorted(self._tags.items())

    def expand(self, html: str) -> str:
        """Stored rich text as readers see it (`expand_db_html`), the page
        links from the pages already read."""
        rules = {
            kind: handler.expand_db_attributes_many
            for kind, handler in features.get_link_types().items()
        }
        rules["page"] = self._opening_tags
        return expand_db_html(LinkRewriter(bulk_rules=rules)(html))

    def _opening_tags(self, attrs_list: list[dict]) -> list[str]:
        missing = [a for a in attrs_list if str(a.get("id")) not in self._tags]
        if missing:  # not among the texts read: Wagtail's way, one query
            self._tags.update(
                zip(
                    (str(a.get("id")) for a in missing),
                    PageLinks.expand_db_attributes_many(missing),
                    strict=True,
                )
            )
        return [self._tags[str(attrs.get("id"))] for attrs in attrs_list]
