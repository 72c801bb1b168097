"""Hostile input to the API: every error is a 4xx or 5xx in JSON, never HTML,
and nothing is written."""

import json

import pytest
from django.test import Client, override_settings

from articles.models import ArticlePage
from evidence.models import Source
from tests.api.conftest import client_for
from tests.factories import make_article, paragraph

pytestmark = pytest.mark.django_db

DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


def raw_client(user=None) -> Client:
    """A client that answers the way the server does, 500s included."""
    client = client_for(user)
    client.raise_request_exception = False
    return client


def assert_json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response[
        "Content-Type"
    ]
    return response.json()


@pytest.fixture
def article(article_index, staff_writer):
    return make_article(
        article_index,
        owner=staff_writer,
        body=[paragraph("NAD+ falls with age.", role="context", block_id="p-1")],
    )


@pytest.fixture
def endpoints(article):
    """Every JSON endpoint that takes a body: (method, url, role)."""
    return [
        ("post", "/api/v1/auth/token/", None),
        ("post", "/api/v1/articles/", "writer"),
        ("patch", f"/api/v1/articles/{article.pk}/", "writer"),
        ("post", f"/api/v1/articles/{article.pk}/passages/p-1/reviews/", "reviewer"),
        ("post", "/api/v1/sources/", "editor"),
        ("post", "/api/v1/claims/detect/", "editor"),
    ]


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["array", "object"])
def test_deeply_nested_json_is_a_400_on_every_endpoint(
    endpoints, staff_writer, reviewer, editor, body
):
    users = {"writer": staff_writer, "reviewer": reviewer, "editor": editor}
    revisions = ArticlePage.objects.get().revisions.count()
    for method, url, role in endpoints:
        client = raw_client(users.get(role))
        response = getattr(client, method)(url, body, content_type="application/json")
        data = assert_json_error(response, 400)
        assert "nested more than 32 levels" in data["detail"], (url, data)
    assert ArticlePage.objects.count() == 1
    assert ArticlePage.objects.get().revisions.count() == revisions
    assert not Source.objects.exists()


def test_nesting_within_the_limit_is_read(editor):
    nested = {"text": "x"}
    for _ in range(30):
        nested = {"a": nested}
    response = raw_client(editor).post(
        "/api/v1/claims/detect/", json.dumps(nested), content_type="application/json"
    )
    data = assert_json_error(response, 400)
    assert "Unknown field" in data["a"][0]


def test_a_lone_surrogate_is_a_400_not_a_database_error(editor):
    body = '{"title": "Trial \\ud800", "study_design": "rct"}'
    response = raw_client(editor).post(
        "/api/v1/sources/", body, content_type="application/json"
    )
    data = assert_json_error(response, 400)
    assert "lone surrogate" in data["detail"]
    assert not Source.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_an_over_size_json_body_is_a_413_in_json(site_tree):
    body = json.dumps({"username": "a" * 20_000, "password": "x"})
    response = raw_client().post(
        "/api/v1/auth/token/", body, content_type="application/json"
    )
    data = assert_json_error(response, 413)
    assert "larger than this site accepts" in data["detail"]


def test_a_method_the_docs_page_does_not_take_is_a_json_405(site_tree):
    response = raw_client().post("/api/docs/", {})
    data = assert_json_error(response, 405)
    assert "POST" in data["detail"]
    assert "GET" in response["Allow"]


def test_unknown_api_addresses_are_json_404s(site_tree):
    client = raw_client()
    for url in ["/api/v1/nothing/", "/api/v2/", "/api/v1/articles/1/nope/"]:
        assert_json_error(client.get(url), 404)
    assert_json_error(client.get("/api/v1/nothing.json", follow=True), 404)
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    assert_json_error(strict.patch("/api/v1/articles/%C2%84/", "{}"), 404)


def test_a_server_error_in_the_api_is_json(site_tree, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("articles.api.views.article_payloads", broken)
    response = raw_client().get("/api/v1/articles/")
    data = assert_json_error(response, 500)
    assert "error on its side" in data["detail"]
    assert "boom" not in response.content.decode()


def test_errors_outside_the_api_stay_html(site_tree):
    response = raw_client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
