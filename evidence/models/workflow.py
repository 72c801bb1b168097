"""The two steps of the default workflow: "Medical review", then
"Editorial sign-off"."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState


def medical_reviewer_groups():
    """The groups the task may be given: those holding the medical reviewer
    role (`evidence.roles`)."""
    return MedicalReviewTask._gate().reviewer_groups_filter()


class MedicalReviewTask(AbstractGroupApprovalTask):
    """The "Medical review" workflow step: claims approved passage by passage.

    A medical reviewer approves each claim on the review screen. The task's
    own "Approve" only appears once the publish gate has nothing left to
    object to in the latest revision, and never for the person who saved
    that revision: nobody signs off their own text. Approving it passes the
    page to the next step, "Editorial sign-off" (`EditorialSignOffTask`),
    which publishes it. "Request changes" sends the page back to the writer
    with the reviewer's passage notes.

    Only medical reviewers moderate it, whatever groups an editor gives
    it: the groups offered are those holding the medical reviewer role, and
    a member of any other group the task was given (from code, or before a
    group lost the role) gets no actions, no editor access and no task
    states to moderate.

    What the gate says about the task lives with the gate
    (`evidence.gate.workflow`); `_gate()` is the one place the models reach
    above the vocabularies.
    """

    groups = models.ManyToManyField(
        Group,
        verbose_name=_("groups"),
        limit_choices_to=medical_reviewer_groups,
        help_text=_(
            "Pages at this step are approved by these groups. Only groups "
            "whose members are medical reviewers can be chosen."
        ),
    )

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

    def _reviews(self, user) -> bool:
        return self._gate().may_moderate(user)

    def user_can_access_editor(self, obj, user):
        return self._reviews(user) and super().user_can_access_editor(obj, user)

    def locked_for_user(self, obj, user):
        return not self._reviews(user) or super().locked_for_user(obj, user)

    def user_can_lock(self, obj, user):
        return self._reviews(user) and super().user_can_lock(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not self._reviews(user):
            return TaskState.objects.none()
        return super().get_task_states_user_can_moderate(user, **kwargs)

    def get_actions(self, obj, user):
        if not self._reviews(user):
            return []
        actions = super().get_actions(obj, user)
        if any(name == "approve" for name, *_ in actions) and (
            self.authored_latest_revision(obj, user) or self.approval_problems(obj)
        ):
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        obj = task_state.workflow_state.content_object
        if action_name in {"approve", "reject"}:
            self._gate().ensure_moderator(user)
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


def sign_off_groups():
    """The groups the sign-off task may be given: those whose members
    publish (editors)."""
    return EditorialSignOffTask._gate().editor_groups_filter()


class EditorialSignOffTask(AbstractGroupApprovalTask):
    """The "Editorial sign-off" workflow step: an editor publishes.

    It follows "Medical review". Its "Approve" ("Sign off and publish")
    only appears when the publish gate has nothing to object to in the
    latest revision; approving it finishes the workflow, which publishes
    the page through the gate (`evidence.gate.finish`). "Request changes"
    returns the page to the writer with the editor's comment.
    """

    groups = models.ManyToManyField(
        Group,
        verbose_name=_("groups"),
        limit_choices_to=sign_off_groups,
        help_text=_(
            "Pages at this step are signed off and published by these groups. "
            "Only groups whose members may publish can be chosen."
        ),
    )

    class Meta:
        verbose_name = _("Editorial sign-off")
        verbose_name_plural = _("Editorial sign-offs")

    @staticmethod
    def _gate():
        from evidence.gate import workflow

        return workflow

    def approval_problems(self, obj) -> list:
        return self._gate().approval_problems(obj)

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        problems = None
        named = []
        for name, label, modal in actions:
            if name == "approve":
                if problems is None:
                    problems = self.approval_problems(obj)
                if problems:
                    continue
                label = (
                    _("Sign off and publish with comment")
                    if modal
                    else _("Sign off and publish")
                )
            named.append((name, label, modal))
        return named

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            self._gate().ensure_publishable_latest(
                task_state.workflow_state.content_object
            )
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _(
            "Editors sign off a medically reviewed page, which publishes it "
            "through the publish gate, or request changes."
        )
