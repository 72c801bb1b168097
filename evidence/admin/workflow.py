"""The workflow's steps as the editorial team takes them in the admin.

The default workflow is "Medical review" (medical reviewers, passage by
passage, `MedicalReviewTask`) then "Editorial sign-off" (editors,
`EditorialSignOffTask`), and only the sign-off publishes. Here:

- `TaskActionView`: the review screen's "Approve the medical review" and
  "Request changes", and the sign-off screen's buttons, acted through the
  task (so every rule of the task and the gate applies) with a message that
  says what happened and what comes next. Wagtail's own workflow action
  view says nothing after an action.
- `SignOffView`: the editor's confirmation before signing off, reached from
  the dashboard: what goes live, who reviewed it, what the gate says.
- `after_edit_page`: the same "what comes next" after the writer submits
  or anyone acts on the workflow from the page editor.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page, TaskState

from evidence.gate import PublishBlocked, publish_problems
from evidence.models import EditorialSignOffTask, MedicalReviewTask
from evidence.roles import reviewer_name


def _title(page) -> str:
    return page.get_admin_display_title()


def _person(user) -> str:
    if user is None:
        return _("the writer")
    return reviewer_name(user)


def next_step_message(page, action: str, user=None) -> str:
    """What just happened to `page` and what comes next, in one message.

    `action` is "submitted", "review_approved", "changes_requested",
    "signed_off" or "resubmitted". The page is read afresh, so its workflow
    state is the one the action left.
    """
    page = Page.objects.get(pk=page.pk).specific
    values = {"title": _title(page)}
    state = page.current_workflow_state
    task = page.current_workflow_task
    if action in {"submitted", "resubmitted"}:
        if isinstance(task, EditorialSignOffTask):
            return (
                _(
                    "“%(title)s” was submitted again and is back with the editors "
                    "for sign-off. They have been emailed."
                )
                % values
            )
        return (
            _(
                "“%(title)s” was submitted for medical review. The medical "
                "reviewers have been emailed; you will get an email when they "
                "approve it or ask for changes."
            )
            % values
        )
    if action == "review_approved":
        if isinstance(task, EditorialSignOffTask):
            return (
                _(
                    "Medical review of “%(title)s” approved. It now waits for an "
                    "editor to sign it off and publish it; the editors have been "
                    "emailed."
                )
                % values
            )
        if page.live and not page.has_unpublished_changes:
            return _("Medical review of “%(title)s” approved; it is live.") % values
        return (
            _(
                "Medical review of “%(title)s” approved. The workflow has no "
                "sign-off step, so an editor publishes it."
            )
            % values
        )
    if action == "changes_requested":
        writer = state.requested_by if state is not None else None
        values["writer"] = _person(writer)
        return (
            _(
                "Changes requested on “%(title)s”: it is back with "
                "%(writer)s, who has been emailed your notes. They appear on the "
                "passages in the editor, and the page comes back to review when "
                "it is submitted again."
            )
            % values
        )
    if action == "signed_off":
        if page.live and not page.has_unpublished_changes:
            return (
                _(
                    "“%(title)s” is signed off and published: readers see it now. "
                    "The writer has been emailed."
                )
                % values
            )
        return (
            _("“%(title)s” is signed off; it goes live at its scheduled time.") % values
        )
    return ""


def finished_action(task, action_name: str) -> str:
    """The `next_step_message` action for a task's approve or reject."""
    if action_name == "reject":
        return "changes_requested"
    if isinstance(task, EditorialSignOffTask):
        return "signed_off"
    return "review_approved"


def act_on_task(request, page, action_name: str, comment: str = ""):
    """Approve or reject the page's current task as `request.user`, with a
    message saying what happened and what comes next. Returns True when the
    action was taken."""
    page = page.specific
    task_state = page.current_workflow_task_state
    task = page.current_workflow_task
    if task_state is None or task is None:
        messages.error(request, _("This page is not in a workflow any more."))
        return False
    allowed = {name for name, *_ in task.get_actions(page, request.user)}
    if action_name not in allowed:
        messages.error(
            request,
            _("You cannot %(action)s “%(title)s” at its current step (%(task)s).")
            % {
                "action": _("approve") if action_name == "approve" else _("reject"),
                "title": _title(page),
                "task": task.name,
            },
        )
        return False
    try:
        task.on_action(task_state.specific, request.user, action_name, comment=comment)
    except PublishBlocked as blocked:
        messages.error(
            request,
            _("“%(title)s” cannot be published yet: %(problems)s")
            % {
                "title": _title(page),
                "problems": " ".join(p.message for p in blocked.problems),
            },
        )
        return False
    except (PermissionDenied, ValidationError) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
        return False
    messages.success(
        request,
        next_step_message(page, finished_action(task, action_name), request.user),
    )
    return True


