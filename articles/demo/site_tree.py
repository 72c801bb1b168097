"""The site's page tree: home, then the article index at /articles/."""

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
