"""The publish gate's rules, checked on versions of real pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence.gate import PublishBlocked, ensure_publishable, publish_problems
from evidence.gate.publish import publish_latest
from evidence.models import PassageAuthorship, ReviewDecision
from tests.factories import (
    SourceFactory,
    approve,
    decide,
    edit_body,
    heading,
    latest,
    make_article,
    paragraph,
    set_passage_text,
)

pytestmark = pytest.mark.django_db


def body_problems(page):
    """The problems of the body's passages (the title, standfirst and other
    field units have their own tests in test_units.py)."""
    return [p for p in publish_problems(latest(page)) if p.position >= 1]


def rules(page):
    return [p.rule for p in body_problems(page)]


def test_cited_and_approved_claim_passes(article_index, writer, reviewer):
    page = make_article(
        article_index,
        body=[heading(), paragraph(sources=[SourceFactory()])],
        owner=writer,
    )
    approve(page, reviewer)
    assert publish_problems(latest(page)) == []
    ensure_publishable(latest(page))


def test_uncited_claim_is_named_with_position_and_first_words(
    article_index, writer, reviewer
):
    page = make_article(
        article_index,
        body=[heading(), paragraph("NAD+ restores youthful energy in everyone.")],
        owner=writer,
    )
    approve(page, reviewer)
    [problem] = publish_problems(latest(page))
    assert problem.rule == "uncited_claim"
    assert problem.position == 2
    assert problem.excerpt.startswith("NAD+ restores")
    assert problem.message == (
        "Passage 2 (“NAD+ restores youthful energy in everyone.”) states a claim "
        "but cites no source."
    )
    assert set(problem.as_dict()) == {
        "block_id",
        "position",
        "rule",
        "excerpt",
        "message",
    }


def test_contradicting_citation_does_not_count(article_index, writer, reviewer):
    page = make_article(
        article_index,
        body=[paragraph(sources=[SourceFactory()], stance="contradicts")],
        owner=writer,
    )
    approve(page, reviewer)
    assert rules(page) == ["uncited_claim"]


def test_unapproved_claim(article_index, writer):
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=writer
    )
    assert rules(page) == ["unapproved_claim"]


def test_edit_voids_approval(article_index, writer, reviewer):
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=writer
    )
    approve(page, reviewer)
    set_passage_text(page, writer, 0, "NAD+ levels fall sharply.")
    assert rules(page) == ["approval_voided"]


def test_citation_change_voids_approval(article_index, writer, reviewer):
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=writer
    )
    approve(page, reviewer)

    def add_locator(blocks):
        blocks[0]["value"]["citations"][0]["value"]["locator"] = "Fig 2"
        return blocks

    edit_body(page, writer, add_locator)
    assert rules(page) == ["approval_voided"]


def test_self_approval_does_not_count(article_index, reviewer):
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=reviewer
    )
    passage_id = latest(page).body.raw_data[0]["id"]
    with pytest.raises(Exception, match="You wrote this passage"):
        decide(page, passage_id, reviewer, "approve")
    # A decision that slipped in by another route still does not count.
    from evidence.passages import read_passages

    [passage] = read_passages(latest(page))
    ReviewDecision.objects.create(
        page=page,
        block_id=passage.block_id,
        fingerprint=passage.fingerprint,
        decision="approve",
        certainty="moderate",
        reviewer=reviewer,
    )
    assert rules(page) == ["self_approval"]


def test_retracted_sole_source(article_index, writer, reviewer):
    source = SourceFactory()
    page = make_article(article_index, body=[paragraph(sources=[source])], owner=writer)
    approve(page, reviewer)
    source.retraction_status = "retracted"
    source.save()
    # The retraction also changed the evidence the approval rested on.
    problem, voided = body_problems(page)
    assert problem.rule == "retracted_source"
    assert "retracted" in problem.message
    assert voided.rule == "approval_voided"


def test_retracted_source_with_another_supporting_source_passes(
    article_index, writer, reviewer
):
    page = make_article(
        article_index,
        body=[
            paragraph(
                sources=[SourceFactory(retraction_status="retracted"), SourceFactory()]
            )
        ],
        owner=writer,
    )
    approve(page, reviewer)
    assert rules(page) == []


def test_context_passage_with_a_claim_needs_confirmation(
    article_index, writer, reviewer
):
    page = make_article(
        article_index,
        body=[
            paragraph("NAD+ infusions reverse ageing in adults.", role="context"),
            paragraph("Read on to learn more.", role="context"),
        ],
        owner=writer,
    )
    # The first reads like a claim: decided on its own. The second does not,
    # but still needs a reviewer's decision: the detector exempts nothing.
    assert rules(page) == ["unconfirmed_context", "undecided_unit"]
    approve(page, reviewer)
    assert rules(page) == []


def test_every_problem_is_listed_at_once(article_index, writer):
    page = make_article(
        article_index,
        body=[paragraph("NAD+ cures fatigue."), paragraph("NAD+ reverses ageing.")],
        owner=writer,
    )
    assert rules(page) == [
        "uncited_claim",
        "unapproved_claim",
        "uncited_claim",
        "unapproved_claim",
    ]


def test_request_for_changes_cancels_earlier_approval(
    article_index, writer, reviewer, second_reviewer
):
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=writer
    )
    approve(page, reviewer)
    block_id = latest(page).body.raw_data[0]["id"]
    decide(page, block_id, second_reviewer, "request_changes", note="Say which dose.")
    [problem] = body_problems(page)
    assert problem.rule == "unapproved_claim"
    assert "Say which dose." in problem.message


def test_reviewer_removed_from_group_no_longer_counts(article_index, writer, reviewer):
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=writer
    )
    approve(page, reviewer)
    reviewer.groups.clear()
    assert rules(page) == ["unapproved_claim"]


def test_gate_uses_a_fixed_number_of_queries(article_index, writer, reviewer):
    sources = SourceFactory.create_batch(3)
    small = make_article(article_index, body=[paragraph(sources=sources)], owner=writer)
    big = make_article(
        article_index,
        body=[paragraph(f"Claim {n}.", sources=sources) for n in range(60)],
        owner=writer,
    )
    approve(small, reviewer)
    approve(big, reviewer)
    counts = []
    for page in (small, big):
        version = latest(page)
        with CaptureQueriesContext(connection) as ctx:
            assert publish_problems(version) == []
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 3


def test_publish_latest_publishes_and_sets_byline_from_decisions(
    article_index, writer, reviewer, editor
):
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=writer
    )
    *confirmations, decision = approve(page, reviewer)
    assert {c.decision for c in confirmations} == {"not_a_claim"}  # title...
    revision = publish_latest(page, editor)
    page.refresh_from_db()
    assert page.live and page.live_revision_id == revision.pk
    assert list(page.reviewed_by.all()) == [reviewer]
    assert page.last_reviewed_at == decision.created_at
    assert page.last_reviewed_at < page.last_published_at


def test_publish_latest_refuses_and_keeps_the_draft(article_index, writer, editor):
    page = make_article(article_index, body=[paragraph()], owner=writer)
    draft_id = page.latest_revision_id
    with pytest.raises(PublishBlocked) as refused:
        publish_latest(page, editor)
    assert [p.rule for p in refused.value.problems] == [
        "undecided_unit",  # the title
        "undecided_unit",  # the standfirst
        "uncited_claim",
        "unapproved_claim",
    ]
    assert refused.value.message_dict["title"][0].startswith("The title")
    assert refused.value.message_dict["body"][0].startswith("Passage 1")
    page.refresh_from_db()
    assert not page.live
    assert page.latest_revision_id == draft_id


def test_publish_latest_needs_publish_permission(article_index, writer, reviewer):
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=writer
    )
    approve(page, reviewer)
    with pytest.raises(PermissionDenied):
        publish_latest(page, writer)


def test_superuser_is_gated(article_index, writer, superuser):
    page = make_article(article_index, body=[paragraph()], owner=writer)
    with pytest.raises(PublishBlocked):
        publish_latest(page, superuser)


def test_authorship_is_recorded_once_per_text(article_index, writer, reviewer):
    page = make_article(
        article_index, body=[paragraph(sources=[SourceFactory()])], owner=writer
    )
    latest(page).save_revision(user=reviewer)  # same text, saved again
    rows = PassageAuthorship.objects.filter(page=page)
    assert {row.block_id for row in rows} == {
        "title",
        "standfirst",
        latest(page).body.raw_data[0]["id"],
    }
    assert {row.author for row in rows} == {writer}
