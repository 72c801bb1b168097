"""Dashboard panels for each role of the editorial team.

- Editors: "Ready to sign off": pages whose medical review is approved and
  that wait in the "Editorial sign-off" step, oldest first, each with a link
  to the sign-off screen.
- Writers: "Changes requested on your articles": pages they submitted (or
  own) that a reviewer or editor sent back, with the message and how many
  passage notes are still open in the editor.
- Medical reviewers: "Waiting for your medical review": pages in the
  "Medical review" step, oldest submission first, with the passages still
  to decide.

Each panel shows only to the people it concerns (`is_shown`) and lists at
most `LIST_LIMIT` pages, in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState

from evidence.admin.dashboard import claims_awaiting_review
from evidence.models import EditorialSignOffTask, MedicalReviewTask
from evidence.review.notes import open_notes_by_page
from evidence.roles import is_medical_reviewer

LIST_LIMIT = 20


@dataclass(frozen=True)
class ReadyToSignOff:
    page: Page
    task_state: TaskState
    review: TaskState | None  # the approved medical review


@dataclass(frozen=True)
class ChangesRequested:
    page: Page
    task_state: TaskState  # the rejected step, with its comment
    open_notes: int


def _task_states(model, status, **filters):
    return TaskState.objects.filter(
        status=status,
        task__content_type=ContentType.objects.get_for_model(model),
        **filters,
    )


def _pages(states) -> dict[int, Page]:
    ids = {int(state.workflow_state.object_id) for state in states}
    return Page.objects.filter(pk__in=ids).specific().in_bulk()


def may_sign_off(user) -> bool:
    """Members of the groups of any active sign-off task, and superusers."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return EditorialSignOffTask.objects.filter(
        active=True, groups__in=user.groups.all()
    ).exists()


def ready_to_sign_off(limit: int = LIST_LIMIT) -> list[ReadyToSignOff]:
    """Pages waiting in the sign-off step, the longest waiting first."""
    states = list(
        _task_states(EditorialSignOffTask, TaskState.STATUS_IN_PROGRESS)
        .select_related("workflow_state", "workflow_state__requested_by")
        .order_by("started_at", "pk")[:limit]
    )
    pages = _pages(states)
    reviews = {}
    for review in (
        _task_states(
            MedicalReviewTask,
            TaskState.STATUS_APPROVED,
            workflow_state__in=[s.workflow_state_id for s in states],
        )
        .select_related("finished_by")
        .order_by("finished_at", "pk")
    ):
        reviews[review.workflow_state_id] = review  # the latest wins
    return [
        ReadyToSignOff(page, state, reviews.get(state.workflow_state_id))
        for state in states
        if (page := pages.get(int(state.workflow_state.object_id))) is not None
    ]


def changes_requested_for(user, limit: int = LIST_LIMIT) -> list[ChangesRequested]:
    """Pages `user` submitted or owns that were sent back, newest first."""
    page_type = ContentType.objects.get_for_model(Page)
    owned = (
        Page.objects.filter(owner=user)
        .annotate(text_pk=Cast("pk", CharField()))
        .values("text_pk")
    )
    workflows = list(
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_NEEDS_CHANGES,
            base_content_type=page_type,
        )
        .filter(Q(requested_by=user) | Q(object_id__in=owned))
        .select_related("current_task_state", "current_task_state__finished_by")
        .order_by("-current_task_state__finished_at", "-pk")[:limit]
    )
    pages = (
        Page.objects.filter(pk__in=[int(w.object_id) for w in workflows])
        .specific()
        .in_bulk()
    )
    notes = open_notes_by_page(pages.keys())
    return [
        ChangesRequested(page, workflow.current_task_state, notes.get(page.pk, 0))
        for workflow in workflows
        if (page := pages.get(int(workflow.object_id))) is not None
        and workflow.current_task_state is not None
    ]


def has_submitted(user) -> bool:
    return WorkflowState.objects.filter(requested_by=user).exists() or (
        Page.objects.filter(owner=user).exists()
    )


class ReadyToSignOffPanel(Component):
    name = "editorial_sign_off"
    template_name = "evidence/dashboard/sign_off_panel.html"
    order = 30

    def __init__(self, request):
        self.request = request

    def is_shown(self) -> bool:
        return may_sign_off(self.request.user)

    def get_context_data(self, parent_context):
        return {"items": ready_to_sign_off(), "request": self.request}


class ChangesRequestedPanel(Component):
    name = "editorial_changes_requested"
    template_name = "evidence/dashboard/changes_requested_panel.html"
    order = 31

    def __init__(self, request):
        self.request = request

    def is_shown(self) -> bool:
        return has_submitted(self.request.user)

    def get_context_data(self, parent_context):
        return {
            "items": changes_requested_for(self.request.user),
            "request": self.request,
        }


class WaitingForReviewPanel(Component):
    name = "editorial_waiting_for_review"
    template_name = "evidence/dashboard/waiting_for_review_panel.html"
    order = 32

    def __init__(self, request):
        self.request = request

    def is_shown(self) -> bool:
        return is_medical_reviewer(self.request.user)

    def get_context_data(self, parent_context):
        return {"items": claims_awaiting_review(), "request": self.request}


def add_team_panels(request, panels):
    """`construct_homepage_panels`: the panels of the user's roles."""
    for panel in (
        ReadyToSignOffPanel(request),
        ChangesRequestedPanel(request),
        WaitingForReviewPanel(request),
    ):
        if panel.is_shown():
            panels.append(panel)
