"""What happens when a page's workflow is approved: it is published, when
an editor signed it off.

Wagtail publishes the latest revision when the last task of a workflow is
approved, as the user who approved it. In the default workflow that last
task is "Editorial sign-off" (`evidence.models.EditorialSignOffTask`): the
editor's approval is the permission to publish, so Wagtail's permission
check is skipped. The publish gate is not: the page's `publish()` still
refuses a version that may not go live.

Only the sign-off publishes. A workflow whose last approval was another
step (a workflow built without a sign-off step, say) publishes only when
the approver may publish anyway; otherwise the page stays a draft, approved,
for an editor to publish.

Wagtail imports this module (`WAGTAIL_FINISH_WORKFLOW_ACTION`) while the
models are loading, so it imports nothing of the app on import.
"""


def publish_approved_workflow_state(workflow_state, user=None):
    """`WAGTAIL_FINISH_WORKFLOW_ACTION`: publish the approved latest revision."""
    from wagtail.models import TaskState

    from evidence.models import EditorialSignOffTask

    obj = workflow_state.content_object
    last_approval = (
        TaskState.objects.filter(
            workflow_state=workflow_state, status=TaskState.STATUS_APPROVED
        )
        .select_related("task")
        .order_by("-finished_at", "-pk")
        .first()
    )
    task = last_approval.task.specific if last_approval is not None else None
    signed_off = isinstance(task, EditorialSignOffTask) and (
        user is None or task.user_can_access_editor(obj, user)
    )
    if (
        not signed_off
        and user is not None
        and not obj.permissions_for_user(user).can_publish()
    ):
        return
    obj.get_latest_revision().publish(
        user=user, skip_permission_checks=signed_off or user is None
    )
