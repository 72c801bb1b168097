"""Decisions and authorship belong to a page (issue 12, rule 5).

Decisions used to be looked up by block id alone: a new article that reused
an approved passage's id, text and citations published without any review
of that article, its byline crediting a reviewer who never saw it.
"""

import json

import pytest
from django.urls import reverse

from articles.models import ArticlePage
from evidence.gate import PublishBlocked
from evidence.gate.publish import publish_latest
from evidence.models import PassageAuthorship, ReviewDecision
from evidence.review.data import review_states
from tests.api.conftest import client_for
from tests.factories import (
    SourceFactory,
    approve,
    decide,
    make_article,
    paragraph,
    publish_approved,
    set_passage_text,
)

pytestmark = pytest.mark.django_db


def reload(page):
    return ArticlePage.objects.get(pk=page.pk)


@pytest.fixture
def approved(article_index, writer, reviewer, editor):
    """A live article whose claim `reviewer` approved."""
    page = make_article(
        article_index,
        owner=writer,
        body=[
            paragraph("NR raised blood NAD+ in adults.", sources=[SourceFactory()]),
            paragraph("Read on.", role="context"),
        ],
    )
    return publish_approved(page, reviewer, editor)


def test_a_new_article_reusing_approved_passages_does_not_publish(
    approved, article_index, writer_in_group, editor, reviewer
):
    """The attack: same block ids, text and citations, on a new article."""
    stolen = list(reload(approved).body.raw_data)
    page = make_article(article_index, owner=writer_in_group, body=stolen)
    assert [b["id"] for b in reload(page).body.raw_data] == [b["id"] for b in stolen]
    with pytest.raises(PublishBlocked) as refused:
        publish_latest(page, editor)
    body = [p for p in refused.value.problems if p.position >= 1]
    assert {p.rule for p in body} == {"unapproved_claim", "undecided_unit"}
    page = reload(page)
    assert not page.live
    assert reviewer not in page.reviewed_by.all()
    assert not ReviewDecision.objects.filter(page=page).exists()


def api_body(page) -> list[dict]:
    """The page's passages as the API takes them, with their ids."""
    return [
        {
            "type": "paragraph",
            "id": block["id"],
            "value": {
                "text": block["value"]["text"],
                "role": block["value"]["role"],
                "citations": [
                    {"source": c["value"]["source"], "stance": "supports"}
                    for c in block["value"]["citations"]
                ],
            },
        }
        for block in reload(page).body.raw_data
    ]


def test_the_api_refuses_a_block_id_of_another_article(approved, writer_in_group):
    body = api_body(approved)[:1]
    client = client_for(writer_in_group)
    response = client.post(
        "/api/v1/articles/",
        {"title": "Copied", "slug": "copied", "body": body},
        format="json",
    )
    assert response.status_code == 400, response.json()
    [error] = response.json()["body"]
    assert error["field"] == "id"
    assert "belongs to another article" in error["message"]
    created = client.post(
        "/api/v1/articles/", {"title": "Own", "slug": "own"}, format="json"
    )
    assert created.status_code == 201
    patched = client.patch(
        f"/api/v1/articles/{created.json()['id']}/", {"body": body}, format="json"
    )
    assert patched.status_code == 400
    assert "belongs to another article" in patched.json()["body"][0]["message"]


def test_an_article_keeps_its_own_ids_through_the_api(approved, editor):
    """Editing an article through the API with its own ids is not refused."""
    from django.contrib.auth.models import Group

    editor.groups.add(Group.objects.get(name="Editors"))
    response = client_for(editor).patch(
        f"/api/v1/articles/{approved.pk}/", {"body": api_body(approved)}, format="json"
    )
    assert response.status_code == 200, response.json()


def test_copying_in_the_admin_copies_the_reviews(
    approved, client, editor, article_index, reviewer, writer
):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[approved.pk]),
        {
            "new_title": "The copy",
            "new_slug": "the-copy",
            "new_parent_page": article_index.pk,
        },
    )
    assert response.status_code == 302
    copy = ArticlePage.objects.get(slug="the-copy")
    assert ReviewDecision.objects.filter(page=copy).count() == (
        ReviewDecision.objects.filter(page=approved).count()
    )
    originals = ReviewDecision.objects.filter(page=approved).order_by("pk")
    copies = ReviewDecision.objects.filter(page=copy).order_by("pk")
    assert [(d.block_id, d.reviewer_id, d.created_at) for d in copies] == [
        (d.block_id, d.reviewer_id, d.created_at) for d in originals
    ]
    # The original's writer stays the author of the copied text; the new
    # title is the editor's, and needs a medical reviewer before it goes live.
    authors = dict(
        PassageAuthorship.objects.filter(page=copy).values_list("text_hash", "author")
    )
    assert set(authors.values()) == {writer.pk, editor.pk}
    with pytest.raises(PublishBlocked) as refused:
        publish_latest(copy, editor)
    assert [p.block_id for p in refused.value.problems] == ["title"]
    decide(copy, "title", reviewer, "not_a_claim")
    publish_latest(copy, editor)
    assert reload(copy).live
    assert list(reload(copy).reviewed_by.all()) == [reviewer]


