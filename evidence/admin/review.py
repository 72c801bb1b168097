"""The medical review screen: every reviewable unit of a page, its evidence,
a decision.

The screen reads the page as its latest revision has it and shows every
reviewable unit in page order (the title and the standfirst first, then
every block of the body), with the claim detector's highlights, the
characters a unit hides from readers, and, for a unit changed since its
approval, a word-level diff against the approved text. Each decision is
recorded through `evidence.review.decisions.record_decision()`, which
refuses what a reviewer may not do (self-approval, a missing note...);
context units the detector does not flag may be confirmed together
(`confirm_context_units`) once the reviewer says they read them all. This
view only collects decisions and shows the outcome. Nothing here decides
whether a page may go live; that is the publish gate's job.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from evidence.admin.library import can_confirm_grades
from evidence.admin.living import review_context
from evidence.admin.workflow import SignOffView, TaskActionView
from evidence.analysis.calibration import CalibrationWarning
from evidence.analysis.certainty import CertaintySuggestion, suggest_certainty
from evidence.analysis.claims import SentenceVerdict
from evidence.analysis.evaluation import page_subject
from evidence.gate.rules import evaluate
from evidence.models import MedicalReviewTask, ReviewDecision
from evidence.page import is_gated
from evidence.passages import (
    Passage,
    analyse_passages,
    reviewable_units,
    reviewed_field_names,
    units_in_sentence,
)
from evidence.review.data import review_states
from evidence.review.decisions import (
    DecisionConflict,
    ReviewRefused,
    confirm_context,
    read_together_statement,
    record_decision,
)
from evidence.review.state import PassageReview, Status
from evidence.roles import is_medical_reviewer, reviewer_byline, reviewer_disclosure
from evidence.vocab import CERTAINTY_WORDS, Certainty, Decision


@dataclass
class ReviewRow:
    """One passage on the review screen, with what the reviewer needs."""

    passage: Passage
    state: PassageReview
    suggestion: CertaintySuggestion
    warnings: tuple[CalibrationWarning, ...]
    sentences: tuple[SentenceVerdict, ...] = ()
    form: object = None  # the decision form the review screen shows
    diff: list = field(default_factory=list)  # (op, words) against the approved text

    @property
    def label(self) -> str:
        return self.passage.label

    @property
    def flagged(self) -> bool:
        """Must be decided on its own: a claim, a unit in which the detector
        finds a claim, or one hiding characters from readers."""
        return (
            self.passage.is_claim
            or self.passage.suspicious
            or any(s.is_claim for s in self.sentences)
        )

    @property
    def reads_like_claim(self) -> bool:
        return self.is_context and any(s.is_claim for s in self.sentences)

    @property
    def uncitable_claim(self) -> bool:
        """Reads like a claim but cannot cite sources (the title, the
        standfirst, an SEO field, a heading): it cannot be approved as a
        claim, only confirmed as none or sent back to the writer."""
        return self.reads_like_claim and not self.passage.can_cite

    @property
    def unsupported_claim(self) -> bool:
        """A claim that cites no usable supporting source: it cannot be
        approved (`record_decision` refuses it; the gate could never publish
        it), only sent back to the writer to cite one."""
        return (
            not self.is_context
            and self.passage.can_cite
            and not self.passage.usable_citations
        )

    @property
    def confirmable_together(self) -> bool:
        """An undecided context unit the detector does not flag."""
        return self.is_context and not self.flagged and not self.state.is_settled

    @property
    def highlighted(self) -> list[tuple[str, bool, str]]:
        """The unit's text as (text, is claim, why) pieces: the sentences
        the detector reads as claims are highlighted with their cues."""
        text = self.passage.text
        pieces = []
        at = 0
        for sentence in self.sentences:
            if sentence.start > at:
                pieces.append((text[at : sentence.start], False, ""))
            why = ", ".join(f"“{cue.text}” ({cue.kind})" for cue in sentence.cues)
            pieces.append((text[sentence.start : sentence.end], sentence.is_claim, why))
            at = max(at, sentence.end)
        if at < len(text):
            pieces.append((text[at:], False, ""))
        return pieces

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


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """A word-level diff: ("same" | "removed" | "added", words) pieces."""
    old, new = before.split(), after.split()
    pieces = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("added", " ".join(new[j1:j2])))
    return pieces


def approved_text(page_id: int, decision) -> str | None:
    """The text of the unit as it read in the revision a decision was
    given on, or None when that revision is gone."""
    revision_id = getattr(decision, "revision_id", None)
    if revision_id is None:
        return None
    from wagtail.models import Revision

    revision = Revision.objects.filter(pk=revision_id).first()
    if revision is None:
        return None
    units = reviewable_units(revision.as_object(), sources={})
    unit = next((u for u in units if u.block_id == decision.block_id), None)
    return unit.text if unit is not None else None


def review_rows(version, states: dict) -> list[ReviewRow]:
    """Every reviewable unit of the version, in page order, with what a
    medical reviewer needs to decide it.

    Every unit needs a decision: the title, the standfirst and the other
    reviewed fields first, then every block of the body. `version` is the
    page as its latest revision has it; `states` is
    `evidence.review.data.review_states(version)`.
    """
    rows = []
    for analysis in analyse_passages(version, reviewable_units(version)):
        passage = analysis.passage
        state = states.get(passage.block_id)
        if state is None:
            continue
        row = ReviewRow(
            passage=passage,
            state=state,
            suggestion=analysis.suggestion
            or suggest_certainty([], page_subject(version), passage.text),
            warnings=analysis.warnings,
            sentences=analysis.sentences,
        )
        if state.status == Status.CHANGED_SINCE_APPROVAL and state.decision:
            before = approved_text(version.pk, state.decision)
            if before is not None and before != passage.text:
                row.diff = word_diff(before, passage.text)
        rows.append(row)
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

    def confirm_together(self, request):
        """ "I have read the title and 2 body passages; none states a claim."
        (`read_together_statement`)."""
        shown = {
            unit_id: request.POST.get(f"fingerprint-{unit_id}", "")
            for unit_id in request.POST.getlist("unit")
        }
        if not request.POST.get("read_all"):
            messages.error(
                request,
                _(
                    "Nothing was confirmed: tick the box saying you have read "
                    "every unit listed, or decide each unit on its own."
                ),
            )
            return redirect(self.url("confirm-context"))
        try:
            records = confirm_context(self.page, request.user, shown)
        except ReviewRefused as error:
            for message in error.messages:
                messages.error(request, message)
            messages.error(request, _("No unit was confirmed."))
            return redirect(self.url("confirm-context"))
        fields = set(reviewed_field_names(self.page))
        units, count = units_in_sentence(
            (record.block_id, record.block_id in fields) for record in records
        )
        messages.success(
            request,
            ngettext(
                "%(units)s confirmed as not a claim.",
                "%(units)s confirmed as not claims.",
                count,
            )
            % {"units": capfirst(units)},
        )
        return redirect(self.url())

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "confirm_context":
            return self.confirm_together(request)
        rows = {row.block_id: row for row in self.get_rows()}
        row = rows.get(request.POST.get("block_id", ""))
        if row is None:
            messages.error(
                request,
                _(
                    "That passage is no longer on the page; read the page as "
                    "it is now below."
                ),
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
                _("%(unit)s: the decision was not recorded.") % {"unit": row.label},
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
                    "%(unit)s changed while you were reviewing it, "
                    "so your decision was not recorded. Read it again below, "
                    "then decide."
                )
                % {"unit": row.label},
            )
            return redirect(self.url(f"passage-{row.block_id}"))
        except ReviewRefused as error:
            for message in error.messages:
                messages.error(
                    request,
                    _("%(unit)s: %(message)s")
                    % {"unit": row.label, "message": message},
                )
            return redirect(self.url(f"passage-{row.block_id}"))
        if decision.duplicate:
            messages.info(
                request,
                _("%(unit)s: that decision was already recorded.")
                % {"unit": row.label},
            )
            return redirect(self.url(f"passage-{row.block_id}"))
        messages.success(request, self.success_message(row, data))
        return redirect(self.url(f"passage-{row.block_id}"))

    @staticmethod
    def success_message(row, data) -> str:
        values = {"unit": row.label}
        if data["decision"] == Decision.APPROVE:
            values["certainty"] = CERTAINTY_WORDS.get(
                data["certainty"], data["certainty"]
            )
            return _("%(unit)s approved: certainty %(certainty)s.") % values
        if data["decision"] == Decision.REQUEST_CHANGES:
            return (
                _(
                    "%(unit)s: changes requested. Your note is on the "
                    "passage in the writer's editor. When you have decided on every "
                    "passage, use “Request changes: return to the writer” below."
                )
                % values
            )
        return _("%(unit)s confirmed as not a claim.") % values

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
        together = [row for row in rows if row.confirmable_together]
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
            together=together,
            together_statement=read_together_statement(row.passage for row in together)
            if together
            else "",
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
