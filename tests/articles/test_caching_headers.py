"""What public pages tell shared caches: Cache-Control and surrogate keys."""

import pytest
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory, override_settings

from articles.caching import SURROGATE_KEY_HEADER, apply_cache_headers, request_key
from tests.factories import (
    SourceFactory,
    make_article,
    paragraph,
    publish_approved,
    study,
)

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=60, s-maxage=86400"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    with override_settings(
        NADSITE_PAGE_CACHE_SECONDS=300,
        NADSITE_BROWSER_CACHE_SECONDS=60,
        NADSITE_SHARED_CACHE_SECONDS=86400,
    ):
        yield
    cache.clear()


@pytest.fixture
def sources(db):
    return SourceFactory(), SourceFactory(), SourceFactory()


@pytest.fixture
def article(article_index, writer, reviewer, editor, sources):
    first, second, _uncited = sources
    page = make_article(
        article_index,
        owner=writer,
        slug="tagged",
        body=[paragraph("A claim.", sources=[first]), study(second)],
    )
    return publish_approved(page, reviewer, editor)


def keys(response) -> set[str]:
    return set(response[SURROGATE_KEY_HEADER].split())


def test_an_article_is_public_and_names_the_page_and_every_cited_source(
    client, article, sources
):
    first, second, uncited = sources
    response = client.get("/articles/tagged/")
    assert response["Cache-Control"] == PUBLIC
    assert "Cookie" in response["Vary"]
    assert keys(response) == {
        f"page-{article.pk}",
        f"source-{first.pk}",
        f"source-{second.pk}",
    }
    stored = client.get("/articles/tagged/")  # from the page cache: the same
    assert stored["Cache-Control"] == PUBLIC and keys(stored) == keys(response)


def test_a_listing_names_itself_and_the_pages_it_lists(
    client, article, article_index, home
):
    listing = client.get("/articles/")
    assert listing["Cache-Control"] == PUBLIC
    assert {f"page-{article_index.pk}", f"page-{article.pk}"} <= keys(listing)
    assert client.get("/articles/", {"page": "1"})["Cache-Control"] == PUBLIC
    front = client.get("/")
    assert front["Cache-Control"] == PUBLIC
    assert {f"page-{home.pk}", f"page-{article.pk}"} <= keys(front)


def test_a_signed_in_reader_gets_a_private_page_without_keys(client, article, editor):
    client.force_login(editor)
    response = client.get("/articles/tagged/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert SURROGATE_KEY_HEADER not in response


def test_other_query_strings_are_not_public(client, article):
    response = client.get("/articles/tagged/", {"utm_source": "newsletter"})
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert SURROGATE_KEY_HEADER not in response


def test_a_preview_is_never_public(article):
    response = article.make_preview_request()
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    assert SURROGATE_KEY_HEADER not in response


def test_errors_search_and_the_api_say_nothing_public(client, article):
    for url in ("/articles/missing/", "/search/?q=claim", "/api/v1/articles/"):
        response = client.get(url)
        assert "public" not in response.get("Cache-Control", ""), url
        assert SURROGATE_KEY_HEADER not in response, url


def page_response():
    response = HttpResponse("page")
    response.nadsite_public_page = True
    response.nadsite_cache_page_id = 1
    response.nadsite_surrogate_keys = {"page-1"}
    return response


def anonymous_request():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/articles/tagged/")
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_page_with_a_csrf_token_is_private():
    request = anonymous_request()
    get_token(request)  # what {% csrf_token %} does for a form
    response = page_response()
    assert apply_cache_headers(request, response, request_key(request)) is False
    assert "private" in response["Cache-Control"]
    assert SURROGATE_KEY_HEADER not in response


def test_a_page_showing_a_message_is_private():
    request = anonymous_request()
    request._messages.add(constants.INFO, "Saved.")
    list(get_messages(request))  # the template showed it
    response = page_response()
    assert apply_cache_headers(request, response, request_key(request)) is False
    assert "private" in response["Cache-Control"]


def test_a_page_that_sets_a_cookie_is_private():
    request = anonymous_request()
    response = page_response()
    response.set_cookie("seen", "1")
    assert apply_cache_headers(request, response, request_key(request)) is False
    assert "private" in response["Cache-Control"]


def test_the_same_page_untouched_is_public():
    request = anonymous_request()
    response = page_response()
    assert apply_cache_headers(request, response, request_key(request)) is True
    assert response["Cache-Control"] == PUBLIC
    assert response[SURROGATE_KEY_HEADER] == "page-1"