def test_copying_from_code_copies_the_reviews_and_they_part_ways(
    approved, article_index, editor, writer, reviewer
):
    copy = reload(approved).copy(
        to=article_index,
        update_attrs={"slug": "code-copy", "title": "Code copy"},
        keep_live=False,  # a new title is not live before a reviewer reads it
        user=editor,
    )
    decide(copy, "title", reviewer, "not_a_claim")  # its new title
    publish_latest(copy, editor)
    assert reload(copy).live
    # An edit on the copy voids the copy's approval, not the original's.
    set_passage_text(copy, writer, 0, "NR reversed ageing in adults.")
    claim = reload(approved).body.raw_data[0]["id"]
    assert review_states(reload(copy).get_latest_revision_as_object())[
        claim
    ].status == ("changed_since_approval")
    assert review_states(reload(approved))[claim].status == "approved"


def test_an_alias_follows_its_original(
    approved, editor, reviewer, second_reviewer, writer
):
    alias = reload(approved).create_alias(update_slug="the-alias", user=editor)
    assert reload(alias).live
    assert not ReviewDecision.objects.filter(page=alias).exists()
    claim = reload(approved).body.raw_data[0]["id"]
    assert review_states(reload(alias))[claim].status == "approved"
    # The original is edited and re-approved by someone else: the alias
    # follows it, with the new approval.
    set_passage_text(approved, writer, 0, "NR raised blood NAD+ in older adults.")
    approve(approved, second_reviewer)
    publish_latest(approved, editor)
    alias = reload(alias)
    state = review_states(alias)[claim]
    assert state.status == "approved"
    assert state.reviewers == (second_reviewer,)


def test_decisions_recorded_on_an_alias_are_refused(approved, editor, reviewer):
    from evidence.review.decisions import ReviewRefused, record_decision

    alias = reload(approved).create_alias(update_slug="alias-2", user=editor)
    claim = reload(approved).body.raw_data[0]["id"]
    with pytest.raises(ReviewRefused, match="alias"):
        record_decision(
            reload(alias), claim, reviewer, "approve", fingerprint="anything"
        )


def test_a_copy_made_before_this_rule_needs_a_review_of_its_own(
    approved, article_index, editor
):
    """A page that merely shares block ids (made by hand from the stored
    body, not by Wagtail's copy) is not a copy: nothing travels to it."""
    page = article_index.add_child(
        instance=ArticlePage(
            title="By hand",
            slug="by-hand",
            standfirst="A summary.",
            body=json.dumps(list(reload(approved).body.raw_data)),
            live=False,
        )
    )
    page.save_revision(user=editor)
    with pytest.raises(PublishBlocked):
        publish_latest(page, editor)


def test_copies_made_before_the_rule_get_their_reviews_back(
    approved, article_index, editor, reviewer
):
    """The data migration (evidence 0015): a copy Wagtail made before
    decisions were scoped to the page gets its original's decisions; a page
    that merely reuses the block ids gets nothing."""
    from wagtail.actions.copy_page import CopyPageAction
    from wagtail.models import PageLogEntry, Revision

    from evidence.review.copies import backfill_earlier_copies

    # Wagtail's own action, without this project's copy hooks: as before.
    copy = CopyPageAction(
        reload(approved),
        to=article_index,
        update_attrs={"slug": "old-copy"},  # the title as reviewed
        keep_live=False,
        user=editor,
    ).execute()
    twin = make_article(
        article_index,
        body=list(reload(approved).body.raw_data),
        owner=editor,
        title="Twin",
    )
    assert not ReviewDecision.objects.filter(page__in=[copy.pk, twin.pk]).exists()
    models = {
        "ReviewDecision": ReviewDecision,
        "PassageAuthorship": PassageAuthorship,
        "Revision": Revision,
        "PageLogEntry": PageLogEntry,
    }
    assert backfill_earlier_copies(models) == 1
    originals = ReviewDecision.objects.filter(page=approved).order_by("pk")
    copied = ReviewDecision.objects.filter(page=copy).order_by("pk")
    assert [
        (d.block_id, d.fingerprint, d.reviewer_id, d.created_at) for d in copied
    ] == [(d.block_id, d.fingerprint, d.reviewer_id, d.created_at) for d in originals]
    assert not ReviewDecision.objects.filter(page=twin).exists()
    publish_latest(copy, editor)
    assert reload(copy).live
    assert backfill_earlier_copies(models) == 0  # once only
