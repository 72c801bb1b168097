"""The "Evidence check" panel in the article editor.

While a writer drafts, the panel lists, passage by passage, the sentences the
claim detector reads as claims, the passages marked "context" that read like
claims (a medical reviewer will have to confirm them), the claims with no
usable source, and the calibration warnings where the wording is stronger
than the sources cited. It shows the last saved draft, so problems show up
before review rather than at publish; it changes nothing and blocks nothing.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from evidence.passages import analyse_passages


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
            analyses = analyse_passages(self.instance) if saved else []
            flagged = [
                analysis
                for analysis in analyses
                if analysis.has_claim or analysis.warnings or analysis.uncited_claim
            ]
            context.update(
                saved=saved,
                analyses=analyses,
                flagged=flagged,
                claim_count=sum(len(a.claims) for a in analyses),
                claim_passage_count=sum(1 for a in analyses if a.has_claim),
                context_claim_count=sum(1 for a in analyses if a.claim_in_context),
                uncited_count=sum(1 for a in analyses if a.uncited_claim),
                warning_count=sum(len(a.warnings) for a in analyses),
            )
            return context
