"""The publish gate's rules: what may stop a version of a page going live.

A version may go live only when every reviewable unit of it (its title,
standfirst, SEO fields and every block of its body: `reviewable_units`)
carries a current decision by a medical reviewer who did not write its
text, pinned to exactly the text, role, citations and cited evidence the
reviewer was shown (any later change voids it). A claim also

1. cites at least one source that supports or mentions it and has not been
   retracted, other than citations an import suggested that no reviewer
   has confirmed (`Citation.suggested`);
2. has a current approval (a "not a claim" confirmation does not do);

and a context unit has a current approval or "not a claim" confirmation;
one approved as a claim (a certainty readers will see) needs the support of
rule 1 as a claim does.
A unit that cannot carry citations (the title, the standfirst, the SEO
fields, a heading) is context: a claim in one can never be approved, and
its problem says so (move the claim into the body, or reword it).
The claim detector only says which context units must be decided on their
own; it never exempts one. Superusers are gated too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence.gate import Problem
from evidence.passages import Passage, reviewable_units
from evidence.review.data import ReviewData, decision_page_id
from evidence.review.state import (
    PassageReview,
    Status,
    passage_review,
    reads_like_claim,
)
from evidence.vocab import Decision
from evidence.vocab import translate as _

RULES = (
    "uncited_claim",
    "retracted_source",
    "unconfirmed_citation",
    "unapproved_claim",
    "approval_voided",
    "self_approval",
    "unconfirmed_context",
    "undecided_unit",
)


@dataclass(frozen=True)
class GateResult:
    """The gate's verdict on one version: its problems, and every unit it
    evaluated with its review state (what the publish snapshot records)."""

    problems: list[Problem]
    states: dict[str, PassageReview]
    units: list[Passage] = field(default_factory=list)


def _label(passage: Passage) -> str:
    return _("%(unit)s (“%(excerpt)s”)") % {
        "unit": passage.label,
        "excerpt": passage.excerpt or _("empty"),
    }


def _source_names(citations) -> str:
    names = []
    for c in citations:
        source = c.source
        name = f"{source.first_author} {source.year or ''}".strip() or source.title
        if name not in names:
            names.append(name)
    return ", ".join(names)


def _citation_problem(passage: Passage) -> Problem | None:
    if any(c.usable for c in passage.citations):
        return None
    label = _label(passage)
    if not passage.can_cite:
        return Problem(
            passage.block_id,
            passage.position,
            "uncited_claim",
            passage.excerpt,
            uncitable_claim_message(label),
        )
    retracted = [
        c
        for c in passage.citations
        if c.supports and c.source is not None and c.source.is_retracted
    ]
    suggested = [c for c in passage.citations if c.supports and c.suggested]
    if suggested and not retracted:
        rule = "unconfirmed_citation"
        message = _(
            "%(passage)s rests only on citations an import suggested "
            "(%(sources)s), which no medical reviewer has confirmed. A "
            "reviewer confirms one by setting its stance to “Supports” and "
            "its locator to where the source says it; or cite another source."
        ) % {
            "passage": label,
            "sources": _source_names([c for c in suggested if c.source is not None])
            or _("a deleted source"),
        }
    elif retracted:
        rule = "retracted_source"
        message = _(
            "%(passage)s rests only on retracted sources (%(sources)s). "
            "Cite a source that has not been retracted."
        ) % {"passage": label, "sources": _source_names(retracted)}
    elif passage.citations:
        rule = "uncited_claim"
        message = _(
            "%(passage)s states a claim but none of its sources supports it. "
            "Cite a source that supports or mentions it."
        ) % {"passage": label}
    else:
        rule = "uncited_claim"
        message = _("%(passage)s states a claim but cites no source.") % {
            "passage": label
        }
    return Problem(passage.block_id, passage.position, rule, passage.excerpt, message)


def _claimed(passage: Passage, review: PassageReview) -> bool:
    """Whether the unit goes live as a claim: marked as one by its writer, or
    approved as one by a reviewer (an approval of a context unit puts a
    certainty on it for readers, so it needs the support a claim needs)."""
    if passage.is_claim:
        return True
    decision = review.decision
    return (
        review.status == Status.APPROVED
        and decision is not None
        and decision.decision == Decision.APPROVE
    )


def uncitable_claim_message(label: str) -> str:
    """What to do with a unit that cannot carry citations (the title, the
    standfirst, an SEO field, a heading) and reads like a claim: a claim
    needs a confirmed supporting citation, so one there can never be
    approved."""
    return _(
        "%(passage)s reads like a claim, and it cannot cite sources, so it "
        "cannot be approved as a claim. A medical reviewer must decide it on "
        "its own: request changes (move the claim into the body, where it "
        "can be cited, or reword it), or confirm it states no claim."
    ) % {"passage": label}


def _review_problem(passage: Passage, review: PassageReview) -> Problem | None:
    if review.is_settled or not review.needs_review:
        return None
    label = _label(passage)
    if not passage.is_claim:
        rule = "self_approval" if review.self_approved else "unconfirmed_context"
        if review.self_approved:
            message = _(
                "%(passage)s was confirmed “not a claim” only by the person "
                "who wrote it; another medical reviewer must confirm it."
            ) % {"passage": label}
        elif review.status == Status.CHANGED_SINCE_APPROVAL:
            rule = "approval_voided"
            message = _(
                "%(passage)s changed after a medical reviewer confirmed it; "
                "a medical reviewer must read it again."
            ) % {"passage": label}
        elif review.status == Status.CHANGES_REQUESTED:
            rule = "unconfirmed_context" if review.flagged else "undecided_unit"
            message = _(
                "%(passage)s: a medical reviewer asked for changes: “%(note)s”"
            ) % {"passage": label, "note": review.decision.note}
        elif review.flagged and not passage.can_cite and reads_like_claim(passage.text):
            message = uncitable_claim_message(label)
        elif review.flagged:
            message = _(
                "%(passage)s is not marked as a claim but reads like one, or "
                "hides characters from readers. A medical reviewer must decide "
                "it on its own: confirm it is not a claim, or ask for changes."
            ) % {"passage": label}
        else:
            rule = "undecided_unit"
            message = _(
                "%(passage)s has not been read by a medical reviewer. A "
                "medical reviewer must confirm it is not a claim (on the "
                "review screen, with the other context passages) or ask for "
                "changes."
            ) % {"passage": label}
    elif review.self_approved:
        rule = "self_approval"
        message = _(
            "%(passage)s was approved only by the person who wrote it; "
            "another medical reviewer must approve it."
        ) % {"passage": label}
    elif review.status == Status.CHANGED_SINCE_APPROVAL:
        rule = "approval_voided"
        message = _(
            "%(passage)s changed after a medical reviewer approved it; "
            "it needs approving again."
        ) % {"passage": label}
    elif review.status == Status.CHANGES_REQUESTED:
        rule = "unapproved_claim"
        message = _("%(passage)s: a medical reviewer asked for changes: “%(note)s”") % {
            "passage": label,
            "note": review.decision.note,
        }
    else:
        rule = "unapproved_claim"
        message = _("%(passage)s has not been approved by a medical reviewer.") % {
            "passage": label
        }
    return Problem(passage.block_id, passage.position, rule, passage.excerpt, message)


def evaluate(
    page, passages: list[Passage] | None = None, *, full: bool = True
) -> GateResult:
    """The gate's full verdict on a version: its problems and review states.

    Three queries whatever the length: the cited sources, the decisions and
    the authorship of the units (two when `passages`, already read with
    `reviewable_units`, are given). The claim detector runs only on
    undecided context units. `full=False` reads of each decision only what
    the rules read (`ReviewData.load`): the problems are the same, but the
    states' decisions name no reviewer and no date, so they make no byline
    and no snapshot.
    """
    if passages is None:
        passages = reviewable_units(page)
    data = ReviewData.load(passages, decision_page_id(page), full=full)
    problems = []
    states = {}
    for passage in passages:
        review = passage_review(passage, data)
        states[passage.block_id] = review
        if _claimed(passage, review) and (problem := _citation_problem(passage)):
            problems.append(problem)
        if problem := _review_problem(passage, review):
            problems.append(problem)
    return GateResult(problems, states, passages)
