"""A decision records what the reviewer saw (issue 12, rule 4), in code.

`record_decision` used to re-read the latest text and pin the decision to
it, whatever the reviewer had read.
"""

import pytest

from evidence.models import ReviewDecision
from evidence.review.decisions import DecisionConflict, ReviewRefused, record_decision
from tests.factories import (
    SourceFactory,
    make_article,
    paragraph,
    set_passage_text,
    shown_fingerprint,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(article_index, writer):
    return make_article(
        article_index,
        owner=writer,
        body=[
            paragraph("NR raised blood NAD+.", sources=[SourceFactory()], block_id="c")
        ],
    )


def test_a_decision_on_text_changed_since_it_was_shown_is_refused(
    article, reviewer, writer
):
    read = shown_fingerprint(article, "c")
    set_passage_text(article, writer, 0, "NR reverses ageing.")
    with pytest.raises(DecisionConflict) as refused:
        record_decision(article, "c", reviewer, "approve", fingerprint=read)
    assert refused.value.current == shown_fingerprint(article, "c") != read
    assert not ReviewDecision.objects.filter(page=article).exists()


def test_a_decision_needs_the_fingerprint_the_reviewer_was_shown(article, reviewer):
    with pytest.raises(ReviewRefused, match="fingerprint"):
        record_decision(article, "c", reviewer, "approve", fingerprint="")
    with pytest.raises(TypeError):
        record_decision(article, "c", reviewer, "approve")  # no silent default


def test_the_decision_is_pinned_to_the_text_shown(article, reviewer):
    read = shown_fingerprint(article, "c")
    decision = record_decision(article, "c", reviewer, "approve", fingerprint=read)
    assert decision.fingerprint == read


def test_an_identical_decision_sent_twice_is_recorded_once(article, reviewer):
    read = shown_fingerprint(article, "c")
    first = record_decision(article, "c", reviewer, "approve", fingerprint=read)
    again = record_decision(article, "c", reviewer, "approve", fingerprint=read)
    assert (first.duplicate, again.duplicate) == (False, True)
    assert again.pk == first.pk
    assert ReviewDecision.objects.filter(page=article).count() == 1


def test_a_different_decision_after_one_is_recorded(article, reviewer):
    read = shown_fingerprint(article, "c")
    record_decision(article, "c", reviewer, "approve", fingerprint=read)
    record_decision(
        article,
        "c",
        reviewer,
        "request_changes",
        note="Cite the dose.",
        fingerprint=read,
    )
    record_decision(article, "c", reviewer, "approve", fingerprint=read)
    assert ReviewDecision.objects.filter(page=article).count() == 3
