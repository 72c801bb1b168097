"""Email to the editorial team as a page moves through the workflow.

- submitted to "Medical review": the task's groups (medical reviewers),
  `review_submitted`;
- medical review approved: the writer (who submitted, and the page's
  owner), `review_approved`;
- waiting at "Editorial sign-off": the task's groups (editors),
  `sign_off_ready`;
- changes requested, at any step: the writer, with the message and every
  open passage note, `changes_requested`;
- signed off, so the workflow finished: the writer, `published`;
- a scheduled publish refused: the revision's author and the owner
  (`manage.py publish_scheduled`).

Templates are in templates/evidence/notifications/ (NAME_subject.txt and
NAME.txt). These replace Wagtail's own workflow emails for submission,
approval and rejection (Wagtail's wording knows nothing of passages or
sign-off, and it mails superusers too); other task types keep Wagtail's
emails. Each email honours the recipient's notification preferences
(Account → Notifications: submitted, approved, rejected), goes only to
active users with an address, never to the person who acted, and is sent
once the transaction commits, so an action the gate refuses mails nobody.
A mail server that cannot be reached is logged in one line, without a
traceback, and the action stands.

Wagtail's "submitted to workflow" email, which goes only to the superusers
and only with `WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS` on, keeps its
wording but picks its recipients by the same rule
(`WorkflowSubmissionNotifier`), after the commit.

The mail settings come from the environment (`EMAIL_URL` or `EMAIL_*`,
nadsite/settings.py; docs/operations.md).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import override
from wagtail.admin import signal_handlers as wagtail_mail_handlers
from wagtail.admin.mail import WorkflowStateSubmissionEmailNotifier, send_mail
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import (
    task_approved,
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)
from wagtail.users.models import UserProfile

from evidence.models import EditorialSignOffTask, MedicalReviewTask
from evidence.review.notes import open_notes

logger = logging.getLogger(__name__)

TEMPLATES = "evidence/notifications/"


def _eligible(users, preference: str, exclude=None) -> list:
    """Active users with an address who accept this kind of notification."""
    seen, found = set(), []
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        if exclude is not None and user.pk == exclude.pk:
            continue
        if not (user.is_active and user.email):
            continue
        if not getattr(UserProfile.get_for_user(user), preference, True):
            continue
        found.append(user)
    return sorted(found, key=lambda u: u.pk)


def send_to_users(users, template: str, context: dict) -> int:
    """Render `template` for each user and send it; returns how many went.

    A connection failure is logged in one line and sends nothing more.
    """
    if not users:
        return 0
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    sent = 0
    try:
        with get_connection() as connection:
            for user in users:
                with override(UserProfile.get_for_user(user).get_preferred_language()):
                    values = {**context, "user": user, "base_url": base_url}
                    subject = " ".join(
                        render_to_string(
                            f"{TEMPLATES}{template}_subject.txt", values
                        ).split()
                    )
                    body = render_to_string(f"{TEMPLATES}{template}.txt", values)
                body = "\n".join(line.rstrip() for line in body.strip().splitlines())
                send_mail(subject, body, [user.email], connection=connection)
                sent += 1
    except Exception as error:  # noqa: BLE001 - mail must never break an action
        logger.error(
            "Could not send the “%s” email (%d of %d sent): %s: %s",
            template,
            sent,
            len(users),
            type(error).__name__,
            error,
        )
    return sent


def _after_commit(function, *args):
    transaction.on_commit(lambda: function(*args))


def _page_of(workflow_state):
    obj = workflow_state.content_object
    return obj.specific if hasattr(obj, "specific") else obj


def _writers(workflow_state) -> list:
    page = _page_of(workflow_state)
    return [workflow_state.requested_by, getattr(page, "owner", None)]


def _group_members(task):
    return get_user_model().objects.filter(groups__in=task.groups.all()).distinct()


def task_was_submitted(sender, instance, user=None, **kwargs):
    """A page reached a step: tell the people who act on it."""
    task = instance.task.specific
    if isinstance(task, MedicalReviewTask):
        template = "review_submitted"
    elif isinstance(task, EditorialSignOffTask):
        template = "sign_off_ready"
    else:
        # Another kind of task: Wagtail's own email, after the commit.
        _after_commit(
            lambda: wagtail_mail_handlers.task_submission_email_notifier(
                sender=sender, instance=instance, user=user
            )
        )
        return
    workflow_state = instance.workflow_state
    recipients = _eligible(_group_members(task), "submitted_notifications", user)
    context = {
        "page": _page_of(workflow_state),
        "task": task,
        "workflow_state": workflow_state,
        "submitter": workflow_state.requested_by,
        "actor": user,
    }
    _after_commit(send_to_users, recipients, template, context)


class WorkflowSubmissionNotifier(WorkflowStateSubmissionEmailNotifier):
    """Wagtail's "submitted to workflow" email (to the superusers, with
    `WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS` on), to the people our
    own emails would reach (`_eligible`): never the person who submitted.
    Wagtail 8 means to leave them out, but drops the filtered queryset."""

    def get_valid_recipients(self, instance, **kwargs):
        users = self.get_recipient_users(instance, **kwargs)
        preference = self.notification + "_notifications"
        return set(_eligible(users, preference, kwargs.get("user")))


workflow_submission_notifier = WorkflowSubmissionNotifier()


def workflow_was_submitted(sender, instance, user=None, **kwargs):
    """A page entered a workflow: Wagtail's email, after the commit."""
    _after_commit(lambda: workflow_submission_notifier(instance=instance, user=user))


