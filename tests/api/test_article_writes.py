"""API writes go through Wagtail's actions with the page editor's own form.

An article created or edited through the API is validated, locked, logged
and credited exactly as one saved in the admin's editor: these tests do the
same thing both ways and compare.
"""

import json

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, PageSubscription

from articles.api.body import block_errors
from articles.models import ArticlePage
from evidence.models import PassageAuthorship
from evidence.passages import read_passages
from evidence.review.data import text_hash
from tests.api.conftest import client_for
from tests.evidence.admin_forms import body_form_data, page_form_data
from tests.factories import heading, make_article, paragraph

pytestmark = pytest.mark.django_db


def reload(page):
    return ArticlePage.objects.get(pk=page.pk)


def history(page):
    """The page's log as the History tab lists it, oldest first."""
    return [
        (entry.action, entry.user_id, entry.revision is not None, entry.content_changed)
        for entry in PageLogEntry.objects.filter(page=page).order_by("timestamp", "pk")
    ]


def api_blocks(stored_blocks):
    """Stored blocks as the API takes them (list items and citations as
    plain values)."""
    blocks = []
    for block in stored_blocks:
        value = dict(block["value"])
        if "citations" in value:
            value["citations"] = [c["value"] for c in value["citations"]]
        blocks.append({"type": block["type"], "id": block["id"], "value": value})
    return blocks


@pytest.fixture
def draft(article_index, staff_writer):
    return make_article(
        article_index,
        owner=staff_writer,
        body=[heading("Evidence"), paragraph("NAD+ falls with age.", block_id="p-1")],
    )


