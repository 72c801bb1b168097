"""The anonymous page cache: what it stores and when it lets go."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from articles.models import ArticlePage
from tests.factories import (
    SourceFactory,
    make_article,
    paragraph,
    publish_approved,
    set_passage_text,
)

pytestmark = pytest.mark.django_db

URL = "/articles/cached-article/"


@pytest.fixture(autouse=True)
def page_cache():
    cache.clear()
    with override_settings(NADSITE_PAGE_CACHE_SECONDS=300):
        yield
    cache.clear()


@pytest.fixture
def source(db):
    return SourceFactory(title="Original source title")


@pytest.fixture
def live(article_index, writer, reviewer, editor, source):
    page = make_article(
        article_index,
        owner=writer,
        slug="cached-article",
        title="Cached article",
        body=[paragraph("First wording.", sources=[source])],
    )
    return publish_approved(page, reviewer, editor)


def change_behind_the_cache(page, title):
    """Change the live row without any signal, as a stale copy would hide."""
    ArticlePage.objects.filter(pk=page.pk).update(title=title)


def test_anonymous_readers_get_the_stored_copy(client, live):
    first = client.get(URL)
    assert "Cached article" in first.content.decode()
    assert "Cookie" in first["Vary"]
    change_behind_the_cache(live, "Changed quietly")
    again = client.get(URL)
    assert again.content == first.content
    head = client.head(URL)
    assert head.status_code == 200 and head.content == b""


def test_publishing_drops_the_page_and_listing_copies(
    client, live, writer, reviewer, editor, django_capture_on_commit_callbacks
):
    for url in (URL, "/articles/", "/"):
        assert "Cached article" in client.get(url).content.decode()
    set_passage_text(live, writer, 0, "Second wording.")
    version = ArticlePage.objects.get(pk=live.pk).get_latest_revision_as_object()
    version.title = "Renamed article"
    version.save_revision(user=writer)
    with django_capture_on_commit_callbacks(execute=True):
        publish_approved(live, reviewer, editor)
    assert "Second wording." in client.get(URL).content.decode()
    for url in (URL, "/articles/", "/"):
        html = client.get(url).content.decode()
        assert "Renamed article" in html and "Cached article" not in html


def test_unpublishing_removes_the_page_from_readers(
    client, live, editor, django_capture_on_commit_callbacks
):
    client.get(URL)
    client.get("/articles/")
    with django_capture_on_commit_callbacks(execute=True):
        live.unpublish(user=editor)
    assert client.get(URL).status_code == 404
    assert "Cached article" not in client.get("/articles/").content.decode()


def test_editing_a_cited_source_drops_the_pages_that_cite_it(
    client, live, source, django_capture_on_commit_callbacks
):
    assert "Original source title" in client.get(URL).content.decode()
    client.get("/articles/")
    source.title = "Corrected source title"
    with django_capture_on_commit_callbacks(execute=True):
        source.save()
    html = client.get(URL).content.decode()
    assert "Corrected source title" in html and "Original source title" not in html


def test_editing_an_uncited_source_keeps_the_copy(
    client, live, django_capture_on_commit_callbacks
):
    client.get(URL)
    change_behind_the_cache(live, "Changed quietly")
    with django_capture_on_commit_callbacks(execute=True):
        other = SourceFactory()
        other.title = "Something else"
        other.save()
    assert "Changed quietly" not in client.get(URL).content.decode()


def test_signed_in_users_and_other_query_strings_bypass_the_cache(client, live, writer):
    client.get(URL)
    change_behind_the_cache(live, "Changed quietly")
    assert "Changed quietly" in client.get(URL, {"utm_source": "x"}).content.decode()
    client.force_login(writer)
    assert "Changed quietly" in client.get(URL).content.decode()


def test_index_pages_are_stored_separately(client, live):
    first = client.get("/articles/")
    second = client.get("/articles/", {"page": "2"})
    assert first.status_code == second.status_code == 200
    change_behind_the_cache(live, "Changed quietly")
    assert "Changed quietly" not in client.get("/articles/").content.decode()


def test_zero_seconds_turns_the_cache_off(client, live):
    with override_settings(NADSITE_PAGE_CACHE_SECONDS=0):
        client.get(URL)
        change_behind_the_cache(live, "Changed quietly")
        assert "Changed quietly" in client.get(URL).content.decode()


def test_errors_and_search_results_are_not_stored(client, live):
    assert client.get("/articles/nope/").status_code == 404
    make_article(live.get_parent(), slug="nope")  # a draft now sits there
    assert client.get("/articles/nope/").status_code == 404
    client.get("/search/", {"q": "cached"})
    change_behind_the_cache(live, "Changed quietly")
    assert "Changed quietly" in client.get("/search/", {"q": "cached"}).content.decode()