def review_was_approved(sender, instance, user=None, **kwargs):
    """The medical review step is approved and the workflow goes on."""
    if not isinstance(instance.task.specific, MedicalReviewTask):
        return
    workflow_state = WorkflowState.objects.get(pk=instance.workflow_state_id)
    if workflow_state.status != WorkflowState.STATUS_IN_PROGRESS:
        return  # the last step: `workflow_was_approved` says it
    recipients = _eligible(_writers(workflow_state), "approved_notifications", user)
    context = {
        "page": _page_of(workflow_state),
        "task_state": instance,
        "reviewer": user,
        "next_task": workflow_state.current_task_state.task.specific
        if workflow_state.current_task_state
        else None,
    }
    _after_commit(send_to_users, recipients, "review_approved", context)


def workflow_was_rejected(sender, instance, user=None, **kwargs):
    """Changes requested: the writer gets the message and the passage notes."""
    task_state = instance.current_task_state.specific
    page = _page_of(instance)
    recipients = _eligible(_writers(instance), "rejected_notifications", user)
    context = {
        "page": page,
        "task": task_state.task.specific,
        "task_state": task_state,
        "comment": task_state.get_comment(),
        "notes": open_notes(page),
        "actor": user,
    }
    _after_commit(send_to_users, recipients, "changes_requested", context)


def workflow_was_approved(sender, instance, user=None, **kwargs):
    """The last step (the sign-off) is approved: the page is published."""
    page = _page_of(instance)
    recipients = _eligible(_writers(instance), "approved_notifications", user)
    page = type(page).objects.get(pk=page.pk)
    context = {
        "page": page,
        "published": page.live and not page.has_unpublished_changes,
        "actor": user,
    }
    _after_commit(send_to_users, recipients, "published", context)


def connect():
    """Put our emails in place of Wagtail's (AppConfig.ready).

    Each receiver is connected under the dispatch uid and sender Wagtail
    uses for its own, so whichever app is ready first, Wagtail's connect is
    a no-op (Django keeps one receiver per uid and sender) or is undone by
    the disconnect here.
    """
    for signal, receiver, sender, uid in (
        (
            task_submitted,
            task_was_submitted,
            TaskState,
            "group_approval_task_submitted_email_notification",
        ),
        (
            workflow_submitted,
            workflow_was_submitted,
            WorkflowState,
            "workflow_state_submitted_email_notification",
        ),
        (
            workflow_rejected,
            workflow_was_rejected,
            WorkflowState,
            "workflow_state_rejected_email_notification",
        ),
        (
            workflow_approved,
            workflow_was_approved,
            WorkflowState,
            "workflow_state_approved_email_notification",
        ),
    ):
        signal.disconnect(sender=sender, dispatch_uid=uid)
        signal.connect(receiver, sender=sender, dispatch_uid=uid)
    task_approved.connect(
        review_was_approved, sender=TaskState, dispatch_uid="evidence_review_approved"
    )
