"""Loading what the review rules read: decisions and authorship, by page.

Decisions and authorship belong to a page: they are looked up by (page,
block id), never by block id alone. Block ids are random, but copying a
page keeps them, and anyone can send a block id through the API: a new
article that reuses an approved passage's id, text and citations gets none
of its approvals. Copying a page copies its decisions and authorship
explicitly (`evidence.review.copies`); an alias has no decisions of its own
and follows its original (`decision_page_id`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper

from evidence.models import PassageAuthorship, ReviewDecision
from evidence.passages import ContentMemo, Passage, compact_json, reviewable_units
from evidence.review.state import PassageReview, passage_review
from evidence.roles import holds_review_permission

# Kept under the unit's kind and stored text (`ContentMemo`).
_TEXT_HASHES = ContentMemo()
# Up to this many blocks, decisions and authorship are read by block id.
_IN_LIST = 100
# What the rules (`evidence.review.state`) read of a decision.
RULE_FIELDS = (
    "page_id",
    "block_id",
    "fingerprint",
    "decision",
    "certainty",
    "note",
    "reviewer_id",
    "reviewer_counts",
)


def text_hash(passage: Passage) -> str:
    """A hash of what the passage says (its kind and text, not its sources).

    Authorship follows the words: changing only the citations does not make
    someone the author of the passage, and neither does re-saving it in the
    editor (the passage reader drops the keys the editor adds).
    """
    key = (passage.kind, passage.content)
    if (found := _TEXT_HASHES.get(key)) is not None:
        return found
    payload = compact_json([passage.kind, passage.content])
    return _TEXT_HASHES.put(
        key, hashlib.sha256(payload.encode()).hexdigest(), len(passage.content)
    )


@dataclass
class ReviewData:
    """Decisions and authorship for a set of passages, loaded in two queries."""

    decisions: dict[str, list[ReviewDecision]] = field(default_factory=dict)
    authors: dict[tuple[str, str], int | None] = field(default_factory=dict)

    @classmethod
    def load(
        cls, passages: list[Passage], page_id: int | None, *, full: bool = True
    ) -> ReviewData:
        """Every decision recorded on page `page_id` for these passages'
        blocks, oldest first, with its reviewer, and who first saved each of
        their texts there.

        `page_id` is the page whose decisions count (`decision_page_id`);
        None (a page not saved yet) has none. Whether a decision's reviewer
        counts (active, and holding the medical reviewer permission, or a
        superuser) is worked out in the same query (`reviewer_counts`).

        `full=False` reads each decision as a row of only what the rules
        read (`RULE_FIELDS`: no reviewer, no date), for the gate's problems;
        a byline, a snapshot or a screen needs the full decisions.
        """
        return cls.load_pages({page_id: passages}, full=full)[page_id]

    @classmethod
    def load_pages(
        cls, passages_of: dict[int | None, list[Passage]], *, full: bool = True
    ) -> dict[int | None, ReviewData]:
        """`load` for several pages at once, in the same two queries: page
        id -> its ReviewData."""
        found = {page_id: cls() for page_id in passages_of}
        page_ids = {page_id for page_id in passages_of if page_id is not None}
        wanted = {
            (page_id, p.block_id)
            for page_id in page_ids
            for p in passages_of[page_id]
            if p.block_id
        }
        if not wanted:
            return found
        block_ids = {block_id for _page_id, block_id in wanted}
        # A long page's units are read for the whole page, and the rows of
        # blocks it no longer has skipped below: an IN list of a thousand
        # ids costs more to build than those rows.
        by_block = {"block_id__in": block_ids} if len(block_ids) <= _IN_LIST else {}
        counts = holds_review_permission("reviewer_id")
        decisions = (
            ReviewDecision.objects.filter(page_id__in=page_ids, **by_block)
            .annotate(
                reviewer_counts=ExpressionWrapper(counts, output_field=BooleanField())
            )
            .order_by("created_at", "pk")
        )
        if full:
            decisions = decisions.select_related("reviewer")
        else:
            decisions = decisions.values_list(*RULE_FIELDS, named=True)
        for decision in decisions:
            if (decision.page_id, decision.block_id) in wanted:
                data = found[decision.page_id]
                data.decisions.setdefault(decision.block_id, []).append(decision)
        # Ordered newest first, so the earliest saver of a text wins.
        for page_id, block_id, hashed, author_id in _authorship(page_ids, by_block):
            if (page_id, block_id) in wanted:
                found[page_id].authors[(block_id, hashed)] = author_id
        return found

    def author_of(self, passage: Passage) -> int | None:
        return self.authors.get((passage.block_id, text_hash(passage)))


def _authorship(page_ids, by_block) -> list[tuple[int, str, str, int | None]]:
    """(page id, block id, text hash, author id) of these pages' saved
    texts (of the blocks `by_block` names, when it names them), newest
    first."""
    return list(
        PassageAuthorship.objects.filter(page_id__in=page_ids, **by_block)
        .order_by("-created_at", "-pk")
        .values_list("page_id", "block_id", "text_hash", "author_id")
    )


def decision_page_id(page) -> int | None:
    """The page whose decisions count for this version of `page`: the page
    itself, or for an alias its original (an alias shows the original's
    text and has no decisions of its own). A live copy being inserted reads
    its original's until they are copied to it (`evidence.review.copies`)."""
    return (
        getattr(page, "_reviews_of", None)
        or getattr(page, "alias_of_id", None)
        or page.pk
    )


def review_states(page) -> dict[str, PassageReview]:
    """Unit id -> review state of every reviewable unit (`reviewable_units`)
    of this version of the page.

    Pass the version that matters: `revision.as_object()` for a draft, or
    the page itself for what is live.
    """
    passages = reviewable_units(page)
    data = ReviewData.load(passages, decision_page_id(page))
    return {p.block_id: passage_review(p, data) for p in passages}
