"""How the evidence app's entries read in Wagtail's page and snippet history."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.log_actions import LogFormatter

from evidence.gate import PUBLISH_REFUSED_LOG_ACTION
from evidence.library.safeguards import EVIDENCE_CHANGE_LOG_ACTION
from evidence.passages import in_sentence
from evidence.review.decisions import REVIEW_LOG_ACTION
from evidence.vocab import Certainty, Decision


def register_review_log_actions(actions):
    """Medical review decisions and publishes the gate refused."""

    @actions.register_action(REVIEW_LOG_ACTION)
    class ReviewDecisionFormatter(LogFormatter):
        label = _("Medical review decision")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            decision = data.get("decision", "")
            words = {
                Decision.APPROVE: _("Approved"),
                Decision.REQUEST_CHANGES: _("Asked for changes to"),
                Decision.NOT_A_CLAIM: _("Confirmed “not a claim”:"),
            }.get(decision, decision)
            if data.get("unit"):  # a reviewed field: "the title"
                message = _("%(decision)s %(unit)s (“%(excerpt)s”)") % {
                    "decision": words,
                    "unit": in_sentence(data["unit"]),
                    "excerpt": data.get("excerpt", ""),
                }
            else:
                message = _("%(decision)s passage %(position)s (“%(excerpt)s”)") % {
                    "decision": words,
                    "position": data.get("position", "?"),
                    "excerpt": data.get("excerpt", ""),
                }
            if data.get("certainty"):
                message += " · " + _("certainty: %(certainty)s") % {
                    "certainty": Certainty(data["certainty"]).label
                }
            return message

        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("note", "")

    @actions.register_action(PUBLISH_REFUSED_LOG_ACTION)
    class PublishRefusedFormatter(LogFormatter):
        label = _("Publish refused by the evidence gate")

        def format_message(self, log_entry):
            problems = (log_entry.data or {}).get("problems", [])
            return ngettext(
                "Scheduled publish refused: %(count)d problem",
                "Scheduled publish refused: %(count)d problems",
                len(problems),
            ) % {"count": len(problems)}

        def format_comment(self, log_entry):
            problems = (log_entry.data or {}).get("problems", [])
            return " ".join(p.get("message", "") for p in problems)


def register_library_log_actions(actions):
    """Grade confirmations, merges and weakened evidence in the library."""

    @actions.register_action(EVIDENCE_CHANGE_LOG_ACTION)
    class EvidenceChangeFormatter(LogFormatter):
        label = _("Evidence weakened by a medical reviewer")

        def format_message(self, log_entry):
            changes = (log_entry.data or {}).get("changes", [])
            return "; ".join(
                _("%(field)s: %(before)s → %(after)s")
                % {
                    "field": change.get("field", ""),
                    "before": change.get("before") or "—",
                    "after": change.get("after") or "—",
                }
                for change in changes
            )

        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("note", "")

    actions.register_action(
        "evidence.confirm_grade", _("Confirm grade"), _("Grade confirmed")
    )
    actions.register_action(
        "evidence.merge_sources", _("Merge sources"), _("Duplicate source merged in")
    )
    actions.register_action(
        "evidence.citations_moved",
        _("Move citations"),
        _("Citations moved to the source kept after a merge"),
    )
