"""The medical review screen: every claim of a page, its evidence, a decision.

The screen reads the page as its latest revision has it. Each decision is
recorded through `evidence.review.decisions.record_decision()`, which refuses
what a reviewer may not do (self-approval, a missing note...); this view
only collects the decision and shows the outcome. Nothing here decides
whether a page may go live; that is the publish gate's job.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from evidence.admin.library import can_confirm_grades
from evidence.admin.living import review_context
from evidence.admin.workflow import SignOffView, TaskActionView
from evidence.analysis.calibration import CalibrationWarning
from evidence.analysis.certainty import CertaintySuggestion, suggest_certainty
from evidence.analysis.evaluation import page_subject
from evidence.gate.rules import evaluate
from evidence.models import MedicalReviewTask, ReviewDecision
from evidence.page import is_gated
from evidence.passages import Passage, analyse_passages
from evidence.review.data import review_states
from evidence.review.decisions import (
    DecisionConflict,
    ReviewRefused,
    record_decision,
)
from evidence.review.state import PassageReview
from evidence.roles import is_medical_reviewer, reviewer_byline, reviewer_disclosure
from evidence.vocab import CERTAINTY_WORDS, Certainty, Decision


@dataclass
class ReviewRow:
    """One passage on the review screen, with what the reviewer needs."""

    passage: Passage
    state: PassageReview
    suggestion: CertaintySuggestion
    warnings: tuple[CalibrationWarning, ...]
    form: object = None  # the decision form the review screen shows

    @property
    def suggested_name(self) -> str:
        return CERTAINTY_WORDS.get(self.suggestion.level, self.suggestion.level)

    @property
    def block_id(self) -> str:
        return self.passage.block_id

    @property
    def status(self) -> str:
        return self.state.status

    @property
    def is_context(self) -> bool:
        return not self.passage.is_claim

    @property
    def is_approved(self) -> bool:
        return self.state.is_settled

    @property
    def is_changed(self) -> bool:
        return self.status == "changed_since_approval"

    @property
    def decision(self):
        return self.state.decision


def review_rows(version, states: dict) -> list[ReviewRow]:
    """The passages a medical reviewer must look at, in page order.

    Every claim needs a reviewer; so does a passage marked as context in
    which the claim detector finds a claim (the reviewer confirms it is not
    one, or asks the writer to cite it). `version` is the page as its latest
    revision has it; `states` is `evidence.review.data.review_states(version)`.
    """
    rows = []
    for analysis in analyse_passages(version):
        passage = analysis.passage
        state = states.get(passage.block_id)
        if state is None or not state.needs_review:
            continue
        rows.append(
            ReviewRow(
                passage=passage,
                state=state,
                suggestion=analysis.suggestion
                or suggest_certainty([], page_subject(version), passage.text),
                warnings=analysis.warnings,
            )
        )
    return rows


class MedicalReviewMenuItem(PageMenuItem):
    """A link from a page (its header menu or listing) to its review screen."""

    label = gettext_lazy("Medical review")
    icon_name = "tasks"
    url_name = "evidence_review:page"

    def is_shown(self, user):
        return is_gated(self.page) and is_medical_reviewer(user)


class PassageDecisionForm(forms.Form):
    """A reviewer's decision on one passage.

    Approving records a certainty; it defaults to the suggested one, and a
    reviewer who picks another says why. Requesting changes needs a note
    for the writer.
    """

    block_id = forms.CharField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=Decision.choices)
    certainty = forms.ChoiceField(
        label=gettext_lazy("Certainty of the evidence"),
        choices=Certainty.choices,
        required=False,
    )
    certainty_reason = forms.CharField(
        label=gettext_lazy("Why a different certainty"),
        help_text=gettext_lazy("Required when you change the suggested certainty."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the writer"),
        help_text=gettext_lazy("Required when you request changes."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, suggested="", **kwargs):
        self.suggested = suggested
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["certainty"].initial = suggested

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == Decision.APPROVE:
            certainty = data.get("certainty")
            if not certainty:
                self.add_error(
                    "certainty", _("Choose the certainty of the evidence to approve.")
                )
            elif certainty != self.suggested and not data.get("certainty_reason"):
                self.add_error(
                    "certainty_reason",
                    _("You changed the suggested certainty (%(suggested)s): say why.")
                    % {
                        "suggested": CERTAINTY_WORDS.get(self.suggested, self.suggested)
                    },
                )
        elif decision == Decision.REQUEST_CHANGES and not data.get("note"):
            self.add_error("note", _("Write a note telling the writer what to change."))
        if decision != Decision.APPROVE:
            data["certainty"] = ""
            data["certainty_reason"] = ""
        return data


class ReviewView(WagtailAdminTemplateMixin, TemplateView):
    """The review screen of one page, for medical reviewers."""

    template_name = "evidence/review/review.html"
    header_icon = "tasks"
    page_title = gettext_lazy("Medical review")

    def dispatch(self, request, *args, **kwargs):
        if not is_medical_reviewer(request.user):
            # A 403 with the reason, rather than Wagtail's redirect home.
            return TemplateResponse(
                request,
                "evidence/review/forbidden.html",
                {"page_title": _("Medical review")},
                status=403,
            )
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        self.revision = self.page.get_latest_revision()
        if self.revision is None or not is_gated(self.page):
            raise Http404(_("This page has no passages to review."))
        self.version = self.revision.as_object()
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.version.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": self.get_page_title(), "sublabel": self.version.title},
        ]

    def url(self, anchor=""):
        url = reverse("evidence_review:page", args=[self.page.pk])
        return f"{url}#{anchor}" if anchor else url

    def get_rows(self, states=None):
        return review_rows(self.version, states or review_states(self.version))

    def post(self, request, *args, **kwargs):
        rows = {row.block_id: row for row in self.get_rows()}
        row = rows.get(request.POST.get("block_id", ""))
        if row is None:
            messages.error(
                request,
                _("That passage is no longer on the page, or needs no review."),
            )
            return redirect(self.url())
        form = PassageDecisionForm(
            request.POST,
            suggested=row.suggestion.level,
            auto_id=f"id_{row.block_id}_%s",
        )
        if not form.is_valid():
            messages.error(
                request,
                _("Passage %(position)s: the decision was not recorded.")
                % {"position": row.passage.position},
            )
            return self.render_to_response(
                self.get_context_data(bound_form=(row.block_id, form))
            )
        data = form.cleaned_data
        try:
            decision = record_decision(
                self.page,
                row.block_id,
                request.user,
                data["decision"],
                note=data["note"],
                certainty=data["certainty"],
                certainty_reason=data["certainty_reason"],
                fingerprint=data["fingerprint"],
            )
        except DecisionConflict:
            messages.error(
                request,
                _(
                    "Passage %(position)s changed while you were reviewing it, "
                    "so your decision was not recorded. Read it again below, "
                    "then decide."
                )
                % {"position": row.passage.position},
            )
            return redirect(self.url(f"passage-{row.block_id}"))
        except ReviewRefused as error:
            for message in error.messages:
                messages.error(
                    request,
                    _("Passage %(position)s: %(message)s")
                    % {"position": row.passage.position, "message": message},
                )
            return redirect(self.url(f"passage-{row.block_id}"))
        if decision.duplicate:
            messages.info(
                request,
                _("Passage %(position)s: that decision was already recorded.")
                % {"position": row.passage.position},
            )
            return redirect(self.url(f"passage-{row.block_id}"))
        messages.success(request, self.success_message(row, data))
        return redirect(self.url(f"passage-{row.block_id}"))

    @staticmethod
    def success_message(row, data) -> str:
        values = {"position": row.passage.position}
        if data["decision"] == Decision.APPROVE:
            values["certainty"] = CERTAINTY_WORDS.get(
                data["certainty"], data["certainty"]
            )
            return _("Passage %(position)s approved: certainty %(certainty)s.") % (
                values
            )
        if data["decision"] == Decision.REQUEST_CHANGES:
            return (
                _(
                    "Passage %(position)s: changes requested. Your note is on the "
                    "passage in the writer's editor. When you have decided on every "
                    "passage, use “Request changes: return to the writer” below."
                )
                % values
            )
        return _("Passage %(position)s confirmed as not a claim.") % values

    def workflow_context(self) -> dict:
        """The page's place in the Medical review task, and what this user
        may do there."""
        task_state = self.page.current_workflow_task_state
        task = self.page.current_workflow_task
        if task_state is None or not isinstance(task, MedicalReviewTask):
            return {"task_state": None}
        actions = {name for name, *_ in task.get_actions(self.page, self.request.user)}
        return {
            "task_state": task_state,
            "task": task,
            "can_approve_task": "approve" in actions,
            "can_reject_task": "reject" in actions,
            "authored_latest": task.authored_latest_revision(
                self.page, self.request.user
            ),
            "approve_url": reverse(
                "evidence_review:task_action", args=[self.page.pk, "approve"]
            ),
            "reject_url": reverse(
                "evidence_review:task_action", args=[self.page.pk, "reject"]
            ),
        }

    def get_context_data(self, bound_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_confirm_grades"] = can_confirm_grades(self.request.user)
        verdict = evaluate(self.version)
        rows = self.get_rows(verdict.states)
        for row in rows:
            if bound_form and bound_form[0] == row.block_id:
                form = bound_form[1]
            else:
                form = PassageDecisionForm(
                    suggested=row.suggestion.level,
                    auto_id=f"id_{row.block_id}_%s",
                    initial={
                        "block_id": row.block_id,
                        "fingerprint": row.passage.fingerprint,
                    },
                )
            row.form = form
        history = (
            ReviewDecision.objects.filter(page=self.page)
            .select_related("reviewer", "reviewer__reviewer_profile")
            .order_by("-created_at", "-pk")[:50]
        )
        context.update(
            page=self.page,
            version=self.version,
            revision=self.revision,
            rows=rows,
            problems=verdict.problems,
            pending=sum(not row.is_approved for row in rows),
            history=[
                {
                    "decision": decision,
                    "byline": reviewer_byline(decision.reviewer),
                    "disclosure": reviewer_disclosure(decision.reviewer),
                }
                for decision in history
            ],
            review_url=self.url(),
            living=review_context(self.page, self.version, rows),
            **self.workflow_context(),
        )
        return context


app_name = "evidence_review"

urlpatterns = [
    path("review/<int:page_id>/", ReviewView.as_view(), name="page"),
    path(
        "review/<int:page_id>/task/<str:action_name>/",
        TaskActionView.as_view(),
        name="task_action",
    ),
    path("sign-off/<int:page_id>/", SignOffView.as_view(), name="sign_off"),
]
