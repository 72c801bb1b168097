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

import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from evidence.models import PassageAuthorship, ReviewDecision
from evidence.passages import Passage, read_passages, read_stream
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
    """Remember who first saved each passage text of a gated page's revision.

    A passage whose current text was already saved before keeps its first
    author; the rest are credited to the revision's user. One query: the
    passages are read from the revision's stored content.
    """
    model = ContentType.objects.get_for_id(revision.content_type_id).model_class()
    field = getattr(model, "passages_field", "")
    if not field:
        return 0
    stream = (revision.content or {}).get(field) or []
    if isinstance(stream, str):
        stream = json.loads(stream)
    stream_block = model._meta.get_field(field).stream_block
    passages = read_stream(stream_block, stream, sources={})
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
