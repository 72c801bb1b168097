"""Loading what the review rules read: decisions and authorship, by block.

Decisions and authorship are looked up by block id. Block ids are random
and unique to a passage, except that copying a page (or making an alias)
keeps them: a copy carries its passages' reviews with it, and the first
edit of a copied passage voids them as it would on the original.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from evidence.models import PassageAuthorship, ReviewDecision
from evidence.passages import Passage, compact_json, read_passages
from evidence.review.state import PassageReview, passage_review
from evidence.roles import MEDICAL_REVIEWERS


def text_hash(passage: Passage) -> str:
    """A hash of what the passage says (its kind and text, not its sources).

    Authorship follows the words: changing only the citations does not make
    someone the author of the passage, and neither does re-saving it in the
    editor (the passage reader drops the keys the editor adds).
    """
    payload = compact_json([passage.kind, passage.content])
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class ReviewData:
    """Decisions and authorship for a set of passages, loaded in two queries."""

    decisions: dict[str, list[ReviewDecision]] = field(default_factory=dict)
    authors: dict[tuple[str, str], int | None] = field(default_factory=dict)

    @classmethod
    def load(cls, passages: list[Passage]) -> ReviewData:
        """Every decision on these passages' blocks, oldest first, with its
        reviewer, and who first saved each of their texts.

        Whether a decision's reviewer counts (active, and a medical reviewer
        or superuser) is worked out in the same query (`reviewer_counts`).
        """
        block_ids = {p.block_id for p in passages if p.block_id}
        data = cls()
        if not block_ids:
            return data
        in_group = Group.objects.filter(
            name=MEDICAL_REVIEWERS, user=OuterRef("reviewer_id")
        )
        counts = Q(reviewer__is_active=True) & (
            Q(reviewer__is_superuser=True) | Exists(in_group)
        )
        decisions = (
            ReviewDecision.objects.filter(block_id__in=block_ids)
            .annotate(
                reviewer_counts=ExpressionWrapper(counts, output_field=BooleanField())
            )
            .select_related("reviewer")
            .order_by("created_at", "pk")
        )
        for decision in decisions:
            data.decisions.setdefault(decision.block_id, []).append(decision)
        # Ordered newest first, so the earliest saver of a text wins.
        for block_id, hashed, author_id in _authorship(block_ids):
            data.authors[(block_id, hashed)] = author_id
        return data

    def author_of(self, passage: Passage) -> int | None:
        return self.authors.get((passage.block_id, text_hash(passage)))


def _authorship(block_ids) -> list[tuple[str, str, int | None]]:
    """(block id, text hash, author id) of these blocks' saved texts, newest
    first."""
    return list(
        PassageAuthorship.objects.filter(block_id__in=block_ids)
        .order_by("-created_at", "-pk")
        .values_list("block_id", "text_hash", "author_id")
    )


def review_states(page) -> dict[str, PassageReview]:
    """Block id -> review state of every passage of this version of the page.

    Pass the version that matters: `revision.as_object()` for a draft, or
    the page itself for what is live.
    """
    passages = read_passages(page)
    data = ReviewData.load(passages)
    return {p.block_id: passage_review(p, data) for p in passages}
