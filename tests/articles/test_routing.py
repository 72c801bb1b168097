"""Wagtail routes public requests: its own page view, site lookup and tree
walk, never a re-implementation (issue 11, item 4)."""

import pytest
from django.test import override_settings
from django.urls import resolve, reverse
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site

from articles.demo.site_tree import add_reviewed_page
from articles.models import ArticleIndexPage, ArticlePage
from tests.factories import SourceFactory, make_article, paragraph, publish_approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(article_index, writer, reviewer, editor):
    page = make_article(
        article_index,
        owner=writer,
        slug="routed",
        body=[paragraph(sources=[SourceFactory()])],
    )
    return publish_approved(page, reviewer, editor)


def test_page_addresses_go_to_wagtails_own_view():
    for path in ("/", "/articles/", "/articles/routed/", "/no/such/page/"):
        assert resolve(path).func is wagtail_views.serve
    assert reverse("wagtail_serve", args=["articles/routed/"]) == "/articles/routed/"


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0)
def test_a_child_of_another_type_is_routed_by_wagtails_page_route(
    client, article_index, article, site_reviewer
):
    """Public pages read a child of their one allowed type in one query
    (`PublicPageMixin.route`); any other child is Wagtail's `Page.route`."""
    odd = add_reviewed_page(
        article_index,
        ArticleIndexPage(title="Odd child", slug="odd-child"),
        site_reviewer,
    )
    response = client.get("/articles/odd-child/")
    assert response.status_code == 200
    assert response.context["page"] == odd
    assert client.get("/articles/routed/").context["page"] == article


def test_view_restrictions_follow_wagtails_rule(home, article_index, article):
    """`get_view_restrictions` (one query) finds what Wagtail's finds: the
    restrictions of the page and the pages above it, an alias taking its
    source page's."""
    mirror = article_index.create_alias(recursive=True, update_slug="mirror")
    mirrored = ArticlePage.objects.child_of(mirror).get()
    PageViewRestriction.objects.create(
        page=article_index, restriction_type=PageViewRestriction.LOGIN
    )
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    for page in (home, article_index, article, mirror.specific, mirrored):
        ours = set(page.get_view_restrictions())
        wagtails = set(Page.get_view_restrictions(page))
        assert ours == wagtails, page


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0)
def test_pages_are_served_by_wagtail(client, home, article):
    assert client.get("/").status_code == 200
    assert client.get("/articles/").status_code == 200
    response = client.get("/articles/routed/")
    assert response.status_code == 200
    assert response.context["page"] == article
    assert response.wsgi_request._wagtail_site.root_page_id == home.pk
    assert client.get("/articles/nowhere/").status_code == 404
    assert client.get("/articles/routed/more/").status_code == 404
    assert client.get("/no/such/page/").status_code == 404


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["*"])
def test_another_site_serves_its_own_tree(client, home, article):
    """Wagtail's hostname rules pick the site: another hostname with its own
    root page does not serve the health articles."""
    other = Page.get_first_root_node().add_child(
        instance=Page(title="Other site", slug="other")
    )
    Site.objects.create(hostname="other.example", port=80, root_page=other)
    assert client.get("/articles/routed/").status_code == 200
    assert client.get("/articles/routed/", HTTP_HOST="other.example").status_code == (
        404
    )
    assert client.get(
        "/articles/routed/", HTTP_HOST="elsewhere.example"
    ).status_code == (
        200  # no site has this hostname: the default site serves it
    )
