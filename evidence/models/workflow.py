"""The "Medical review" workflow task."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask


class MedicalReviewTask(AbstractGroupApprovalTask):
    """The "Medical review" workflow step: claims approved passage by passage.

    A medical reviewer approves each claim on the review screen. The task's
    own "Approve" only appears once the publish gate has nothing left to
    object to in the latest revision, and never for the person who saved
    that revision: nobody signs off their own text. Approving the last task
    of the workflow publishes the page, through the gate. "Request changes"
    sends the page back to the writer with the reviewer's passage notes.

    What the gate says about the task lives with the gate
    (`evidence.gate.workflow`); `_gate()` is the one place the models reach
    above the vocabularies.
    """

    class Meta:
        verbose_name = _("Medical review")
        verbose_name_plural = _("Medical reviews")

    @staticmethod
    def _gate():
        from evidence.gate import workflow

        return workflow

    def approval_problems(self, obj) -> list:
        """Why the latest revision of `obj` may not go live yet (the gate's
        problems); an empty list means the task may be approved."""
        return self._gate().approval_problems(obj)

    def authored_latest_revision(self, obj, user) -> bool:
        return self._gate().authored_latest_revision(obj, user)

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if any(name == "approve" for name, *_ in actions) and (
            self.authored_latest_revision(obj, user) or self.approval_problems(obj)
        ):
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        obj = task_state.workflow_state.content_object
        if action_name == "approve":
            self._gate().ensure_approvable(obj, user)
        elif action_name == "reject":
            kwargs["comment"] = self.changes_requested_comment(
                obj, kwargs.get("comment", "")
            )
        return super().on_action(task_state, user, action_name, **kwargs)

    def changes_requested_comment(self, obj, comment: str = "") -> str:
        """The reviewer's comment followed by every passage note that asks
        for a change, so the writer gets them all in one place."""
        return self._gate().changes_requested_comment(obj, comment)

    @classmethod
    def get_description(cls):
        return _(
            "Medical reviewers approve each claim with its certainty, or request "
            "changes. The task can be approved only when every claim passes the "
            "publish gate, and not by the person who saved the latest revision."
        )
