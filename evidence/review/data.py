"""Loading what the review rules read: decisions and authorship, by block.

Decisions and authorship are looked up by block id. Block ids are random
and unique to a passage, except that copying a page (or making an alias)
keeps them: a copy carries its passages' reviews with it, and the first
edit of a copied passage voids them as it would on the original.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from evidence.models import PassageAuthorship, ReviewDecision
from evidence.passages import Passage, compact_json, read_passages
from evidence.review.state import PassageReview, passage_review
from evidence.roles import MEDICAL_REVIEWERS
from nadsite.rows import chunks, columns, fetch


def text_hash(passage: Passage) -> str:
    """A hash of what the passage says (its kind and text, not its sources).

    Authorship follows the words: changing only the citations does not make
    someone the author of the passage, and neither does re-saving it in the
    editor (the passage reader drops the keys the editor adds).
    """
    payload = compact_json([passage.kind, passage.content])
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """What the review states need of a ReviewDecision, read as a row.

    `ReviewData.load(with_reviewers=False)` (the public article page) reads
    decisions as these instead of model instances: building two dozen
    ReviewDecisions with every field cost more than the statement did.
    """

    pk: int
    block_id: str
    fingerprint: str
    decision: str
    certainty: str
    reviewer_id: int
    created_at: object  # an aware datetime
    reviewer_counts: bool

    FIELDS = (
        "id",
        "block_id",
        "fingerprint",
        "decision",
        "certainty",
        "reviewer_id",
        "created_at",
    )

    @property
    def reviewer(self):
        """The reviewer's user (a query each time)."""
        return get_user_model().objects.get(pk=self.reviewer_id)


@dataclass
class ReviewData:
    """Decisions and authorship for a set of passages, loaded in two queries."""

    decisions: dict[str, list[ReviewDecision | DecisionRow]] = field(
        default_factory=dict
    )
    authors: dict[tuple[str, str], int | None] = field(default_factory=dict)

    @classmethod
    def load(cls, passages: list[Passage], *, with_reviewers=True) -> ReviewData:
        """Every decision on these passages' blocks, oldest first, and who
        first saved each of their texts.

        Whether a decision's reviewer counts (active, and a medical reviewer
        or superuser) is worked out in the same query. `with_reviewers=False`
        leaves the reviewers' user rows unread, for callers that only need
        the statuses and certainties (the public article page), and reads
        the decisions as `DecisionRow`s with one plain SQL statement applying
        the same rule (`_decisions_without_reviewers`); reading
        `PassageReview.reviewers` then costs a query per reviewer.
        """
        block_ids = {p.block_id for p in passages if p.block_id}
        data = cls()
        if not block_ids:
            return data
        if with_reviewers:
            in_group = Group.objects.filter(
                name=MEDICAL_REVIEWERS, user=OuterRef("reviewer_id")
            )
            counts = Q(reviewer__is_active=True) & (
                Q(reviewer__is_superuser=True) | Exists(in_group)
            )
            decisions = (
                ReviewDecision.objects.filter(block_id__in=block_ids)
                .annotate(
                    reviewer_counts=ExpressionWrapper(
                        counts, output_field=BooleanField()
                    )
                )
                .select_related("reviewer")
                .order_by("created_at", "pk")
            )
        else:
            decisions = _decisions_without_reviewers(block_ids)
        for decision in decisions:
            data.decisions.setdefault(decision.block_id, []).append(decision)
        # Ordered newest first, so the earliest saver of a text wins.
        for block_id, hashed, author_id in _authorship(block_ids):
            data.authors[(block_id, hashed)] = author_id
        return data

    def author_of(self, passage: Passage) -> int | None:
        return self.authors.get((passage.block_id, text_hash(passage)))


def _decisions_without_reviewers(block_ids) -> list[DecisionRow]:
    """The decisions on these blocks, oldest first, each with `reviewer_counts`.

    The same rows and the same rule as `ReviewData.load(with_reviewers=True)`
    (a reviewer counts when active and a superuser or a member of "Medical
    reviewers"), written as one parameterised SQL statement: the public
    article page runs this on every request, and building the equivalent
    ORM query (annotation, `Exists`, joins) took ten times as long as the
    database took to answer it. Table and column names come from the models,
    so it runs on SQLite and PostgreSQL alike.
    """
    User = get_user_model()
    memberships = User.groups.through._meta
    q = connection.ops.quote_name
    cols = columns(ReviewDecision, ((ReviewDecision, "d"),), names=DecisionRow.FIELDS)
    member_user = memberships.get_field("user").column
    member_group = memberships.get_field("group").column
    decisions = []
    for part in chunks(sorted(block_ids), reserved=1):
        # Names come from the models' metadata; values are parameters.
        sql = (
            f"SELECT {cols.sql}, (u.{q('is_active')} AND (u.{q('is_superuser')} OR "  # noqa: S608
            f"EXISTS (SELECT 1 FROM {q(memberships.db_table)} m "
            f"INNER JOIN {q(Group._meta.db_table)} g "
            f"ON g.{q('id')} = m.{q(member_group)} "
            f"WHERE m.{q(member_user)} = u.{q(User._meta.pk.column)} "
            f"AND g.{q('name')} = %s))) "
            f"FROM {q(ReviewDecision._meta.db_table)} d "
            f"INNER JOIN {q(User._meta.db_table)} u "
            f"ON u.{q(User._meta.pk.column)} = d.{q('reviewer_id')} "
            f"WHERE d.{q('block_id')} IN ({', '.join(['%s'] * len(part))})"
        )
        decisions += [
            DecisionRow(*cols.values(row), bool(row[-1]))
            for row in fetch(sql, [MEDICAL_REVIEWERS, *part])
        ]
    decisions.sort(key=lambda d: (d.created_at, d.pk))
    return decisions


def _authorship(block_ids) -> list[tuple[str, str, int | None]]:
    """(block id, text hash, author id) of these blocks' saved texts, newest
    first, in plain SQL for the same reason as the decisions above."""
    q = connection.ops.quote_name
    table = q(PassageAuthorship._meta.db_table)
    rows = []
    for part in chunks(sorted(block_ids)):
        sql = (
            f"SELECT {q('block_id')}, {q('text_hash')}, {q('author_id')}, "  # noqa: S608
            f"{q('created_at')}, {q(PassageAuthorship._meta.pk.column)} "
            f"FROM {table} WHERE {q('block_id')} IN ({', '.join(['%s'] * len(part))})"
        )
        rows += fetch(sql, part)
    rows.sort(key=lambda row: (row[3], row[4]), reverse=True)
    return [row[:3] for row in rows]


def review_states(page) -> dict[str, PassageReview]:
    """Block id -> review state of every passage of this version of the page.

    Pass the version that matters: `revision.as_object()` for a draft, or
    the page itself for what is live.
    """
    passages = read_passages(page)
    data = ReviewData.load(passages)
    return {p.block_id: passage_review(p, data) for p in passages}