def test_api_create_is_logged_and_subscribed_like_an_admin_create(
    article_index, staff_writer, client
):
    stored = [heading("Evidence"), paragraph("NAD+ falls with age.")]
    client.force_login(staff_writer)
    unsaved = ArticlePage(
        title="From the admin",
        slug="from-the-admin",
        standfirst="Summary.",
        body=json.dumps(stored),
    )
    url = reverse(
        "wagtailadmin_pages:add", args=["articles", "articlepage", article_index.pk]
    )
    assert client.post(url, page_form_data(unsaved)).status_code == 302
    in_admin = ArticlePage.objects.get(slug="from-the-admin")

    response = client_for(staff_writer).post(
        "/api/v1/articles/",
        {
            "title": "From the API",
            "standfirst": "Summary.",
            # Without the admin page's block ids: those belong to it.
            "body": [
                {k: v for k, v in block.items() if k != "id"}
                for block in api_blocks(stored)
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    in_api = ArticlePage.objects.get(pk=response.json()["id"])

    assert history(in_api) == history(in_admin)
    assert [a for a, *_ in history(in_api)] == ["wagtail.create", "wagtail.edit"]
    assert {e[1] for e in history(in_api)} == {staff_writer.pk}
    for page in (in_admin, in_api):
        assert [r.user for r in page.revisions.all()] == [staff_writer]
        assert page.owner == staff_writer and not page.live
        assert PageSubscription.objects.get(page=page, user=staff_writer)
    revision = in_api.latest_revision
    assert PageLogEntry.objects.filter(page=in_api, revision=revision).exists()


def test_api_edit_is_logged_like_an_admin_edit(draft, staff_writer, client):
    client.force_login(staff_writer)
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    data = page_form_data(draft.get_latest_revision_as_object(), title="Admin title")
    assert client.post(edit_url, data).status_code == 302
    response = client_for(staff_writer).patch(
        f"/api/v1/articles/{draft.pk}/", {"title": "API title"}, format="json"
    )
    assert response.status_code == 200, response.json()

    *_, admin_edit, api_edit = history(draft)
    assert admin_edit == api_edit == ("wagtail.edit", staff_writer.pk, True, True)
    revisions = list(draft.revisions.order_by("created_at", "pk"))
    assert [r.user for r in revisions] == [staff_writer] * 3
    assert revisions[-1].as_object().title == "API title"
    assert reload(draft).draft_title == "API title"


def test_live_article_edited_through_the_api_keeps_its_live_version(
    article_index, staff_writer
):
    page = make_article(
        article_index,
        owner=staff_writer,
        title="Live title",
        body=[paragraph("NAD+ falls with age.", role="context")],
    )
    type(page).objects.filter(pk=page.pk).update(live=True)
    response = client_for(staff_writer).patch(
        f"/api/v1/articles/{page.pk}/", {"title": "Draft title"}, format="json"
    )
    assert response.status_code == 200, response.json()
    page = reload(page)
    assert page.title == "Live title"  # the live row is untouched, as in the admin
    assert page.get_latest_revision_as_object().title == "Draft title"
    assert page.has_unpublished_changes


def test_page_locked_by_someone_else_refuses_api_edits(draft, staff_writer, editor):
    type(draft).objects.filter(pk=draft.pk).update(
        locked=True, locked_by=editor, locked_at=timezone.now()
    )
    revisions, log = draft.revisions.count(), history(draft)
    response = client_for(staff_writer).patch(
        f"/api/v1/articles/{draft.pk}/", {"title": "Mine now"}, format="json"
    )
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "locked by" in detail and "<b>" not in detail and "&#" not in detail
    assert draft.revisions.count() == revisions and history(draft) == log

    # Whoever holds the lock may still edit, as in the admin.
    response = client_for(editor).patch(
        f"/api/v1/articles/{draft.pk}/", {"title": "Editor's title"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert history(draft)[-1][:2] == ("wagtail.edit", editor.pk)


def test_page_in_medical_review_is_locked_to_writers_and_credits_reviewer_edits(
    draft, staff_writer, reviewer
):
    """The Medical review task locks the page to everyone but reviewers; a
    reviewer's edit through the API is saved within the running workflow and
    its new wording is credited to the reviewer (who then cannot approve it)."""
    draft.get_workflow().start(draft, staff_writer)
    refused = client_for(staff_writer).patch(
        f"/api/v1/articles/{draft.pk}/", {"title": "During review"}, format="json"
    )
    assert refused.status_code == 409
    # Wagtail names the step now that the workflow has two.
    assert "awaiting 'Medical review'" in refused.json()["detail"]

    blocks = api_blocks(list(draft.get_latest_revision_as_object().body.raw_data))
    blocks[1]["value"]["text"] = "<p>NAD+ falls with age in most adults.</p>"
    edited = client_for(reviewer).patch(
        f"/api/v1/articles/{draft.pk}/", {"body": blocks}, format="json"
    )
    assert edited.status_code == 200, edited.json()
    page = reload(draft)
    assert page.current_workflow_state.status == "in_progress"
    assert page.latest_revision.user == reviewer
    passages = read_passages(page.get_latest_revision_as_object())
    [passage] = [p for p in passages if p.block_id == "p-1"]
    authorship = PassageAuthorship.objects.get(
        page=page, block_id="p-1", text_hash=text_hash(passage)
    )
    assert authorship.author == reviewer
    assert authorship.revision == page.latest_revision

    review = client_for(reviewer).post(
        f"/api/v1/articles/{page.pk}/passages/p-1/reviews/",
        {"decision": "approve", "fingerprint": passage.fingerprint},
        format="json",
    )
    assert review.status_code == 400
    assert "You wrote this passage" in review.json()["detail"]


def admin_errors(client, page, **overrides):
    """The errors the admin's editor shows when saving `page` as a draft with
    `overrides` (form fields)."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = page_form_data(page.get_latest_revision_as_object(), **overrides)
    response = client.post(url, data)
    assert response.status_code == 200, "the admin saved it"
    errors = {}
    for name, field_errors in response.context["form"].errors.as_data().items():
        if name == "body":
            errors["body"] = [e.as_dict() for e in block_errors(field_errors[0])]
        else:
            errors[name] = [m for e in field_errors for m in e.messages]
    return errors


def _body_with(blocks, index, **value):
    blocks = [dict(b, value=dict(b["value"])) for b in blocks]
    blocks[index]["value"].update(value)
    return blocks


@pytest.mark.parametrize(
    "case",
    ["empty title", "bad slug", "taken slug", "long heading", "unknown role", "route"],
)
def test_draft_errors_are_the_admin_editors_errors(
    case, draft, article_index, staff_writer, client
):
    make_article(article_index, slug="taken")
    stored = list(draft.get_latest_revision_as_object().body.raw_data)
    admin_fields, api_fields = {
        "empty title": ({"title": ""}, {"title": ""}),
        "bad slug": ({"slug": "not a slug"}, {"slug": "not a slug"}),
        "taken slug": ({"slug": "taken"}, {"slug": "taken"}),
        "long heading": (
            {"body": body_form_data(_body_with(stored, 0, text="x" * 201))},
            {"body": api_blocks(_body_with(stored, 0, text="x" * 201))},
        ),
        "unknown role": (
            {"body": body_form_data(_body_with(stored, 1, role="rumour"))},
            {"body": api_blocks(_body_with(stored, 1, role="rumour"))},
        ),
        "route": ({"subject_route": "nasal"}, {"subject_route": "nasal"}),
    }[case]
    client.force_login(staff_writer)
    expected = admin_errors(client, draft, **admin_fields)
    assert expected  # the admin refuses it

    response = client_for(staff_writer).patch(
        f"/api/v1/articles/{draft.pk}/", api_fields, format="json"
    )
    assert response.status_code == 400
    assert response.json() == expected
    assert draft.revisions.count() == 1


def test_body_errors_point_at_the_block_and_field(draft, staff_writer):
    stored = list(draft.get_latest_revision_as_object().body.raw_data)
    response = client_for(staff_writer).patch(
        f"/api/v1/articles/{draft.pk}/",
        {"body": api_blocks(_body_with(stored, 1, role="rumour"))},
        format="json",
    )
    [error] = response.json()["body"]
    assert (error["index"], error["field"]) == (1, "role")
    assert "rumour" in error["message"]


def test_incomplete_drafts_save_but_do_not_publish(
    article_index, staff_writer, editor, client
):
    """Required fields and blocks may be left empty in a draft, as in the
    editor; publishing refuses them, listing each, before the gate is asked."""
    response = client_for(staff_writer).post(
        "/api/v1/articles/",
        {
            "title": "Unfinished",
            "body": [
                {"type": "heading", "value": {"text": ""}},
                {
                    "type": "paragraph",
                    "value": {
                        "text": "<p>NR raised NAD+.</p>",
                        "citations": [{"stance": "supports"}],
                    },
                },
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    page = ArticlePage.objects.get(pk=response.json()["id"])
    version = page.get_latest_revision_as_object()
    assert version.standfirst == ""
    assert version.body.raw_data[1]["value"]["role"] == "claim"  # the default

    # The editor saves the same draft too.
    client.force_login(staff_writer)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert client.post(url, page_form_data(version)).status_code == 302

    ready = client_for(staff_writer).get(f"/api/v1/articles/{page.pk}/readiness/")
    assert ready.json()["publishable"] is False
    errors = ready.json()["errors"]
    assert set(errors) == {"standfirst", "body"}
    assert {(e["index"], e["field"]) for e in errors["body"]} == {
        (0, "text"),
        (1, "citations.0.source"),
    }

    refused = client_for(editor).post(f"/api/v1/articles/{page.pk}/publish/")
    assert refused.status_code == 409
    assert refused.json()["errors"] == errors
    assert refused.json()["problems"] == []
    assert not reload(page).live