class TaskActionView(TemplateView):
    """POST: approve or reject the page's current step, then go on."""

    http_method_names = ["post"]

    def post(self, request, page_id, action_name):
        if action_name not in {"approve", "reject"}:
            raise Http404
        page = get_object_or_404(Page, pk=page_id).specific
        done = act_on_task(
            request, page, action_name, request.POST.get("comment", "").strip()
        )
        if done:
            return redirect("wagtailadmin_home")
        back = request.POST.get("back") or reverse("wagtailadmin_home")
        if not back.startswith("/"):
            back = reverse("wagtailadmin_home")
        return redirect(back)


class SignOffView(WagtailAdminTemplateMixin, TemplateView):
    """The editor's confirmation before signing off and publishing."""

    template_name = "evidence/review/sign_off.html"
    header_icon = "tasks"
    page_title = gettext_lazy("Editorial sign-off")

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        self.task = self.page.current_workflow_task
        if not isinstance(self.task, EditorialSignOffTask):
            messages.info(
                request,
                _("“%(title)s” is not waiting for sign-off.")
                % {"title": _title(self.page)},
            )
            return redirect("wagtailadmin_home")
        self.actions = {
            name for name, *_ in self.task.get_actions(self.page, request.user)
        }
        if not self.actions:
            return TemplateResponse(
                request,
                "evidence/review/forbidden.html",
                {
                    "page_title": _("Editorial sign-off"),
                    "reason": _("Only editors sign off and publish pages."),
                },
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return _title(self.page)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": self.get_page_title(), "sublabel": _title(self.page)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revision = self.page.get_latest_revision()
        version = revision.as_object() if revision else self.page
        state = self.page.current_workflow_state
        review = (
            TaskState.objects.filter(
                workflow_state=state,
                status=TaskState.STATUS_APPROVED,
                task__content_type=ContentType.objects.get_for_model(MedicalReviewTask),
            )
            .select_related("finished_by")
            .order_by("-finished_at", "-pk")
            .first()
        )
        context.update(
            page=self.page,
            revision=revision,
            version=version,
            writer=state.requested_by if state else None,
            review=review,
            reviewer=_person(review.finished_by) if review else "",
            problems=publish_problems(version),
            can_sign_off="approve" in self.actions,
            can_reject="reject" in self.actions,
            task_state=self.page.current_workflow_task_state,
            approve_url=reverse(
                "evidence_review:task_action", args=[self.page.pk, "approve"]
            ),
            reject_url=reverse(
                "evidence_review:task_action", args=[self.page.pk, "reject"]
            ),
            preview_url=reverse(
                "wagtailadmin_pages:workflow_preview",
                args=[self.page.pk, self.task.pk],
            ),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
            back_url=self.request.path,
        )
        return context


def after_edit_page(request, page):
    """`after_edit_page` hook: after "Submit" or a workflow action in the
    editor, say what comes next (Wagtail says only what was saved)."""
    if request.method != "POST":
        return None
    post = request.POST
    if post.get("action-submit"):
        if Page.objects.get(pk=page.pk).current_workflow_state is not None:
            messages.info(request, next_step_message(page, "submitted", request.user))
    elif post.get("action-workflow-action"):
        action_name = post.get("workflow-action-name", "")
        if action_name in {"approve", "reject"}:
            last = (
                TaskState.objects.filter(
                    workflow_state__base_content_type=ContentType.objects.get_for_model(
                        Page
                    ),
                    workflow_state__object_id=str(page.pk),
                    finished_at__isnull=False,
                )
                .select_related("task")
                .order_by("-finished_at", "-pk")
                .first()
            )
            if last is not None and last.finished_by_id == request.user.pk:
                messages.info(
                    request,
                    next_step_message(
                        page,
                        finished_action(last.task.specific, action_name),
                        request.user,
                    ),
                )
    return None
