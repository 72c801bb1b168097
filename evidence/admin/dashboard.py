"""The evidence panel on the Wagtail dashboard.

Four lists for the editorial team: pages waiting in the Medical review task
with how many passages still need a decision, articles whose latest revision
the publish gate would refuse, live articles whose review decisions changed
since they went live (readers see the decisions recorded in the live
version's publish snapshot until the page is published again), and live
articles that cite a source that has since been retracted (they stay live
until someone republishes them).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, Subquery
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState

from evidence.gate import publish_problems
from evidence.gate.publish import changed_units
from evidence.library.retractions import live_pages_citing_retracted_sources
from evidence.models import MedicalReviewTask, PublishSnapshot, ReviewDecision
from evidence.page import gated_page_models
from evidence.review.data import review_states
from evidence.roles import is_medical_reviewer

LIST_LIMIT = 20


@dataclass(frozen=True)
class AwaitingReview:
    page: Page
    task_state: TaskState
    to_review: int  # passages still needing a decision
    passages: int  # passages that need a reviewer at all


@dataclass(frozen=True)
class Blocked:
    page: Page
    problems: list

    @property
    def headline(self):
        """The problem to show first: one about the evidence or a decision
        given, before the units nobody has read yet."""
        return next(
            (p for p in self.problems if p.rule != "undecided_unit"),
            self.problems[0],
        )


@dataclass(frozen=True)
class DecidedSinceLive:
    page: Page
    units: list[str]  # ids of the units whose review outcome changed
    decided_at: object  # the newest decision on the page


def claims_awaiting_review(limit: int = LIST_LIMIT) -> list[AwaitingReview]:
    """Pages in a Medical review task, oldest submission first."""
    task_type = ContentType.objects.get_for_model(MedicalReviewTask)
    states = list(
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS, task__content_type=task_type
        )
        .select_related("workflow_state")
        .order_by("started_at")[:limit]
    )
    page_ids = [int(state.workflow_state.object_id) for state in states]
    pages = (
        Page.objects.filter(pk__in=page_ids)
        .select_related("latest_revision")
        .specific()
        .in_bulk()
    )
    awaiting = []
    for state in states:
        page = pages.get(int(state.workflow_state.object_id))
        if page is None:
            continue
        version = page.get_latest_revision_as_object()
        wanted = [s for s in review_states(version).values() if s.needs_review]
        to_review = sum(not s.is_settled for s in wanted)
        awaiting.append(AwaitingReview(page, state, to_review, len(wanted)))
    return awaiting


def pages_blocked_by_gate(limit: int = LIST_LIMIT) -> list[Blocked]:
    """Gated pages with unpublished changes that the gate would refuse.

    Only the `limit` most recently edited drafts are checked, so the panel
    stays fast on a large site.
    """
    drafts = (
        Page.objects.type(*gated_page_models())
        .filter(has_unpublished_changes=True)
        .select_related("latest_revision")
        .order_by("-latest_revision_created_at", "-pk")[:limit]
    )
    blocked = []
    for page in drafts:
        problems = publish_problems(page.get_latest_revision_as_object())
        if problems:
            blocked.append(Blocked(page, problems))
    return blocked


def live_pages_decided_since_publish(
    limit: int = LIST_LIMIT,
) -> list[DecidedSinceLive]:
    """Live gated pages whose review decisions changed since they went live.

    Readers see the outcome the gate recorded in the live version's publish
    snapshot; a decision given since (an approval with another certainty, a
    request for changes, a second reviewer) shows once the page is
    published again. Only the `limit` pages decided on most recently since
    their snapshot are checked, and a page is listed only when a unit's
    outcome (status, certainty or credited reviewers) really differs.
    """
    newest = (
        ReviewDecision.objects.filter(page=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    recorded = PublishSnapshot.objects.filter(
        page=OuterRef("pk"), revision=OuterRef("live_revision")
    ).values("recorded_at")[:1]
    candidates = (
        Page.objects.live()
        .type(*gated_page_models())
        .annotate(decided_at=Subquery(newest), recorded_at=Subquery(recorded))
        .filter(decided_at__gt=F("recorded_at"))
        .order_by("-decided_at", "-pk")[:limit]
    )
    pages = candidates.specific()
    snapshots = PublishSnapshot.objects.live_for_pages(pages)
    found = []
    for page in pages:
        if units := changed_units(page, snapshots.get(page.pk)):
            found.append(DecidedSinceLive(page, units, page.decided_at))
    return found


class EvidenceDashboardPanel(Component):
    """Claims awaiting review, blocked articles, live articles whose
    decisions changed since they went live, live articles at risk."""

    name = "evidence_review"
    template_name = "evidence/dashboard/panel.html"
    order = 50

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {
            "awaiting": claims_awaiting_review(),
            "blocked": pages_blocked_by_gate(),
            "decided_since_live": live_pages_decided_since_publish(),
            "retracted": live_pages_citing_retracted_sources(),
            "is_reviewer": is_medical_reviewer(request.user),
            "request": request,
        }
