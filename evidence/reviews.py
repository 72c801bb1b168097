"""Medical review of passages: decisions, their current state, and authorship.

A medical reviewer decides on one passage at a time: approve it (a claim,
with the certainty of its evidence), ask for changes (with a note), or
confirm that a context passage is "not a claim". Each decision is pinned to
the passage's fingerprint, a hash of its text and citations, so any later
edit leaves the passage without a current approval.

No one approves their own words: an approval does not count when the
reviewer is the person who first saved the passage's current text. That
authorship is recorded from every saved revision of an article.

Decisions and authorship are looked up by block id. Block ids are random
and unique to a passage, except that copying a page (or making an alias)
keeps them: a copy carries its passages' reviews with it, and the first
edit of a copied passage voids them as it would on the original.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from evidence.claims import has_claim
from evidence.models import (
    Certainty,
    Decision,
    PassageAuthorship,
    ReviewDecision,
)
from evidence.passages import Passage, compact_json, read_passages
from nadsite.rows import chunks, columns, fetch

MEDICAL_REVIEWERS = "Medical reviewers"
REVIEW_LOG_ACTION = "evidence.review_decision"


class Status:
    APPROVED = "approved"
    CONFIRMED_NOT_CLAIM = "confirmed_not_claim"
    CHANGED_SINCE_APPROVAL = "changed_since_approval"
    CHANGES_REQUESTED = "changes_requested"
    UNREVIEWED = "unreviewed"
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True)
class PassageReview:
    """Where one passage stands with medical review, for one version.

    `decision` is the decision that gives the status (the latest approval
    that counts, or the request for changes); `counted` are the approvals
    (and "not a claim" confirmations) of the current text that count, and
    `reviewers` the users who gave them. `self_approved` is true when the
    only approvals of the current text are by the person who wrote it.
    """

    status: str
    decision: ReviewDecision | None = None
    certainty: str = ""
    counted: tuple[ReviewDecision, ...] = ()
    self_approved: bool = False
    author_id: int | None = None
    needs_review: bool = True

    @property
    def reviewers(self) -> tuple:
        """The users whose decisions on the current text count, once each."""
        return tuple({d.reviewer_id: d.reviewer for d in self.counted}.values())

    @property
    def is_settled(self) -> bool:
        """The passage needs nothing more from a reviewer."""
        return self.status in {
            Status.APPROVED,
            Status.CONFIRMED_NOT_CLAIM,
            Status.NOT_NEEDED,
        }


class ReviewRefused(ValidationError):
    """A review decision that may not be recorded, with the reason why."""


def text_hash(passage: Passage) -> str:
    """A hash of what the passage says (its kind and text, not its sources).

    Authorship follows the words: changing only the citations does not make
    someone the author of the passage, and neither does re-saving it in the
    editor (the passage reader drops the keys the editor adds).
    """
    payload = compact_json([passage.kind, passage.content])
    return hashlib.sha256(payload.encode()).hexdigest()


def is_medical_reviewer(user) -> bool:
    """Members of "Medical reviewers" and superusers may record decisions."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=MEDICAL_REVIEWERS).exists()


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


def _reviewer_counts(decision: ReviewDecision) -> bool:
    counts = getattr(decision, "reviewer_counts", None)
    if counts is None:
        return is_medical_reviewer(decision.reviewer)
    return bool(counts)


@functools.lru_cache(maxsize=4096)
def reads_like_claim(text: str) -> bool:
    """The claim detector's verdict on a context passage's text (cached: the
    gate asks again for the same text on every path a publish goes through)."""
    return has_claim(text)


def passage_review(passage: Passage, data: ReviewData) -> PassageReview:
    """The review state of one passage, from already loaded decisions.

    For a claim only approvals count. For a context passage an approval or
    a "not a claim" confirmation counts; it needs one only when the claim
    detector finds a claim in it. A request for changes on the current text
    cancels the approvals recorded before it.
    """
    fingerprint = passage.fingerprint
    author_id = data.author_of(passage)
    history = data.decisions.get(passage.block_id, [])
    current = [d for d in history if d.fingerprint == fingerprint]
    accepted = (
        {Decision.APPROVE}
        if passage.is_claim
        else {Decision.APPROVE, Decision.NOT_A_CLAIM}
    )
    last_request = max(
        (i for i, d in enumerate(current) if d.decision == Decision.REQUEST_CHANGES),
        default=-1,
    )
    since_request = current[last_request + 1 :]
    by_others = [
        d
        for d in since_request
        if d.decision in accepted
        and _reviewer_counts(d)
        and (author_id is None or d.reviewer_id != author_id)
    ]
    if by_others:
        latest = by_others[-1]
        approvals = [d for d in by_others if d.decision == Decision.APPROVE]
        return PassageReview(
            status=Status.APPROVED
            if passage.is_claim or latest.decision == Decision.APPROVE
            else Status.CONFIRMED_NOT_CLAIM,
            decision=latest,
            certainty=approvals[-1].certainty if approvals else "",
            counted=tuple(by_others),
            author_id=author_id,
        )
    needs_review = passage.is_claim or reads_like_claim(passage.text)
    self_approved = any(
        d.decision in accepted and d.reviewer_id == author_id for d in since_request
    )
    if last_request >= 0 and not self_approved:
        return PassageReview(
            status=Status.CHANGES_REQUESTED,
            decision=current[last_request],
            author_id=author_id,
            needs_review=needs_review,
        )
    voided = [
        d for d in history if d.fingerprint != fingerprint and d.decision in accepted
    ]
    if voided and not self_approved:
        status = Status.CHANGED_SINCE_APPROVAL
    elif needs_review:
        status = Status.UNREVIEWED
    else:
        status = Status.NOT_NEEDED
    return PassageReview(
        status=status,
        decision=voided[-1] if status == Status.CHANGED_SINCE_APPROVAL else None,
        self_approved=self_approved,
        author_id=author_id,
        needs_review=needs_review,
    )


