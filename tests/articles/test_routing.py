"""Routing a public request: the same site and page Wagtail would choose,
in fewer statements (articles.routing, articles.views.serve)."""

import pytest
from django.test import RequestFactory, override_settings
from wagtail.models import Page, PageViewRestriction, Site

from articles.models import ArticlePage, HomePage
from articles.routing import find_article, find_site
from tests.factories import SourceFactory, make_article, paragraph, publish_approved

pytestmark = pytest.mark.django_db


def request_for(host: str):
    """A request for `host` ("name" or "name:port"), served on that port."""
    port = host.partition(":")[2] or "80"
    return RequestFactory().get("/", HTTP_HOST=host, SERVER_PORT=port)


def wagtail_choice(host: str):
    """The site Wagtail's own lookup chooses for this request (None: none)."""
    site = Site._find_for_request(request_for(host))
    return site.pk if site else None


@pytest.fixture
def other_root(home):
    """A second root page, a plain Page, for other sites."""
    return Page.get_first_root_node().add_child(
        instance=Page(title="Other site", slug="other")
    )


SITE_SETS = {
    # name: [(hostname, port, is_default), ...] besides the default site
    "default only": [],
    "exact host": [("news.example", 80, False)],
    "same host, two ports": [
        ("news.example", 80, False),
        ("news.example", 8080, False),
    ],
    "host on another port": [("news.example", 8443, False)],
}
HOSTS = [
    "localhost",
    "localhost:8080",
    "news.example",
    "news.example:8080",
    "news.example:9999",
    "elsewhere.example",
]


@pytest.mark.parametrize("sites", SITE_SETS.values(), ids=SITE_SETS.keys())
@pytest.mark.parametrize("host", HOSTS)
def test_the_same_site_as_wagtail(home, other_root, sites, host):
    for hostname, port, is_default in sites:
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=other_root,
            is_default_site=is_default,
        )
    found = find_site(request_for(host))
    assert (found.pk if found else None) == wagtail_choice(host)


def test_no_default_site_and_several_ports_of_a_host_is_no_site(home, other_root):
    Site.objects.all().delete()
    Site.objects.create(hostname="news.example", port=80, root_page=other_root)
    Site.objects.create(hostname="news.example", port=8080, root_page=home)
    assert find_site(request_for("news.example:9999")) is None
    assert wagtail_choice("news.example:9999") is None
    assert find_site(request_for("news.example:8080")).root_page == home


def test_no_site_at_all(db):
    Site.objects.all().delete()
    assert find_site(request_for("localhost")) is None


def test_the_root_page_comes_as_a_home_page_in_one_statement(
    home, django_assert_num_queries
):
    with django_assert_num_queries(1):
        site = find_site(request_for("localhost"))
        root = site.root_page
        assert root.specific is root
    assert type(root) is HomePage
    assert (root.pk, root.url_path, root.intro) == (home.pk, home.url_path, home.intro)
    assert root.first_published_at == Page.objects.get(pk=home.pk).first_published_at
    assert site.root_url == Site.objects.get(pk=site.pk).root_url


def test_a_root_page_of_another_type_stays_a_plain_page(home, other_root):
    Site.objects.create(hostname="news.example", root_page=other_root)
    root = find_site(request_for("news.example")).root_page
    assert type(root) is Page
    assert root.specific == other_root


@pytest.fixture
def article(article_index, writer, reviewer, editor):
    page = make_article(
        article_index,
        owner=writer,
        slug="routed",
        body=[paragraph(sources=[SourceFactory()])],
    )
    return publish_approved(page, reviewer, editor)


def test_find_article_reads_the_article_as_the_orm_does(home, article):
    found = find_article(home, f"{home.url_path}articles/routed/")
    expected = ArticlePage.objects.get(pk=article.pk)
    assert type(found) is ArticlePage
    for field in ArticlePage._meta.concrete_fields:
        if field.name != "body":
            assert getattr(found, field.attname) == getattr(expected, field.attname)
    assert list(found.body.raw_data) == list(expected.body.raw_data)
    assert found.may_be_restricted is False


def test_find_article_misses(home, article):
    assert find_article(home, f"{home.url_path}articles/nowhere/") is None
    assert find_article(home, f"{home.url_path}routed/") is None


@pytest.mark.parametrize("where", ["article", "index", "home"])
def test_a_restriction_on_the_line_of_pages_is_noticed(
    home, article_index, article, where
):
    page = {"article": article, "index": article_index, "home": home}[where]
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    assert find_article(home, article.url_path).may_be_restricted is True


def test_a_restriction_beside_the_line_is_not(home, article_index, article):
    sibling = article_index.add_child(instance=Page(title="Sibling", slug="sibling"))
    PageViewRestriction.objects.create(
        page=sibling, restriction_type=PageViewRestriction.LOGIN
    )
    assert find_article(home, article.url_path).may_be_restricted is False


def test_an_alias_article_is_noticed(home, article_index, article):
    alias = article.create_alias(update_slug="routed-alias")
    found = find_article(home, f"{home.url_path}articles/routed-alias/")
    assert found.pk == alias.pk
    assert found.may_be_restricted is True


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0)
def test_pages_are_served_through_the_fast_route(client, home, article):
    assert client.get("/").status_code == 200
    assert client.get("/articles/").status_code == 200
    response = client.get("/articles/routed/")
    assert response.status_code == 200
    assert response.wsgi_request._wagtail_site.root_page == home
    assert client.get("/articles/nowhere/").status_code == 404
    assert client.get("/no/such/page/").status_code == 404
