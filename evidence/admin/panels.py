"""The "Evidence check" panel in the article editor.

While a writer drafts, the panel lists, passage by passage, the sentences the
claim detector reads as claims, the passages marked "context" that read like
claims (a medical reviewer will have to confirm them), the claims in a unit
that cannot cite sources (the title, the standfirst, a heading: they cannot
be approved there, so the writer moves them into the body or rewords them),
the claims with no usable source, and the calibration warnings where the
wording is stronger than the sources cited. It shows the last saved draft,
so problems show up before review rather than at publish; it changes
nothing and blocks nothing.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from evidence.passages import analyse_passages, reviewable_units
from evidence.review.notes import open_notes


class EvidenceCheckPanel(Panel):
    """Detected claims and calibration warnings for the draft being edited."""

    def __init__(self, heading="", **kwargs):
        kwargs.setdefault("icon", "warning")
        super().__init__(heading=heading or _("Evidence check"), **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "evidence/panels/evidence_check.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            saved = bool(self.instance and self.instance.pk)
            analyses = (
                analyse_passages(self.instance, reviewable_units(self.instance))
                if saved
                else []
            )
            flagged = [
                analysis
                for analysis in analyses
                if analysis.has_claim
                or analysis.warnings
                or analysis.uncited_claim
                or analysis.passage.suspicious
            ]
            context.update(
                saved=saved,
                analyses=analyses,
                flagged=flagged,
                claim_count=sum(len(a.claims) for a in analyses),
                claim_passage_count=sum(1 for a in analyses if a.has_claim),
                context_claim_count=sum(1 for a in analyses if a.claim_in_context),
                uncitable_claim_count=sum(
                    1 for a in analyses if a.claim_cannot_be_cited
                ),
                uncited_count=sum(1 for a in analyses if a.uncited_claim),
                warning_count=sum(len(a.warnings) for a in analyses),
            )
            return context


class ReviewNotesPanel(Panel):
    """At the top of the editor: the reviewer's or editor's message from the
    last "Request changes", and the passage notes still open (each is also a
    comment beside its passage: `evidence.review.notes`). Shows nothing
    when there is neither."""

    def __init__(self, heading="", **kwargs):
        kwargs.setdefault("icon", "comment")
        super().__init__(heading=heading or _("Review notes"), **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "evidence/panels/review_notes.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.request_changes = None
            self.notes = []
            page = self.instance
            if page is not None and page.pk:
                self.request_changes = changes_requested_state(page)
                self.notes = open_notes(page)

        def is_shown(self):
            return super().is_shown() and bool(self.request_changes or self.notes)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            positions = {}
            if self.notes and self.instance is not None:
                positions = {
                    passage.block_id: passage
                    for passage in reviewable_units(self.instance)
                }
            context.update(
                task_state=self.request_changes,
                notes=[
                    {"note": note, "passage": positions.get(note.block_id)}
                    for note in self.notes
                ],
            )
            return context


def changes_requested_state(page):
    """The rejected step of the page's workflow, while it waits for changes."""
    from wagtail.models import WorkflowState

    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    return task_state.specific if task_state is not None else None