def review_states(page) -> dict[str, PassageReview]:
    """Block id -> review state of every passage of this version of the page.

    Pass the version that matters: `revision.as_object()` for a draft, or
    the page itself for what is live.
    """
    passages = read_passages(page)
    data = ReviewData.load(passages)
    return {p.block_id: passage_review(p, data) for p in passages}


def suggested_certainty(page, passage: Passage) -> str:
    """The GRADE-style certainty the evidence of a passage suggests."""
    from evidence.certainty import suggest_certainty
    from evidence.evaluation import evidence_items, page_subject

    evidence = evidence_items(passage)
    return suggest_certainty(evidence, page_subject(page), passage.text).level


def _latest_version(page):
    """The latest revision and its version, read afresh from the database."""
    from wagtail.models import Page

    page = Page.objects.get(pk=page.pk).specific
    revision = page.get_latest_revision()
    return revision, (revision.as_object() if revision else page)


def record_decision(
    page,
    block_id,
    reviewer,
    decision,
    note="",
    certainty="",
    certainty_reason="",
) -> ReviewDecision:
    """Record a reviewer's decision on one passage of the page's latest version.

    Refused, with the reason, when the passage is not in the latest version,
    the user is not a medical reviewer, a request for changes has no note,
    "not a claim" is given for a claim passage, the certainty differs from
    the suggested one without a reason, or the reviewer wrote the passage's
    current text and is approving it.
    """
    note = (note or "").strip()
    certainty_reason = (certainty_reason or "").strip()
    if decision not in Decision.values:
        raise ReviewRefused(
            _("Unknown decision “%(decision)s”.") % {"decision": decision}
        )
    if not is_medical_reviewer(reviewer):
        raise ReviewRefused(
            _("Only medical reviewers can approve passages or request changes.")
        )
    revision, version = _latest_version(page)
    passages = read_passages(version)
    passage = next((p for p in passages if p.block_id == block_id), None)
    if passage is None:
        raise ReviewRefused(
            _(
                "This passage is not in the latest version of the page; "
                "reload the page and review the current text."
            )
        )
    if decision == Decision.REQUEST_CHANGES and not note:
        raise ReviewRefused(
            _("Say what needs to change: a request for changes needs a note.")
        )
    if decision == Decision.NOT_A_CLAIM and passage.is_claim:
        raise ReviewRefused(
            _(
                "This passage is marked as a claim. Only context passages can "
                "be confirmed as “not a claim”; ask the writer to change its "
                "role if it states no fact."
            )
        )
    suggested = ""
    if decision == Decision.APPROVE:
        suggested = suggested_certainty(version, passage)
        if certainty and certainty not in Certainty.values:
            raise ReviewRefused(
                _("Unknown certainty “%(certainty)s”.") % {"certainty": certainty}
            )
        certainty = certainty or suggested
        if certainty != suggested and not certainty_reason:
            raise ReviewRefused(
                _(
                    "The suggested certainty is %(suggested)s. Say why you "
                    "chose %(chosen)s."
                )
                % {
                    "suggested": Certainty(suggested).label,
                    "chosen": Certainty(certainty).label,
                }
            )
    else:
        certainty = ""
        certainty_reason = ""
    data = ReviewData.load([passage])
    if (
        decision in {Decision.APPROVE, Decision.NOT_A_CLAIM}
        and data.author_of(passage) == reviewer.pk
    ):
        raise ReviewRefused(
            _(
                "You wrote this passage’s current text; another reviewer must "
                "approve it."
            )
        )
    with transaction.atomic():
        record = ReviewDecision.objects.create(
            page_id=page.pk,
            revision=revision,
            block_id=block_id,
            fingerprint=passage.fingerprint,
            excerpt=passage.excerpt[:200],
            decision=decision,
            certainty=certainty,
            suggested_certainty=suggested,
            certainty_reason=certainty_reason,
            note=note,
            reviewer=reviewer,
        )
        log(
            instance=page.specific,
            action=REVIEW_LOG_ACTION,
            user=reviewer,
            revision=revision,
            data={
                "block_id": block_id,
                "position": passage.position,
                "excerpt": record.excerpt,
                "decision": decision,
                "certainty": certainty,
                "note": note,
            },
        )
    return record


def record_authorship(revision) -> int:
    """Remember who first saved each passage text of an article revision.

    A passage whose current text was already saved before keeps its first
    author; the rest are credited to the revision's user. One query: the
    passages are read from the revision's stored content.
    """
    body = (revision.content or {}).get("body") or []
    if isinstance(body, str):
        body = json.loads(body)
    passages = read_passages(SimpleNamespace(body=body), sources={})
    rows = [
        PassageAuthorship(
            page_id=int(revision.object_id),
            block_id=p.block_id,
            text_hash=text_hash(p),
            revision=revision,
            author_id=revision.user_id,
        )
        for p in passages
        if p.block_id
    ]
    if not rows:
        return 0
    return len(PassageAuthorship.objects.bulk_create(rows, ignore_conflicts=True))
