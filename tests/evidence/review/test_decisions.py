"""Recording review decisions, their states, authorship and who may do what."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageLogEntry

from articles.models import ArticlePage
from evidence.gate import PublishBlocked
from evidence.gate.publish import publish_latest
from evidence.models import PassageAuthorship, ReviewDecision
from evidence.passages import read_passages
from evidence.review.data import review_states
from evidence.review.decisions import ReviewRefused, record_authorship
from tests.evidence.admin_forms import page_form_data
from tests.factories import (
    SourceFactory,
    approve,
    decide,
    edit_body,
    latest,
    make_article,
    paragraph,
    set_passage_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(article_index, writer):
    return make_article(
        article_index,
        body=[
            paragraph("NAD+ levels fall with age.", sources=[SourceFactory()]),
            paragraph("NAD+ infusions reverse ageing in adults.", role="context"),
            paragraph("Read on.", role="context"),
        ],
        owner=writer,
    )


def ids(page):
    return [p.block_id for p in read_passages(latest(page))]


def approval_refused(page, block_id, reviewer) -> str:
    """Why `record_decision` refuses `reviewer`'s approval of the unit
    (checking that nothing was recorded)."""
    with pytest.raises(ReviewRefused) as refused:
        decide(page, block_id, reviewer, "approve")
    assert not ReviewDecision.objects.filter(page=page).exists()
    [message] = refused.value.messages
    return message


def test_decision_is_pinned_to_the_latest_version_and_logged(article, reviewer):
    claim_id = ids(article)[0]
    decision = decide(article, claim_id, reviewer, "approve")
    [passage] = [p for p in read_passages(latest(article)) if p.block_id == claim_id]
    assert decision.fingerprint == passage.fingerprint
    assert decision.revision_id == article.latest_revision_id
    assert decision.excerpt == "NAD+ levels fall with age."
    assert decision.certainty == decision.suggested_certainty != ""
    entry = PageLogEntry.objects.get(page=article, action="evidence.review_decision")
    assert entry.user == reviewer
    assert "Approved passage 1" in entry.message


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("writer", False),
        ("editor", False),
        ("anonymous", False),
        ("reviewer", True),
        ("superuser", True),
    ],
)
def test_who_may_record_decisions(
    who, allowed, article, request, writer, editor, reviewer, superuser
):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    claim_id = ids(article)[0]
    if allowed:
        decide(article, claim_id, user, "approve")
    else:
        with pytest.raises(ReviewRefused, match="Only medical reviewers"):
            decide(article, claim_id, user, "approve")
        assert not ReviewDecision.objects.filter(page=article).exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("writer", False),
        ("reviewer", False),
        ("anonymous", False),
        ("editor", True),
        ("superuser", True),
    ],
)
def test_who_may_publish(
    who, allowed, article, request, writer, editor, reviewer, superuser
):
    approve(article, reviewer)
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    if allowed:
        publish_latest(article, user)
        assert ArticlePage.objects.get(pk=article.pk).live
    else:
        with pytest.raises(PermissionDenied):
            publish_latest(article, user)
        assert not ArticlePage.objects.get(pk=article.pk).live


def test_writer_pressing_publish_in_the_editor_only_saves_a_draft(
    client, article_index, writer_in_group, reviewer
):
    page = make_article(
        article_index,
        body=[paragraph(sources=[SourceFactory()])],
        owner=writer_in_group,
    )
    approve(page, reviewer)
    client.force_login(writer_in_group)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client.post(url, page_form_data(latest(page), "publish"))
    assert not ArticlePage.objects.get(pk=page.pk).live


def test_anonymous_cannot_reach_the_editor(client, article):
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = client.post(url, page_form_data(latest(article), "publish"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not ArticlePage.objects.get(pk=article.pk).live


def test_request_for_changes_needs_a_note(article, reviewer):
    with pytest.raises(ReviewRefused, match="needs a note"):
        decide(article, ids(article)[0], reviewer, "request_changes")


def test_not_a_claim_only_for_context_passages(article, reviewer):
    claim_id, context_id, _ = ids(article)
    with pytest.raises(ReviewRefused, match="marked as a claim"):
        decide(article, claim_id, reviewer, "not_a_claim")
    decide(article, context_id, reviewer, "not_a_claim")


def test_unknown_passage_is_refused(article, reviewer):
    with pytest.raises(ReviewRefused, match="not in the latest version"):
        decide(article, "no-such-block", reviewer, "approve")


def test_self_approval_is_refused(article_index, reviewer):
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=reviewer
    )
    with pytest.raises(ReviewRefused) as refused:
        decide(page, ids(page)[0], reviewer, "approve")
    assert refused.value.messages == [
        "You wrote this passage’s current text; another reviewer must approve it."
    ]


def test_a_changed_certainty_needs_a_reason(article, reviewer):
    claim_id = ids(article)[0]
    suggested = decide(article, claim_id, reviewer, "approve").certainty
    other = "very_low" if suggested != "very_low" else "low"
    with pytest.raises(ReviewRefused, match="Say why"):
        decide(article, claim_id, reviewer, "approve", certainty=other)
    decision = decide(
        article,
        claim_id,
        reviewer,
        "approve",
        certainty=other,
        certainty_reason="Only one small trial.",
    )
    assert (decision.certainty, decision.suggested_certainty) == (other, suggested)


def test_review_states(article, writer, reviewer):
    claim_id, flagged_id, plain_id = ids(article)
    states = review_states(latest(article))
    # Every unit needs a decision; the detector only flags which context
    # units must be decided on their own.
    assert [states[i].status for i in (claim_id, flagged_id, plain_id)] == [
        "unreviewed",
        "unreviewed",
        "unreviewed",
    ]
    assert [states[i].flagged for i in (flagged_id, plain_id)] == [True, False]
    approve(article, reviewer)
    states = review_states(latest(article))
    assert states[claim_id].status == "approved"
    assert states[claim_id].reviewers == (reviewer,)
    assert states[claim_id].certainty
    assert states[flagged_id].status == "confirmed_not_claim"
    set_passage_text(article, writer, 0, "NAD+ levels fall sharply with age.")
    assert review_states(latest(article))[claim_id].status == "changed_since_approval"
    decide(article, claim_id, reviewer, "request_changes", note="Which tissue?")
    state = review_states(latest(article))[claim_id]
    assert state.status == "changes_requested"
    assert state.decision.note == "Which tissue?"


def test_approval_of_a_reviewer_who_wrote_the_text_is_not_counted(
    article_index, reviewer, second_reviewer
):
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=reviewer
    )
    [passage] = read_passages(latest(page))
    ReviewDecision.objects.create(
        page=page,
        block_id=passage.block_id,
        fingerprint=passage.fingerprint,
        decision="approve",
        reviewer=reviewer,
    )
    state = review_states(latest(page))[passage.block_id]
    assert state.status == "unreviewed" and state.self_approved
    approve(page, second_reviewer)
    assert review_states(latest(page))[passage.block_id].status == "approved"


def test_decisions_are_append_only(article, reviewer):
    decision = decide(article, ids(article)[0], reviewer, "approve")
    decision.note = "edited"
    with pytest.raises(Exception, match="append-only"):
        decision.save()
    with pytest.raises(Exception, match="append-only"):
        decision.delete()


# --- authorship ---------------------------------------------------------------


def test_new_text_is_credited_to_the_revisions_user(article, writer, reviewer):
    set_passage_text(article, reviewer, 0, "NAD+ levels fall with age in muscle.")
    authors = dict(
        PassageAuthorship.objects.filter(page=article).values_list(
            "text_hash", "author__username"
        )
    )
    # the new text by the reviewer; the first texts, the title and the
    # standfirst by the writer
    assert sorted(authors.values()) == ["reviewer1"] + ["writer1"] * 5


def test_changing_only_citations_keeps_the_author(article, reviewer):
    def add_citation(blocks):
        blocks[0]["value"]["citations"] += paragraph(sources=[SourceFactory()])[
            "value"
        ]["citations"]
        return blocks

    edit_body(article, reviewer, add_citation)
    assert not PassageAuthorship.objects.filter(author=reviewer).exists()
    # so the reviewer who only added a source may approve the passage
    decide(article, ids(article)[0], reviewer, "approve")


def test_resaving_in_the_editor_keeps_the_author(client, article, editor, reviewer):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = client.post(url, page_form_data(latest(article)))
    assert response.status_code == 302
    stored = latest(article).body.raw_data[0]["value"]["text"]
    assert "data-block-key" in stored  # the editor rewrote the stored text
    assert "data-block-key" not in read_passages(latest(article))[0].content
    assert not PassageAuthorship.objects.filter(author=editor).exists()


def test_authorship_costs_one_query_per_save(article, writer):
    revision = ArticlePage.objects.get(pk=article.pk).get_latest_revision()
    with CaptureQueriesContext(connection) as ctx:
        record_authorship(revision)
    assert len(ctx.captured_queries) == 1


def test_refused_publish_reports_problems_for_the_api(article, editor):
    with pytest.raises(PublishBlocked) as refused:
        publish_latest(article, editor)
    assert {p.as_dict()["rule"] for p in refused.value.problems} == {
        "unapproved_claim",
        "unconfirmed_context",
        "undecided_unit",
    }


def test_decisions_are_loaded_with_the_counting_rule(
    article, reviewer, superuser, editor
):
    """Who counts: active medical reviewers and superusers, not other staff,
    not a deactivated reviewer; decisions in order, with their reviewers, in
    two queries (decisions, authorship)."""
    from evidence.review.data import ReviewData
    from tests.factories import user_in_group

    former = user_in_group("Medical reviewers", username="former1")
    passages = read_passages(latest(article))
    claim = passages[0]
    for user in (reviewer, superuser, editor, former):
        ReviewDecision.objects.create(
            page=article,
            revision_id=article.latest_revision_id,
            block_id=claim.block_id,
            fingerprint=claim.fingerprint,
            decision="approve",
            certainty="low",
            reviewer=user,
        )
    former.is_active = False
    former.save()

    with CaptureQueriesContext(connection) as ctx:
        data = ReviewData.load(passages, article.pk)
        loaded = data.decisions[claim.block_id]
        counted = {d.reviewer.pk for d in loaded if d.reviewer_counts}
    assert len(ctx.captured_queries) == 2  # decisions with reviewers, authorship
    assert [d.reviewer for d in loaded] == [reviewer, superuser, editor, former]
    assert counted == {reviewer.pk, superuser.pk}
    assert loaded[0].created_at.tzinfo is not None


# --- a claim where no source can be cited ------------------------------------------


@pytest.mark.parametrize("unit", ["standfirst", "title"])
def test_a_field_that_cannot_cite_cannot_be_approved_as_a_claim(
    article_index, writer, reviewer, unit
):
    """The title, the standfirst and the SEO fields cannot carry citations,
    and a claim needs a confirmed supporting citation: an approval there
    would put an uncited claim live. It used to be recorded (and counted)."""
    page = make_article(
        article_index,
        title="NAD+ infusions reverse ageing",
        standfirst="NAD+ infusions reverse ageing in adults.",
        body=[paragraph("NAD+ levels fall with age.", sources=[SourceFactory()])],
        owner=writer,
    )

    message = approval_refused(page, unit, reviewer)

    assert "cannot cite sources, so it cannot be approved as a claim" in message
    assert "move the claim into the body, where it can be cited" in message
    assert not review_states(latest(page))[unit].is_settled
    # What the reviewer may do: send it back, or confirm it states no claim.
    decide(page, unit, reviewer, "request_changes", note="Move this to the body.")
    decide(page, unit, reviewer, "not_a_claim")
    assert review_states(latest(page))[unit].is_settled


@pytest.mark.parametrize(
    ("role", "citation"),
    [
        ("claim", None),  # cites nothing
        ("context", None),  # a context passage approved as a claim
        ("claim", {"stance": "contradicts"}),  # its only source contradicts it
        ("claim", {"locator": "suggested by import"}),  # nobody confirmed it
        ("claim", {"retracted": True}),
    ],
)
def test_an_approval_needs_a_source_that_supports_the_passage(
    article_index, writer, reviewer, role, citation
):
    """An approval of a passage without a usable supporting citation could
    never let it go live (the gate refuses it, and citing a source later
    changes the fingerprint, voiding the approval). It used to be recorded,
    and the reviewer learned why only when the editor's publish failed."""
    text = "NAD+ infusions reverse ageing in adults."
    if citation is None:
        block = paragraph(text, role=role)
    else:
        source = SourceFactory(
            **({"retraction_status": "retracted"} if citation.get("retracted") else {})
        )
        block = paragraph(
            text,
            role=role,
            sources=[source],
            stance=citation.get("stance", "supports"),
        )
        block["value"]["citations"][0]["value"]["locator"] = citation.get(
            "locator", "p. 2"
        )
    page = make_article(article_index, body=[block], owner=writer)
    [block_id] = ids(page)

    message = approval_refused(page, block_id, reviewer)

    assert "cites no source that supports it" in message
    assert "Nothing was recorded" in message
    # Asking for changes is what the reviewer can do.
    decide(page, block_id, reviewer, "request_changes", note="Cite the trial.")
    assert ReviewDecision.objects.filter(page=page).count() == 1
