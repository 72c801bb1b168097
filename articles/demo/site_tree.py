"""The site's page tree: home, then the article index at /articles/."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site, Workflow, WorkflowPage

from articles.models import ArticleIndexPage, HomePage


@transaction.atomic
def ensure_site_tree() -> tuple[HomePage, ArticleIndexPage]:
    """The home page and article index, created where missing.

    Wagtail's placeholder "Welcome" page is replaced by the home page when it
    has no children; the default site is pointed at the home page. A new
    article index gets the "Medical review" workflow, so every article in it
    goes through medical review before it can be published.
    """
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        placeholder = Page.objects.filter(
            depth=2, slug="home", content_type__model="page"
        ).first()
        if placeholder is not None and placeholder.is_leaf():
            placeholder.delete()
            root.refresh_from_db()
        home = root.add_child(
            instance=HomePage(
                title="nadsite",
                slug="home",
                intro=(
                    "Health articles in which every claim shows the evidence "
                    "behind it and how strong that evidence is."
                ),
            )
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
    index = ArticleIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=ArticleIndexPage(
                title="Articles",
                slug="articles",
                intro="Every article, newest first, with its review date.",
            )
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
