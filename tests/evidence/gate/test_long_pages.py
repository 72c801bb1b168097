"""The gate on long pages, and the shortcuts that keep it fast there.

`publish_problems` reads of each decision only what the rules read
(`ReviewData.load(full=False)`), a page of more than a hundred units reads
its decisions for the whole page rather than by block id, and the units'
hashes and texts are kept per process under what they are worked out
from. None of it may change a verdict.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from evidence.gate import publish_problems
from evidence.gate.rules import evaluate
from evidence.models import ReviewDecision
from evidence.passages import (
    ContentMemo,
    read_passages,
    reviewable_units,
)
from evidence.review.data import ReviewData
from evidence.review.state import Status
from evidence.vocab import translate
from tests.factories import (
    SourceFactory,
    approve,
    decide,
    edit_body,
    heading,
    latest,
    make_article,
    paragraph,
)

pytestmark = pytest.mark.django_db


def approve_all(page, reviewer):
    """Every unit of the latest version decided by `reviewer`, written in
    one statement (`approve` records them one by one, too slow for pages
    of hundreds of units)."""
    ReviewDecision.objects.bulk_create(
        ReviewDecision(
            page_id=page.pk,
            block_id=unit.block_id,
            fingerprint=unit.fingerprint,
            decision="approve" if unit.is_claim else "not_a_claim",
            reviewer=reviewer,
        )
        for unit in reviewable_units(latest(page))
    )


def every_state(article_index, writer, reviewer, second_reviewer, extra=0):
    """A page with a unit in each review state: approved, changes
    requested, changed since approval, confirmed context, undecided
    context, an approved but uncited claim; `extra` more approved claims
    make it long. Returns the page and its body's block ids."""
    source = SourceFactory()
    body = [
        paragraph("NAD+ falls with age.", sources=[source]),
        paragraph("NMN helps sleep.", sources=[source]),
        paragraph("Niacin flushes.", sources=[source]),
        heading("What the trials found"),
        paragraph("In this section we look at trials.", role="context"),
        paragraph("NAD+ cures ageing."),
        *[paragraph(f"Claim {n} rose.", sources=[source]) for n in range(extra)],
    ]
    page = make_article(article_index, body=body, owner=writer)
    approve_all(page, reviewer)
    ids = [block["id"] for block in latest(page).body.raw_data]
    decide(page, ids[1], second_reviewer, "request_changes", note="Which dose?")

    def change(blocks):
        blocks[2]["value"]["text"] = "<p>Niacin flushes the skin.</p>"
        return [*blocks, paragraph("Read on.", role="context")]

    edit_body(page, writer, change)
    return page, [block["id"] for block in latest(page).body.raw_data]


@pytest.mark.parametrize("extra", [0, 120])
def test_the_problems_only_check_agrees_with_the_full_verdict(
    article_index, writer, reviewer, second_reviewer, extra
):
    page, ids = every_state(article_index, writer, reviewer, second_reviewer, extra)
    version = latest(page)
    full = evaluate(version)
    problems_only = [p.as_dict() for p in publish_problems(version)]
    assert problems_only == [p.as_dict() for p in full.problems]
    rules = {p["block_id"]: p["rule"] for p in problems_only}
    assert rules == {
        ids[1]: "unapproved_claim",  # changes requested
        ids[2]: "approval_voided",  # changed since approved
        ids[5]: "uncited_claim",
        ids[-1]: "undecided_unit",
    }
    statuses = {unit: state.status for unit, state in full.states.items()}
    assert statuses[ids[0]] == Status.APPROVED
    assert statuses[ids[4]] == Status.CONFIRMED_NOT_CLAIM
    assert len(statuses) == 2 + 7 + extra  # title, standfirst, the body


def test_a_long_page_reads_its_decisions_in_statements_of_fixed_size(
    article_index, writer, reviewer
):
    """More than a hundred units: the decisions and the authorship are read
    for the whole page, not with an IN list of every block id."""
    source = SourceFactory()
    sizes = []
    for count in (150, 300):
        page = make_article(
            article_index,
            body=[paragraph(f"Claim {n}.", sources=[source]) for n in range(count)],
            owner=writer,
        )
        approve_all(page, reviewer)
        version = latest(page)
        with CaptureQueriesContext(connection) as ctx:
            assert publish_problems(version) == []
        assert len(ctx.captured_queries) == 3
        sizes.append([len(q["sql"]) for q in ctx.captured_queries[1:]])
    assert sizes[0] == sizes[1]


def test_a_long_page_counts_only_its_own_decisions_on_its_current_blocks(
    article_index, writer, reviewer
):
    """Read for the whole page, the decisions of a block the page no longer
    has, and those of another page with the same block ids, count for
    nothing."""
    source = SourceFactory()
    body = [paragraph(f"Claim {n}.", sources=[source]) for n in range(120)]
    original = make_article(article_index, body=body, owner=writer)
    approve_all(original, reviewer)
    twin = make_article(article_index, body=body, owner=writer)  # same block ids
    assert {p.rule for p in publish_problems(latest(twin))} == {
        "unapproved_claim",
        "undecided_unit",
    }
    approve_all(twin, reviewer)
    passages = read_passages(latest(original))
    data = ReviewData.load_pages(
        {original.pk: passages[:110], twin.pk: passages[:3]}, full=False
    )
    assert set(data[original.pk].decisions) == {p.block_id for p in passages[:110]}
    assert set(data[twin.pk].decisions) == {p.block_id for p in passages[:3]}

    removed = passages[0].block_id
    edit_body(original, writer, lambda blocks: blocks[1:])
    result = evaluate(latest(original))
    assert result.problems == []
    assert removed not in result.states


def test_kept_hashes_follow_what_they_are_worked_out_from(
    article_index, writer, reviewer
):
    """A fingerprint kept for a unit's text is not the fingerprint of that
    text once its cited Source's evidence changed, even in a process that
    has kept it; an approval given before the change no longer counts."""
    source = SourceFactory()
    page = make_article(
        article_index, body=[paragraph("NR raises NAD+.", sources=[source])]
    )
    approve(page, reviewer)
    before = read_passages(latest(page))[0]
    assert publish_problems(latest(page)) == []
    source.population = "animal"
    source.save()
    after = read_passages(latest(page))[0]
    assert after.fingerprint != before.fingerprint
    assert after.text == before.text
    assert [p.rule for p in publish_problems(latest(page))] == ["approval_voided"]

    ContentMemo.clear_all()  # as a new process would work them out
    assert read_passages(latest(page))[0].fingerprint == after.fingerprint


def test_messages_are_kept_per_language():
    assert translate("Yes") == "Yes"
    with translation.override("fr"):
        assert translate("Yes") == "Oui"
    assert translate("Yes") == "Yes"
