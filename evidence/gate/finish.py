"""What happens when a page's workflow is approved: it is published.

Wagtail publishes the latest revision when the last task of a workflow is
approved, as the user who approved it. Medical reviewers approve the last
task but have no publish permission of their own (publishing at will is the
editors' job), so their approval is the permission: when the approver may
act on that task, Wagtail's permission check is skipped. The publish gate is
not: the page's `publish()` still refuses a version that may not go live.

Wagtail imports this module (`WAGTAIL_FINISH_WORKFLOW_ACTION`) while the
models are loading, so it imports nothing of the app on import.
"""


def publish_approved_workflow_state(workflow_state, user=None):
    """`WAGTAIL_FINISH_WORKFLOW_ACTION`: publish the approved latest revision."""
    from wagtail.models import TaskState

    obj = workflow_state.content_object
    last_approval = (
        TaskState.objects.filter(
            workflow_state=workflow_state, status=TaskState.STATUS_APPROVED
        )
        .select_related("task")
        .order_by("-finished_at", "-pk")
        .first()
    )
    approver_may_publish = user is None or (
        last_approval is not None
        and last_approval.task.specific.user_can_access_editor(obj, user)
    )
    obj.get_latest_revision().publish(
        user=user, skip_permission_checks=approver_may_publish
    )
