"""The Site of a page request is Wagtail's answer, found once per state of
the Sites (articles/sites.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from articles.models import ArticleIndexPage, HomePage, MedicalDisclaimer
from articles.sites import GENERATION_KEY, generation, site_for_request
from tests.factories import SourceFactory, make_article, paragraph, publish_approved

pytestmark = pytest.mark.django_db

URL = "/articles/sited/"


@pytest.fixture
def article(article_index, writer, reviewer, editor):
    page = make_article(
        article_index,
        owner=writer,
        slug="sited",
        body=[paragraph(sources=[SourceFactory()])],
    )
    return publish_approved(page, reviewer, editor)


@pytest.fixture
def other_root(db):
    return Page.get_first_root_node().add_child(
        instance=Page(title="Other site", slug="other-root")
    )


def site_queries(captured) -> list[str]:
    tables = ('FROM "wagtailcore_site"', 'FROM "articles_medicaldisclaimer"')
    return [q["sql"] for q in captured if any(t in q["sql"] for t in tables)]


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0)
def test_a_page_request_finds_its_site_and_settings_without_a_query(
    client, home, article
):
    # The first page request reads the Site and creates its disclaimer
    # setting, a change of the site's settings: a new generation.
    client.get(URL)
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    assert "not medical advice" in response.content.decode()
    assert site_queries(captured) == []
    site = response.wsgi_request._wagtail_site
    assert site == Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0)
def test_the_root_page_routes_from_the_cache_and_is_served_afresh(
    client, home, article
):
    for _ in range(2):
        client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    assert not [q for q in captured if 'FROM "articles_homepage"' in q["sql"]]
    # A change without any signal: the home page itself is read again.
    HomePage.objects.filter(pk=home.pk).update(intro="A quiet new introduction.")
    response = client.get("/")
    assert response.status_code == 200
    assert "A quiet new introduction." in response.content.decode()
    HomePage.objects.filter(pk=home.pk).delete()  # the Site goes with it
    assert client.get("/").status_code == 404


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0)
def test_the_index_routes_from_the_cache_and_is_served_afresh(
    client, home, article_index, article
):
    """A page a request only passes through is kept for routing, like the
    root page; a request for that page itself reads it afresh."""
    for _ in range(2):
        client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    assert not [q for q in captured if 'FROM "articles_articleindexpage"' in q["sql"]]
    # A change without any signal: the index itself is read again.
    ArticleIndexPage.objects.filter(pk=article_index.pk).update(
        intro="A quiet new introduction."
    )
    response = client.get(article_index.url)
    assert response.status_code == 200
    assert "A quiet new introduction." in response.content.decode()
    assert client.get(URL).status_code == 200


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0)
def test_an_index_renamed_or_moved_routes_at_once(
    client, home, article_index, article, other_root, django_capture_on_commit_callbacks
):
    for _ in range(2):
        assert client.get(URL).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        article_index.slug = "reading"
        article_index.save_revision().publish()
    assert client.get("/reading/sited/").status_code == 200
    old = client.get(URL)  # not found there: Wagtail's redirect
    assert (old.status_code, old["Location"]) == (301, "/reading/sited/")
    article_index.refresh_from_db()
    article_index.move(other_root, pos="last-child")
    assert client.get("/reading/sited/").status_code != 200


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0)
def test_a_changed_disclaimer_shows_at_once(client, home, article):
    assert "not medical advice" in client.get(URL).content.decode()
    setting = MedicalDisclaimer.for_site(Site.objects.get(is_default_site=True))
    setting.text = "<p>Ask your own doctor first.</p>"
    setting.save()
    html = client.get(URL).content.decode()
    assert "Ask your own doctor first." in html
    assert "not medical advice" not in html


@override_settings(ALLOWED_HOSTS=["*"])
def test_the_answer_is_wagtails_for_every_host_and_port(home, other_root):
    Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    Site.objects.create(hostname="other.example", port=8080, root_page=home)
    factory = RequestFactory()
    hosts = [
        "other.example",
        "other.example:8080",
        "other.example:9000",
        "localhost",
        "elsewhere.example",
        "elsewhere.example:8080",
    ]
    for _ in range(2):  # asked, then from the cache
        for host in hosts:
            wagtails = Site.find_for_request(factory.get("/", HTTP_HOST=host))
            ours, settings = site_for_request(factory.get("/", HTTP_HOST=host))
            assert ours == wagtails, host
            assert ours.root_page_id == wagtails.root_page_id, host
            assert settings == [MedicalDisclaimer.for_site(wagtails)], host


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["*"])
def test_a_changed_site_is_seen_at_once(client, home, article, other_root):
    other = Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    assert client.get(URL, HTTP_HOST="other.example").status_code == 404
    assert client.get(URL, HTTP_HOST="other.example").status_code == 404
    other.root_page = home
    other.save()
    assert client.get(URL, HTTP_HOST="other.example").status_code == 200
    other.root_page = other_root
    other.save()
    assert client.get(URL, HTTP_HOST="other.example").status_code == 404
    other.delete()  # the default site serves every other host
    assert client.get(URL, HTTP_HOST="other.example").status_code == 200


def test_moves_and_slug_changes_start_a_new_generation(
    home, article_index, article, other_root, django_capture_on_commit_callbacks
):
    before = generation()
    article.move(other_root, pos="last-child")
    after_move = generation()
    assert after_move != before
    with django_capture_on_commit_callbacks(execute=True):
        article_index.slug = "reading"
        article_index.save_revision().publish()
    assert generation() != after_move


def test_a_lost_generation_is_never_an_old_one():
    first = generation()
    cache.delete(GENERATION_KEY)
    assert generation() not in (first, None)
