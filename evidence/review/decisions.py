"""Recording medical review: a reviewer's decision, and who wrote each text.

A medical reviewer decides on one passage at a time: approve it (a claim,
with the certainty of its evidence), ask for changes (with a note), or
confirm that a context passage is "not a claim". Each decision is pinned to
the passage's fingerprint, a hash of its text and citations, so any later
edit leaves the passage without a current approval.

No one approves their own words: an approval does not count when the
reviewer is the person who first saved the passage's current text. That
authorship is recorded from every saved revision of an article.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from evidence.models import PassageAuthorship, ReviewDecision
from evidence.passages import (
    Passage,
    reviewable_units,
    revision_units,
    units_in_sentence,
)
from evidence.review import notes
from evidence.review.data import ReviewData, text_hash
from evidence.roles import is_medical_reviewer
from evidence.vocab import Certainty, Decision

REVIEW_LOG_ACTION = "evidence.review_decision"


class ReviewRefused(ValidationError):
    """A review decision that may not be recorded, with the reason why."""


def suggested_certainty(page, passage: Passage) -> str:
    """The GRADE-style certainty the evidence of a passage suggests."""
    from evidence.analysis.certainty import suggest_certainty
    from evidence.analysis.evaluation import evidence_items, page_subject

    evidence = evidence_items(passage)
    return suggest_certainty(evidence, page_subject(page), passage.text).level


class DecisionConflict(ReviewRefused):
    """The passage changed after the reviewer was shown it: nothing recorded.

    `current` is the passage's fingerprint now ("" when it is no longer on
    the page), so a client can fetch the passage again and decide anew.
    """

    def __init__(self, message, *, block_id="", current=""):
        super().__init__(message)
        self.block_id = block_id
        self.current = current


# Within this time an identical decision by the same reviewer on the same
# passage, with nothing recorded on it in between, is a double submission
# (a second click, a retried request) and is not recorded again.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=10)


def _locked_latest_version(page):
    """Lock the page's row, then read its latest revision and that version.

    Called inside a transaction: an edit that saves a revision takes the
    same lock (`evidence.gate.publish.lock_page_row`), so the version read
    here is the latest until the decision is recorded.
    """
    from wagtail.models import Page

    locked = Page.objects.select_for_update().get(pk=page.pk)
    revision = locked.latest_revision
    version = revision.as_object() if revision else locked.specific
    return revision, version


def _double_submission(page_id, passage, reviewer, values) -> ReviewDecision | None:
    """The reviewer's identical decision on this passage, if it is the last
    one recorded on it and recent (see DOUBLE_SUBMIT_WINDOW)."""
    last = (
        ReviewDecision.objects.filter(page_id=page_id, block_id=passage.block_id)
        .order_by("-created_at", "-pk")
        .first()
    )
    if (
        last is not None
        and last.reviewer_id == reviewer.pk
        and last.fingerprint == passage.fingerprint
        and last.created_at >= timezone.now() - DOUBLE_SUBMIT_WINDOW
        and all(getattr(last, name) == value for name, value in values.items())
    ):
        return last
    return None


def record_decision(
    page,
    block_id,
    reviewer,
    decision,
    note="",
    certainty="",
    certainty_reason="",
    *,
    fingerprint,
) -> ReviewDecision:
    """Record a reviewer's decision on one passage of the page's latest version.

    `fingerprint` is the fingerprint of the passage as the reviewer was
    shown it (the review screen and the API hand it out with the text). The
    check and the write run in one transaction with the page row locked:
    if the passage has changed since (or left the page), DecisionConflict
    is raised and nothing is recorded; a decision is never pinned to text
    the reviewer did not read.

    Refused, with the reason, when the user is not a medical reviewer, the
    page is an alias (decisions belong to its original), a request for
    changes has no note, "not a claim" is given for a claim passage, an
    approval is given for a unit that cannot cite sources (a claim there can
    never be approved: `Passage.can_cite`), the
    certainty differs from the suggested one without a reason, or the
    reviewer wrote the passage's current text and is approving it.

    A double submission (the same decision by the same reviewer on the same
    text, just recorded) returns the decision already recorded, with
    `duplicate` set, instead of recording it twice.
    """
    note = (note or "").strip()
    certainty_reason = (certainty_reason or "").strip()
    fingerprint = (fingerprint or "").strip()
    if decision not in Decision.values:
        raise ReviewRefused(
            _("Unknown decision “%(decision)s”.") % {"decision": decision}
        )
    if not is_medical_reviewer(reviewer):
        raise ReviewRefused(
            _("Only medical reviewers can approve passages or request changes.")
        )
    if not fingerprint:
        raise ReviewRefused(
            _(
                "Send the fingerprint of the passage as you read it, so the "
                "decision is pinned to that text."
            )
        )
    if getattr(page, "alias_of_id", None) is not None:
        raise ReviewRefused(
            _(
                "This page is an alias: it shows its original's text. Review "
                "the original page; the alias follows it."
            )
        )
    if decision == Decision.REQUEST_CHANGES and not note:
        raise ReviewRefused(
            _("Say what needs to change: a request for changes needs a note.")
        )
    with transaction.atomic():
        revision, version = _locked_latest_version(page)
        passages = reviewable_units(version)
        passage = next((p for p in passages if p.block_id == block_id), None)
        if passage is None:
            raise DecisionConflict(
                _(
                    "This passage is not in the latest version of the page; "
                    "reload the page and review the current text."
                ),
                block_id=block_id,
            )
        if passage.fingerprint != fingerprint:
            raise DecisionConflict(
                _(
                    "%(unit)s changed after you were shown it; "
                    "nothing was recorded. Read it again and decide on the "
                    "current text."
                )
                % {"unit": passage.label},
                block_id=block_id,
                current=passage.fingerprint,
            )
        certainty, suggested, certainty_reason = _certainty(
            version, passage, decision, certainty, certainty_reason
        )
        data = ReviewData.load([passage], page.pk)
        if (
            decision in {Decision.APPROVE, Decision.NOT_A_CLAIM}
            and data.author_of(passage) == reviewer.pk
        ):
            raise ReviewRefused(
                _(
                    "You wrote this passage’s current text; another reviewer "
                    "must approve it."
                )
            )
        if decision == Decision.APPROVE and not passage.usable_citations:
            # The gate would refuse the approved unit anyway (a claim, or a
            # context unit approved as one, needs support), and adding a citation
            # changes the fingerprint, voiding the approval: say so now.
            raise ReviewRefused(
                _(
                    "%(unit)s cites no source that supports it, so an approval "
                    "could never let it go live: a claim needs a confirmed citation "
                    "of a paper that supports or mentions it and is not retracted. "
                    "Request changes (ask the writer to cite one; a citation an "
                    "import suggested counts once a reviewer confirms it), or, if "
                    "it states no claim, confirm it is not a claim. Nothing was "
                    "recorded."
                )
                % {"unit": passage.label}
            )
        return _write(
            page,
            revision,
            passage,
            reviewer,
            decision,
            suggested,
            {
                "certainty": certainty,
                "certainty_reason": certainty_reason,
                "note": note,
            },
        )


def _write(page, revision, passage, reviewer, decision, suggested, values):
    """Record the decision (inside the caller's transaction, page row
    locked), or return the identical one just recorded."""
    values = {"decision": decision, **values}
    if (earlier := _double_submission(page.pk, passage, reviewer, values)) is not None:
        earlier.duplicate = True
        return earlier
    record = ReviewDecision.objects.create(
        page_id=page.pk,
        revision=revision,
        block_id=passage.block_id,
        fingerprint=passage.fingerprint,
        excerpt=passage.excerpt[:200],
        suggested_certainty=suggested,
        reviewer=reviewer,
        **values,
    )
    record.duplicate = False
    if decision == Decision.REQUEST_CHANGES:
        notes.open_note(record, page, passage, revision)
    else:
        notes.resolve_notes_on(page, passage.block_id, reviewer, revision)
    log(
        instance=page.specific,
        action=REVIEW_LOG_ACTION,
        user=reviewer,
        revision=revision,
        data={
            "block_id": passage.block_id,
            "position": passage.position,
            "unit": passage.label if passage.is_field else "",
            "excerpt": record.excerpt,
            "decision": decision,
            "certainty": values.get("certainty", ""),
            "note": values.get("note", ""),
        },
    )
    return record


def read_together_statement(units) -> str:
    """What a reviewer affirms in confirming context units together, naming
    them by what they are: "I have read the title, the standfirst and 2
    body passages; none states a claim." The review screen's tick box says
    it, and each decision it records keeps it as its note (shown in the
    page's History and kept in the audit trail)."""
    named, count = units_in_sentence((unit.block_id, unit.is_field) for unit in units)
    return ngettext(
        "I have read %(units)s; it states no claim.",
        "I have read %(units)s; none states a claim.",
        count,
    ) % {"units": named}


def confirm_context(page, reviewer, shown: dict[str, str], note="") -> list:
    """Confirm several context units "not a claim" with one explicit act.

    `shown` maps each unit's id to the fingerprint the reviewer was shown
    (`read_together_statement` says what they affirm; it is each
    decision's note unless `note` is given). All or nothing, in one
    transaction with the page row locked: refused (nothing recorded) when
    any of them changed since (DecisionConflict), is a claim, is one the
    claim detector flags (those are decided one by one), or was written by
    the reviewer. Returns the decisions, one per unit (a double submission
    returns those already recorded).
    """
    from evidence.review.state import is_flagged

    if not is_medical_reviewer(reviewer):
        raise ReviewRefused(
            _("Only medical reviewers can confirm passages as not a claim.")
        )
    if getattr(page, "alias_of_id", None) is not None:
        raise ReviewRefused(
            _("This page is an alias: review the original page; the alias follows it.")
        )
    if not shown:
        raise ReviewRefused(_("Choose the units you read."))
    with transaction.atomic():
        revision, version = _locked_latest_version(page)
        passages = {p.block_id: p for p in reviewable_units(version)}
        chosen = []
        for block_id, fingerprint in shown.items():
            passage = passages.get(block_id)
            if passage is None or passage.fingerprint != (fingerprint or "").strip():
                raise DecisionConflict(
                    _(
                        "%(which)s changed after you were shown it, or "
                        "left the page; nothing was recorded. Read the units "
                        "again and confirm the current text."
                    )
                    % {"which": passage.label if passage else block_id},
                    block_id=block_id,
                    current=passage.fingerprint if passage else "",
                )
            if is_flagged(passage):
                raise ReviewRefused(
                    _(
                        "%(unit)s is a claim, reads like one or hides "
                        "characters from readers; decide it on its own. "
                        "Nothing was recorded."
                    )
                    % {"unit": passage.label}
                )
            chosen.append(passage)
        data = ReviewData.load(chosen, page.pk)
        if mine := [p for p in chosen if data.author_of(p) == reviewer.pk]:
            raise ReviewRefused(
                _(
                    "You wrote %(unit)s; another reviewer must "
                    "confirm it. Nothing was recorded."
                )
                % {"unit": mine[0].label}
            )
        note = (note or "").strip() or read_together_statement(chosen)
        return [
            _write(
                page,
                revision,
                passage,
                reviewer,
                Decision.NOT_A_CLAIM,
                "",
                {"certainty": "", "certainty_reason": "", "note": note},
            )
            for passage in chosen
        ]


def _certainty(version, passage, decision, certainty, certainty_reason):
    """(certainty, suggested certainty, reason) to record, or ReviewRefused."""
    if decision == Decision.APPROVE and not passage.can_cite:
        raise ReviewRefused(
            _(
                "%(unit)s cannot cite sources, so it cannot be approved as a "
                "claim: a claim needs a confirmed supporting citation. If it "
                "states a claim, request changes: ask the writer to move the "
                "claim into the body, where it can be cited, or to reword it. "
                "If it states none, confirm it is not a claim."
            )
            % {"unit": passage.label}
        )
    if decision == Decision.NOT_A_CLAIM and passage.is_claim:
        raise ReviewRefused(
            _(
                "This passage is marked as a claim. Only context passages can "
                "be confirmed as “not a claim”; ask the writer to change its "
                "role if it states no fact."
            )
        )
    if decision != Decision.APPROVE:
        return "", "", ""
    suggested = suggested_certainty(version, passage)
    if certainty and certainty not in Certainty.values:
        raise ReviewRefused(
            _("Unknown certainty “%(certainty)s”.") % {"certainty": certainty}
        )
    certainty = certainty or suggested
    if certainty != suggested and not certainty_reason:
        raise ReviewRefused(
            _("The suggested certainty is %(suggested)s. Say why you chose %(chosen)s.")
            % {
                "suggested": Certainty(suggested).label,
                "chosen": Certainty(certainty).label,
            }
        )
    return certainty, suggested, certainty_reason


def record_authorship(revision) -> int:
    """Remember who first saved each unit text of a gated page's revision
    (its reviewed fields and its passages).

    A unit whose current text was already saved before keeps its first
    author; the rest are credited to the revision's user. One query: the
    units are read from the revision's stored content.
    """
    passages = revision_units(revision, sources={})
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
