"""Publishing through the gate: the check and the publish in one transaction.

`gated_publish` is what a page's `publish()` runs, `publish_latest` what the
API and commands call, and `guard_live_save` the `pre_save` backstop for
every path that saves a gated page as live without either.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils.translation import gettext as _

from evidence.gate import PublishBlocked, ensure_publishable
from evidence.gate.rules import GateResult, evaluate
from evidence.review.state import Status


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
            raise PublishBlocked.for_page(
                page, [], _("This page has no saved version to publish yet.")
            )
        revision = locked.latest_revision
        revision.publish(user=user)
    return revision


_LIVE_FIELDS = frozenset({"live", "live_revision"})


def guard_live_save(instance, update_fields=None) -> None:
    """Backstop for every path that saves a gated page as live.

    Runs before a gated page is saved. When the save makes content live
    (a new live page, a page going live, a new live revision or a changed
    passages), the content must pass the gate, and the byline is set from
    the approvals. Saving an unchanged live page (a move, a lock) is left
    alone, so pages that went live before a source was retracted can still
    be moved; `audit_live_articles` lists those.
    """
    if not instance.live:
        return
    passages = instance.passages_field
    if update_fields is not None and not {*_LIVE_FIELDS, passages} & set(update_fields):
        return
    old = None
    if instance.pk is not None:
        old = (
            type(instance)
            ._default_manager.filter(pk=instance.pk)
            .only(*_LIVE_FIELDS, passages)
            .first()
        )
    if (
        old is not None
        and old.live
        and old.live_revision_id == instance.live_revision_id
        and getattr(old, passages).get_prep_value()
        == getattr(instance, passages).get_prep_value()
    ):
        return
    if instance.pk is not None and connection.in_atomic_block:
        lock_page_row(instance.pk)
    result = evaluate(instance)
    if result.problems:
        raise PublishBlocked.for_page(instance, result.problems)
    if update_fields is None:
        apply_byline(instance, result)
