"""THE publish gate: whether a version of an article may go live.

A version may go live only when every passage that states a claim

1. cites at least one source that supports or mentions it and has not been
   retracted;
2. has a current approval by a medical reviewer, given for exactly its
   present text and citations (any later edit voids the approval);
3. was approved by someone other than the person who wrote its text;

and every context passage in which the claim detector finds a claim has been
confirmed "not a claim" by a medical reviewer. Superusers are gated too.

One function decides (`publish_problems`); every way of publishing asks it
through a thin adapter: the editor form, `ArticlePage.publish()`, a
`pre_save` guard on ArticlePage, the bulk action hook, the workflow task and
the scheduled publisher.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from evidence.passages import Passage, read_passages
from evidence.reviews import PassageReview, ReviewData, Status, passage_review

PUBLISH_REFUSED_LOG_ACTION = "evidence.publish_refused"

RULES = (
    "uncited_claim",
    "retracted_source",
    "unapproved_claim",
    "approval_voided",
    "self_approval",
    "unconfirmed_context",
)


@dataclass(frozen=True)
class Problem:
    """One reason a version cannot go live, naming the passage and the rule."""

    block_id: str
    position: int
    rule: str
    excerpt: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


class PublishBlocked(ValidationError):
    """This version of the page may not go live yet.

    Keyed by the body field, so Wagtail's admin API answers 400 with the
    messages; `problems` keeps the structured list.
    """

    def __init__(self, problems, message=None):
        self.problems = list(problems)
        messages = [p.message for p in self.problems]
        super().__init__({"body": [message] if message else messages})


@dataclass(frozen=True)
class GateResult:
    problems: list[Problem]
    states: dict[str, PassageReview]


def _label(passage: Passage) -> str:
    return _("Passage %(position)s (“%(excerpt)s”)") % {
        "position": passage.position,
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
    if passage.usable_citations:
        return None
    label = _label(passage)
    retracted = [
        c
        for c in passage.citations
        if c.supports and c.source is not None and c.source.is_retracted
    ]
    if retracted:
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
        else:
            message = _(
                "%(passage)s is marked as context but reads like a claim. A "
                "medical reviewer must confirm it is not a claim, or mark it "
                "as a claim and cite a source."
            ) % {"passage": label}
            if review.status == Status.CHANGES_REQUESTED:
                message += " " + _("The reviewer asked: “%(note)s”") % {
                    "note": review.decision.note
                }
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


def evaluate(page, passages: list[Passage] | None = None) -> GateResult:
    """The gate's full verdict on a version: its problems and review states.

    Three queries whatever the length: the cited sources, the decisions and
    the authorship of the passages (two when `passages`, already read with
    `read_passages`, are given). The claim detector runs only on context
    passages.
    """
    if passages is None:
        passages = read_passages(page)
    data = ReviewData.load(passages)
    problems = []
    states = {}
    for passage in passages:
        review = passage_review(passage, data)
        states[passage.block_id] = review
        if passage.is_claim and (problem := _citation_problem(passage)):
            problems.append(problem)
        if problem := _review_problem(passage, review):
            problems.append(problem)
    return GateResult(problems, states)


def publish_problems(page) -> list[Problem]:
    """Every reason this version cannot go live; an empty list means it can.

    `page` is the version going live, e.g. `revision.as_object()`.
    """
    return evaluate(page).problems


def ensure_publishable(page) -> None:
    """Raise PublishBlocked, listing every problem, unless `page` may go live."""
    if problems := publish_problems(page):
        raise PublishBlocked(problems)


def byline(result: GateResult) -> tuple[list, object]:
    """The reviewers whose approvals count, and when they last approved.

    Taken from the decisions themselves, never from the publish date.
    """
    reviewers = {}
    latest = None
    for review in result.states.values():
        if review.status != Status.APPROVED:
            continue
        for user in review.reviewers:
            reviewers.setdefault(user.pk, user)
        decided = review.decision.created_at
        latest = decided if latest is None or decided > latest else latest
    return list(reviewers.values()), latest


def apply_byline(page, result: GateResult) -> None:
    """Credit the approving reviewers on the version about to be saved live."""
    reviewers, latest = byline(result)
    page.reviewed_by = reviewers
    page.last_reviewed_at = latest


def lock_page_row(page_pk):
    """Lock the page's row until the transaction ends; return the locked row."""
    from wagtail.models import Page

    return Page.objects.select_for_update().get(pk=page_pk)


def gated_publish(page, revision, publish):
    """Run `publish()` for `revision` only if that version may go live.

    The check and the publish run in one transaction with the page row
    locked, so nothing can change the page between the two.
    """
    with transaction.atomic():
        if page.pk is not None:
            lock_page_row(page.pk)
        ensure_publishable(revision.as_object())
        return publish()


def publish_latest(page, user):
    """Publish the page's latest revision as `user`, through the gate.

    Raises PermissionDenied when the user may not publish the page and
    PublishBlocked, listing every problem, when the version may not go live.
    Returns the published revision.
    """
    if user is None or not page.permissions_for_user(user).can_publish():
        raise PermissionDenied(_("You do not have permission to publish this page."))
    with transaction.atomic():
        locked = lock_page_row(page.pk)
        if locked.latest_revision_id is None:
            raise PublishBlocked(
                [], _("This page has no saved version to publish yet.")
            )
        revision = locked.latest_revision
        revision.publish(user=user)
    return revision


_LIVE_FIELDS = frozenset({"body", "live", "live_revision"})


def guard_live_save(instance, update_fields=None) -> None:
    """Backstop for every path that saves an article as live.

    Runs before an ArticlePage is saved. When the save makes content live
    (a new live page, a page going live, a new live revision or a changed
    live body), the content must pass the gate, and the byline is set from
    the approvals. Saving an unchanged live page (a move, a lock) is left
    alone, so pages that went live before a source was retracted can still
    be moved; `audit_live_articles` lists those.
    """
    if not instance.live:
        return
    if update_fields is not None and not _LIVE_FIELDS & set(update_fields):
        return
    old = None
    if instance.pk is not None:
        old = (
            type(instance)
            ._default_manager.filter(pk=instance.pk)
            .only("live", "live_revision", "body")
            .first()
        )
    if (
        old is not None
        and old.live
        and old.live_revision_id == instance.live_revision_id
        and old.body.get_prep_value() == instance.body.get_prep_value()
    ):
        return
    if instance.pk is not None and connection.in_atomic_block:
        lock_page_row(instance.pk)
    result = evaluate(instance)
    if result.problems:
        raise PublishBlocked(result.problems)
    if update_fields is None:
        apply_byline(instance, result)
