"""Article endpoints given what an attacker or a careless client sends:
aliases, control characters, rich text the editor allows."""

import pytest

from articles.models import ArticlePage
from evidence.models import ReviewDecision
from tests.api.conftest import client_for
from tests.api.test_errors import assert_json_error, raw_client
from tests.factories import make_article, paragraph, table

pytestmark = pytest.mark.django_db


@pytest.fixture
def alias(article_index, staff_writer):
    original = make_article(
        article_index,
        owner=staff_writer,
        title="The original",
        body=[paragraph("NAD+ falls with age.", role="context", block_id="p-1")],
    )
    return original.create_alias(update_slug="the-alias")


def test_patching_an_alias_is_a_409_naming_the_original(alias, editor):
    response = raw_client(editor).patch(
        f"/api/v1/articles/{alias.pk}/", {"title": "Changed"}, format="json"
    )
    data = assert_json_error(response, 409)
    assert f"article {alias.alias_of_id}" in data["detail"]
    alias.refresh_from_db()
    assert alias.title == "The original"
    assert not alias.revisions.exists()


def test_publishing_or_reviewing_an_alias_is_a_409(alias, editor, reviewer):
    published = raw_client(editor).post(f"/api/v1/articles/{alias.pk}/publish/")
    data = assert_json_error(published, 409)
    assert data["publishable"] is False
    assert f"article {alias.alias_of_id}" in data["detail"]
    reviewed = raw_client(reviewer).post(
        f"/api/v1/articles/{alias.pk}/passages/p-1/reviews/",
        {"decision": "not_a_claim"},
        format="json",
    )
    assert_json_error(reviewed, 409)
    assert not ReviewDecision.objects.filter(page=alias).exists()


def new_article(client, body, **fields):
    data = {"title": "A draft", "standfirst": "Summary.", "body": body, **fields}
    return client.post("/api/v1/articles/", data, format="json")


def table_block(rows, caption=""):
    return {
        "type": "table",
        "value": {
            "text": {"data": rows, "table_caption": caption},
            "role": "context",
        },
    }


@pytest.mark.parametrize(
    ("block", "field"),
    [
        (table_block([["Dose", "n"], ["250\x00 mg", "12"]]), "text.data.1.0"),
        (table_block([["Dose"]], caption="Trials\x00"), "text.table_caption"),
        (
            {"type": "paragraph", "value": {"text": "<p>NAD\x00+</p>"}},
            "text",
        ),
        ({"type": "heading", "value": {"text": "Dose\x07s"}}, "text"),
    ],
    ids=["table-cell", "table-caption", "paragraph", "heading"],
)
def test_control_characters_in_a_block_are_a_400_naming_it(
    site_tree, staff_writer, block, field
):
    response = new_article(raw_client(staff_writer), [block])
    data = assert_json_error(response, 400)
    [error] = data["body"]
    assert error["index"] == 0
    assert error["field"] == field
    assert "control character" in error["message"]
    assert not ArticlePage.objects.exists()


def test_control_characters_in_a_patched_table_write_nothing(
    article_index, staff_writer
):
    page = make_article(
        article_index, owner=staff_writer, body=[table([["Dose"], ["250 mg"]])]
    )
    revisions = page.revisions.count()
    response = raw_client(staff_writer).patch(
        f"/api/v1/articles/{page.pk}/",
        {"body": [table_block([["Dose"], ["250\x00 mg"]])]},
        format="json",
    )
    assert_json_error(response, 400)
    assert page.revisions.count() == revisions


def test_control_characters_in_the_title_are_a_400_naming_it(site_tree, staff_writer):
    response = new_article(raw_client(staff_writer), [], title="NAD\x1b[31m+")
    data = assert_json_error(response, 400)
    assert "control character U+001B" in data["title"][0]
    assert not ArticlePage.objects.exists()


def test_superscript_and_subscript_are_kept(site_tree, staff_writer):
    text = "<p>H<sub>2</sub>O and 10<sup>6</sup> cells</p>"
    response = new_article(
        client_for(staff_writer),
        [{"type": "paragraph", "value": {"text": text, "role": "context"}}],
    )
    assert response.status_code == 201, response.json()
    [passage] = [p for p in response.json()["passages"] if p["position"] >= 1]
    assert "H<sub>2</sub>O and 10<sup>6</sup> cells</p>" in passage["html"]
    stored = ArticlePage.objects.get().body.raw_data[0]["value"]["text"]
    assert "<sub>2</sub>" in stored and "<sup>6</sup>" in stored


def test_a_passage_over_the_length_limit_is_a_400_naming_it(
    site_tree, staff_writer, settings
):
    settings.NADSITE_PASSAGE_MAX_CHARS = 50
    block = {"type": "paragraph", "value": {"text": "<p>" + "word " * 20 + "</p>"}}
    response = new_article(raw_client(staff_writer), [block])
    data = assert_json_error(response, 400)
    [error] = data["body"]
    assert (error["index"], error["field"]) == (0, "text")
    assert "a passage may have at most 50" in error["message"]
    assert not ArticlePage.objects.exists()
