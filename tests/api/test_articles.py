"""Articles through the API: who may do what, body checks, ids, queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from articles.models import ArticlePage
from tests.api.conftest import client_for
from tests.factories import SourceFactory, make_article, paragraph, shown_fingerprint

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "writer", "reviewer", "editor", "superuser"]


def new_article(client, **extra):
    data = {
        "title": "A draft",
        "standfirst": "Summary.",
        "body": [{"type": "paragraph", "value": {"text": "<p>Hello.</p>"}}],
        **extra,
    }
    return client.post("/api/v1/articles/", data, format="json")


def publish_directly(page, user):
    """Publish bypassing review, as a page that predates the API would be."""
    page.live = True
    Page.objects.filter(pk=page.pk).update(live=True, has_unpublished_changes=False)
    page.refresh_from_db()
    return page


@pytest.fixture
def draft(article_index, staff_writer):
    return make_article(
        article_index,
        owner=staff_writer,
        body=[paragraph("NAD+ falls with age.", role="context", block_id="p-1")],
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("writer", 201),
        ("reviewer", 403),
        ("editor", 201),
        ("superuser", 201),
    ],
)
def test_create_permissions(site_tree, role_clients, role, expected):
    response = new_article(role_clients[role], slug=f"draft-{role}")
    assert response.status_code == expected, response.json()
    if expected == 201:
        page = ArticlePage.objects.get(pk=response.json()["id"])
        assert page.live is False
        assert page.get_parent().specific.slug == "articles"
        assert page.latest_revision is not None


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("writer", 200),
        ("reviewer", 403),
        ("editor", 200),
        ("superuser", 200),
    ],
)
def test_patch_permissions(draft, role_clients, role, expected):
    response = role_clients[role].patch(
        f"/api/v1/articles/{draft.pk}/", {"title": f"By {role}"}, format="json"
    )
    assert response.status_code == expected
    draft.refresh_from_db()
    changed = draft.get_latest_revision_as_object().title == f"By {role}"
    assert changed is (expected == 200)
    assert draft.live is False


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("writer", 200),
        ("reviewer", 200),
        ("editor", 200),
        ("superuser", 200),
    ],
)
def test_readiness_permissions(draft, role_clients, role, expected):
    response = role_clients[role].get(f"/api/v1/articles/{draft.pk}/readiness/")
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("writer", 403),
        ("reviewer", 403),
        ("editor", 409),
        ("superuser", 409),
    ],
)
def test_publish_permissions(article_index, staff_writer, role_clients, role, expected):
    page = make_article(
        article_index, owner=staff_writer, body=[paragraph("NAD+ cures ageing.")]
    )
    response = role_clients[role].post(f"/api/v1/articles/{page.pk}/publish/")
    assert response.status_code == expected
    if expected == 409:
        problems = response.json()["problems"]
        # The title and the standfirst first, then the passage.
        assert [p["block_id"] for p in problems[:2]] == ["title", "standfirst"]
        [problem, *_] = [p for p in problems if p["position"] >= 1]
        assert problem["rule"] == "uncited_claim"
        assert set(problem) == {"block_id", "position", "rule", "excerpt", "message"}
    page.refresh_from_db()
    assert page.live is False


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("writer", 403),
        ("reviewer", 201),
        ("editor", 403),
        ("superuser", 201),
    ],
)
def test_review_permissions(draft, role_clients, role, expected):
    response = role_clients[role].post(
        f"/api/v1/articles/{draft.pk}/passages/p-1/reviews/",
        {"decision": "not_a_claim", "fingerprint": shown_fingerprint(draft, "p-1")},
        format="json",
    )
    assert response.status_code == expected, response.json()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("writer", 200),
        ("reviewer", 200),
        ("editor", 200),
        ("superuser", 200),
    ],
)
def test_review_history_permissions(draft, role_clients, role, expected):
    response = role_clients[role].get(
        f"/api/v1/articles/{draft.pk}/passages/p-1/reviews/"
    )
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_visible_only_to_staff_asking_for_them(draft, role_clients, role):
    client = role_clients[role]
    assert client.get(f"/api/v1/articles/{draft.pk}/").status_code == 404
    assert client.get("/api/v1/articles/").json()["count"] == 0
    latest = client.get(f"/api/v1/articles/{draft.pk}/?revision=latest")
    listing = client.get("/api/v1/articles/?revision=latest")
    if role == "anonymous":
        assert latest.status_code == listing.status_code == 403
    else:
        assert latest.status_code == 200
        assert latest.json()["live"] is False
        assert [a["id"] for a in listing.json()["results"]] == [draft.pk]


def test_anonymous_reads_the_live_version_not_the_draft(draft, staff_writer):
    live = publish_directly(draft, staff_writer)
    new = live.get_latest_revision_as_object()
    new.title = "Draft title"
    new.body = [paragraph("Secret new wording.", block_id="p-1")]
    new.save_revision(user=staff_writer)
    public = client_for(None).get(f"/api/v1/articles/{draft.pk}/").json()
    assert public["title"] != "Draft title"
    # the title, the standfirst, then the body
    assert public["passages"][2]["text"] == "NAD+ falls with age."
    latest = client_for(staff_writer).get(
        f"/api/v1/articles/{draft.pk}/?revision=latest"
    )
    assert latest.json()["title"] == "Draft title"
    assert latest.json()["passages"][2]["text"] == "Secret new wording."


def test_patch_keeps_ids_of_blocks_sent_with_them(draft, staff_writer):
    client = client_for(staff_writer)
    response = client.patch(
        f"/api/v1/articles/{draft.pk}/",
        {
            "body": [
                {"type": "heading", "value": {"text": "New section"}},
                {
                    "type": "paragraph",
                    "id": "p-1",
                    "value": {"text": "<p>NAD+ falls with age.</p>", "role": "context"},
                },
                {"type": "paragraph", "value": {"text": "<p>Another.</p>"}},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    passages = [p for p in response.json()["passages"] if p["position"] >= 1]
    assert [p["type"] for p in passages] == ["heading", "paragraph", "paragraph"]
    ids = [p["block_id"] for p in passages]  # a heading is a passage too
    assert ids[1] == "p-1"
    assert ids[2] and ids[2] != "p-1"
    stored = ArticlePage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert [child.id for child in stored.body] == ids
    assert stored.body[0].id  # the heading got an id too
    assert draft.revisions.count() == 2


def test_patched_page_still_opens_in_the_admin(draft, staff_writer, client):
    client_for(staff_writer).patch(
        f"/api/v1/articles/{draft.pk}/",
        {"body": [{"type": "paragraph", "value": {"text": "<p>Edited.</p>"}}]},
        format="json",
    )
    client.force_login(staff_writer)
    response = client.get(f"/admin/pages/{draft.pk}/edit/")
    assert response.status_code == 200
    assert b"Edited." in response.content


@pytest.mark.parametrize(
    ("block", "field", "fragment"),
    [
        ({"type": "quote", "value": {}}, "type", "Unknown block type"),
        ("not an object", "", "must be an object"),
        (
            {"type": "paragraph", "value": {"text": 5}},
            "text",
            "HTML text",
        ),
        (
            {
                "type": "paragraph",
                "value": {"text": "<p>x</p>", "citations": [{"source": 999999}]},
            },
            "citations.0.source",
            "Source 999999 does not exist",
        ),
        (
            {
                "type": "paragraph",
                "value": {"text": "<p>x</p>", "citations": [{"source": 10**30}]},
            },
            "citations.0.source",
            "does not exist",
        ),
        (
            {
                "type": "paragraph",
                "value": {"text": "<p>x</p>", "citations": [{"source": "12"}]},
            },
            "citations.0.source",
            "id (a number)",
        ),
        (
            {"type": "paragraph", "value": {"text": "<p>x</p>", "role": "rumour"}},
            "role",
            "rumour",
        ),
        ({"type": "paragraph", "value": {"txt": "<p>x</p>"}}, "txt", "Unknown field"),
        ({"type": "heading", "value": {"text": "x" * 300}}, "text", "200"),
        ({"type": "list", "value": {"text": "one"}}, "text", "Must be a list"),
        ({"type": "table", "value": {"text": {"data": "x"}}}, "text.data", "rows"),
        ({"type": "paragraph", "id": 7, "value": {}}, "id", "block id"),
    ],
)
def test_body_errors_name_the_block_and_field(
    site_tree, staff_writer, block, field, fragment
):
    body = [{"type": "heading", "value": {"text": "Fine"}}, block]
    response = new_article(client_for(staff_writer), body=body)
    assert response.status_code == 400
    errors = response.json()["body"]
    assert any(
        e["index"] == 1 and e["field"] == field and fragment in e["message"]
        for e in errors
    ), errors
    assert not ArticlePage.objects.exists()


def test_bad_stance_is_reported_on_the_citation(site_tree, staff_writer):
    source = SourceFactory()
    body = [
        {
            "type": "paragraph",
            "value": {
                "text": "<p>x</p>",
                "citations": [{"source": source.pk, "stance": "likes"}],
            },
        }
    ]
    errors = new_article(client_for(staff_writer), body=body).json()["body"]
    assert [(e["index"], e["field"]) for e in errors] == [(0, "citations.0.stance")]


def test_duplicate_block_ids_are_refused(site_tree, staff_writer):
    block = {"type": "paragraph", "id": "same", "value": {"text": "<p>x</p>"}}
    errors = new_article(client_for(staff_writer), body=[block, block]).json()["body"]
    assert [(e["index"], e["field"]) for e in errors] == [(1, "id")]


@pytest.mark.parametrize(
    "payload",
    [
        [],
        "text",
        {"title": 5, "standfirst": ["x"], "body": {}},
        {"title": "T", "standfirst": "S", "stand_first": "typo"},
        {"title": "T", "standfirst": "S", "subject_route": "nasal"},
        {"title": "!!!", "standfirst": "S"},
    ],
)
def test_malformed_article_input_is_a_400(site_tree, staff_writer, payload):
    response = client_for(staff_writer).post(
        "/api/v1/articles/", payload, format="json"
    )
    assert response.status_code == 400
    assert response.json()


def test_invalid_json_is_a_400(site_tree, staff_writer):
    response = client_for(staff_writer).post(
        "/api/v1/articles/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_taken_slug_is_a_400(site_tree, staff_writer):
    client = client_for(staff_writer)
    assert new_article(client, slug="same").status_code == 201
    response = new_article(client, slug="same")
    assert response.status_code == 400
    assert "already in use" in response.json()["slug"][0]


def test_rich_text_is_cleaned_like_the_admin_editor(site_tree, staff_writer):
    body = [
        {
            "type": "paragraph",
            "value": {
                "text": '<p onclick="x()">Hi<script>alert(1)</script> '
                '<a href="https://example.org/">link</a></p>'
            },
        }
    ]
    article = new_article(client_for(staff_writer), body=body).json()
    [html] = [p["html"] for p in article["passages"] if p["position"] >= 1]
    assert "script" not in html and "onclick" not in html
    assert '<a href="https://example.org/">link</a>' in html


def test_huge_ids_in_the_url_are_404(site_tree, staff_writer):
    client = client_for(staff_writer)
    for url in (
        "/api/v1/articles/99999999999999999999999/",
        "/api/v1/articles/99999999999999999999999/readiness/",
        "/api/v1/articles/99999999999999999999999/passages/x/reviews/",
    ):
        assert client.get(url).status_code == 404


def test_article_list_runs_a_fixed_number_of_queries(
    article_index, staff_writer, reviewer
):
    def fill(count):
        for n in range(count):
            sources = [SourceFactory(), SourceFactory()]
            page = make_article(
                article_index,
                owner=staff_writer,
                body=[
                    paragraph(f"NAD+ claim {n}.", sources=sources),
                    paragraph(f"Another claim {n}.", sources=sources[:1]),
                ],
            )
            publish_directly(page, staff_writer)
            page.reviewed_by.add(reviewer)

    client = client_for(None)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/articles/")
        assert response.status_code == 200
        return len(captured), response.json()["count"]

    fill(1)
    queries()  # warm caches: the site's root paths are cached after one use
    small, count = queries()
    assert count == 1
    fill(5)
    large, count = queries()
    assert count == 6
    assert large == small

    staff = client_for(staff_writer)
    with CaptureQueriesContext(connection) as few:
        staff.get("/api/v1/articles/?revision=latest&page_size=2")
    with CaptureQueriesContext(connection) as many:
        staff.get("/api/v1/articles/?revision=latest&page_size=6")
    assert len(many) == len(few)


def test_pagination_caps_page_size(article_index, staff_writer):
    for _ in range(3):
        publish_directly(make_article(article_index, owner=staff_writer), staff_writer)
    response = client_for(None).get("/api/v1/articles/?page_size=2").json()
    assert response["count"] == 3
    assert len(response["results"]) == 2
    assert response["next"]
    big = client_for(None).get("/api/v1/articles/?page_size=100000").json()
    assert len(big["results"]) == 3
    assert client_for(None).get("/api/v1/articles/?page=99").status_code == 404


@pytest.mark.parametrize(
    "url", ["/api/v1/articles/abc/", "/api/v1/nothing-here/", "/api/v2/"]
)
def test_unknown_api_addresses_are_json_404s(anon_client, url):
    response = anon_client.get(url)
    assert response.status_code == 404
    assert "no API endpoint" in response.json()["detail"]


def test_api_address_without_slash_still_redirects(anon_client, site_tree):
    response = anon_client.get("/api/v1/articles")
    assert response.status_code == 301
    assert response["Location"].endswith("/api/v1/articles/")
