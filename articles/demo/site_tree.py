"""The site's page tree: home, then the article index at /articles/."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site, Workflow, WorkflowPage

from articles.models import ArticleIndexPage, HomePage
from evidence.gate.publish import publish_latest
from evidence.passages import reviewable_units
from evidence.review.decisions import confirm_context

# The text of the tree's pages: every word of it is read by a medical
# reviewer before it goes live (`add_reviewed_page`).
HOME_PAGE = {
    "title": "nadsite",
    "slug": "home",
    # Worded so the claim detector reads no claim in it ("how strong that
    # evidence is" read as one): a flagged unit is decided on its own.
    "intro": (
        "Health articles, every claim with its sources and the certainty of "
        "the research."
    ),
}
ARTICLE_INDEX = {
    "title": "Articles",
    "slug": "articles",
    "intro": "Every article, newest first, with its review date.",
}


def add_reviewed_page(parent, page, reviewer, *, owner=None, publisher=None):
    """Add `page` (an index page: no claims, no passages) under `parent`
    and publish it through the publish gate, as an editor would: saved as a
    draft by `owner`, its units (its title, its introduction) read and
    confirmed "not a claim" together by `reviewer`, a medical reviewer
    (`confirm_context`: "I have read the title and the introduction; none
    states a claim"), then published, by `publisher` with `publish_latest` when
    given. Returns the live page.

    Nothing is waved through: `confirm_context` refuses a unit the claim
    detector flags (it must be decided on its own, by a person) and a
    reviewer who may not review (ReviewRefused), and the gate refuses
    anything left undecided (PublishBlocked).
    """
    page.live = False
    page.owner = owner
    parent.add_child(instance=page)
    revision = page.save_revision(user=owner)
    shown = {u.block_id: u.fingerprint for u in reviewable_units(revision.as_object())}
    confirm_context(page, reviewer, shown)
    if publisher is not None:
        publish_latest(page, publisher)
    else:
        revision.publish()
    return type(page).objects.get(pk=page.pk)


@transaction.atomic
def ensure_site_tree(
    reviewer=None, *, owner=None, publisher=None
) -> tuple[HomePage, ArticleIndexPage]:
    """The home page and article index, created where missing.

    A page created here goes live through the publish gate
    (`add_reviewed_page`): `reviewer`, a medical reviewer, reads its title
    and introduction first, so one is needed when a page is missing.

    Wagtail's placeholder "Welcome" page is replaced by the home page when it
    has no children; the default site is pointed at the home page. A new
    article index gets the "Medical review" workflow, so every article in it
    goes through medical review before it can be published.
    """
    home = HomePage.objects.first()
    index = ArticleIndexPage.objects.child_of(home).first() if home else None
    if (home is None or index is None) and reviewer is None:
        raise ValueError(
            "The site tree is missing pages: give a medical reviewer to "
            "read them before they go live."
        )
    if home is None:
        root = Page.get_first_root_node()
        placeholder = Page.objects.filter(
            depth=2, slug="home", content_type__model="page"
        ).first()
        if placeholder is not None and placeholder.is_leaf():
            placeholder.delete()
            root.refresh_from_db()
        home = add_reviewed_page(
            root, HomePage(**HOME_PAGE), reviewer, owner=owner, publisher=publisher
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="nadsite",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or "nadsite"
        site.save()
    if index is None:
        index = add_reviewed_page(
            home,
            ArticleIndexPage(**ARTICLE_INDEX),
            reviewer,
            owner=owner,
            publisher=publisher,
        )
        review = Workflow.objects.filter(name="Medical review", active=True).first()
        if review is not None:
            WorkflowPage.objects.update_or_create(
                page=index, defaults={"workflow": review}
            )
    return home, index


# Wagtail's first migration makes the default Site "localhost", port 80.
PLACEHOLDER_ADDRESS = ("localhost", 80)


def site_address_from_settings() -> tuple[str, int] | None:
    """The host name and port of WAGTAILADMIN_BASE_URL (the address this
    installation is served at), or None when it does not name one."""
    parts = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "")
    if not parts.hostname:
        return None
    default_port = 443 if parts.scheme == "https" else 80
    return parts.hostname, parts.port or default_port


@transaction.atomic
def point_default_site_at_base_url() -> Site | None:
    """Give the default Site the address of WAGTAILADMIN_BASE_URL while it
    still has Wagtail's placeholder one (localhost, port 80), so that the
    sitemap, canonical links and JSON-LD name the address readers use
    (`make run`: http://127.0.0.1:8000/). A Site someone set is left alone.
    Returns the Site when it changed it."""
    site = Site.objects.select_for_update().filter(is_default_site=True).first()
    address = site_address_from_settings()
    if site is None or address is None:
        return None
    if (site.hostname, site.port) != PLACEHOLDER_ADDRESS or address == (
        site.hostname,
        site.port,
    ):
        return None
    site.hostname, site.port = address
    site.save(update_fields=["hostname", "port"])
    return site
