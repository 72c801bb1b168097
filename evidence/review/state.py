"""Where a reviewable unit stands with medical review: the rules, on loaded data.

Every unit needs a current decision before its version may go live. For a
claim only approvals count; for a context unit (a title, a heading, a
passage marked context) an approval or a "not a claim" confirmation counts.
The claim detector never exempts a unit: it flags the context units that
read like claims (or hide invisible characters or look-alike letters), and
a flagged unit must be decided on its own (`flagged`), while the others may
be confirmed together on the review screen. No one approves their own
words: an approval does not count when the reviewer is the person who
first saved the unit's current text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evidence.analysis.claims import has_claim
from evidence.roles import is_medical_reviewer
from evidence.vocab import Decision

if TYPE_CHECKING:
    from evidence.models import ReviewDecision
    from evidence.passages import Passage
    from evidence.review.data import ReviewData


class Status:
    APPROVED = "approved"
    CONFIRMED_NOT_CLAIM = "confirmed_not_claim"
    CHANGED_SINCE_APPROVAL = "changed_since_approval"
    CHANGES_REQUESTED = "changes_requested"
    UNREVIEWED = "unreviewed"
    # No longer given: every unit needs a decision. Kept because snapshots
    # written before that rule may record it.
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True)
class PassageReview:
    """Where one passage stands with medical review, for one version.

    `decision` is the decision that gives the status (the latest approval
    that counts, or the request for changes); `counted` are the approvals
    (and "not a claim" confirmations) of the current text that count, and
    `reviewers` the users who gave them. (For the gate's problems alone the
    decisions are rows of what the rules read, `ReviewData.load(full=False)`:
    no reviewer, no date.) `self_approved` is true when the
    only approvals of the current text are by the person who wrote it.
    """

    status: str
    decision: ReviewDecision | None = None
    certainty: str = ""
    counted: tuple[ReviewDecision, ...] = ()
    self_approved: bool = False
    author_id: int | None = None
    needs_review: bool = True
    flagged: bool = False  # an undecided context unit the detector flags

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


def is_flagged(passage: Passage) -> bool:
    """Whether a unit must be decided on its own rather than confirmed with
    other context units: it is a claim, the detector reads a claim in it,
    or its text hides something from a reader (invisible characters, a
    Cyrillic or Greek letter inside a Latin word)."""
    return passage.is_claim or passage.suspicious or reads_like_claim(passage.text)


# The decisions that settle a claim, and a context unit.
_CLAIM_ACCEPTED = frozenset({Decision.APPROVE.value})
_CONTEXT_ACCEPTED = frozenset({Decision.APPROVE.value, Decision.NOT_A_CLAIM.value})
_REQUEST = Decision.REQUEST_CHANGES.value


def passage_review(passage: Passage, data: ReviewData) -> PassageReview:
    """The review state of one unit, from already loaded decisions.

    For a claim only approvals count. For a context unit an approval or a
    "not a claim" confirmation counts. Every unit needs one. A request for
    changes on the current text cancels the approvals recorded before it.
    """
    fingerprint = passage.fingerprint
    author_id = data.author_of(passage)
    history = data.decisions.get(passage.block_id, ())
    current = [d for d in history if d.fingerprint == fingerprint]
    is_claim = passage.is_claim
    accepted = _CLAIM_ACCEPTED if is_claim else _CONTEXT_ACCEPTED
    last_request = len(current) - 1
    while last_request >= 0 and current[last_request].decision != _REQUEST:
        last_request -= 1
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
            if is_claim or latest.decision == Decision.APPROVE
            else Status.CONFIRMED_NOT_CLAIM,
            decision=latest,
            certainty=approvals[-1].certainty if approvals else "",
            counted=tuple(by_others),
            author_id=author_id,
        )
    needs_review = True  # the detector ranks and flags; it exempts nothing
    flagged = not is_claim and is_flagged(passage)
    self_approved = any(
        d.decision in accepted and d.reviewer_id == author_id for d in since_request
    )
    if last_request >= 0 and not self_approved:
        return PassageReview(
            status=Status.CHANGES_REQUESTED,
            decision=current[last_request],
            author_id=author_id,
            needs_review=needs_review,
            flagged=flagged,
        )
    voided = [
        d for d in history if d.fingerprint != fingerprint and d.decision in accepted
    ]
    if voided and not self_approved:
        status = Status.CHANGED_SINCE_APPROVAL
    else:
        status = Status.UNREVIEWED
    return PassageReview(
        status=status,
        decision=voided[-1] if status == Status.CHANGED_SINCE_APPROVAL else None,
        self_approved=self_approved,
        author_id=author_id,
        needs_review=needs_review,
        flagged=flagged,
    )
