"""The gate's side of the workflow tasks, "Medical review" and
"Editorial sign-off".

The tasks (`evidence.models.MedicalReviewTask`, `EditorialSignOffTask`) ask
here whether their "Approve" may be offered and accepted: only when the
latest revision passes the publish gate, and (for the medical review) never
for the person who saved that revision. Approving the last task, the
sign-off, publishes the page: `evidence.gate.finish`.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from evidence.gate import ensure_publishable, publish_problems
from evidence.passages import reviewable_units
from evidence.review.data import review_states
from evidence.roles import (
    editor_groups_filter,
    is_medical_reviewer,
    reviewer_groups_filter,
)

__all__ = [
    "approval_problems",
    "authored_latest_revision",
    "changes_requested_comment",
    "editor_groups_filter",
    "ensure_approvable",
    "ensure_moderator",
    "ensure_publishable_latest",
    "may_moderate",
    "refuse_non_reviewer_groups",
    "reviewer_groups_filter",
]


def refuse_non_reviewer_groups(group_ids) -> None:
    """Raise ValidationError naming the groups among `group_ids` that do not
    hold the medical reviewer role: a review task may not be given them."""
    refused = (
        Group.objects.filter(pk__in=group_ids)
        .exclude(reviewer_groups_filter())
        .order_by("name")
        .values_list("name", flat=True)
    )
    if names := list(refused):
        raise ValidationError(
            _(
                "Only groups holding the medical reviewer permission can "
                "moderate a Medical review task; %(groups)s do not."
            )
            % {"groups": ", ".join(f"“{name}”" for name in names)}
        )


def may_moderate(user) -> bool:
    """Only medical reviewers approve or reject the review task, whatever
    groups it was given."""
    return is_medical_reviewer(user)


def ensure_moderator(user) -> None:
    if not may_moderate(user):
        raise PermissionDenied(
            _(
                "Only medical reviewers can approve this step or request "
                "changes; ask a medical reviewer."
            )
        )


def latest_version(obj):
    """The latest revision of `obj` and the page as that revision has it."""
    page = obj.specific if hasattr(obj, "specific") else obj
    revision = page.get_latest_revision()
    return revision, (revision.as_object() if revision else page)


def approval_problems(obj) -> list:
    """Why the latest revision of `obj` may not go live yet."""
    return publish_problems(latest_version(obj)[1])


def authored_latest_revision(obj, user) -> bool:
    revision = latest_version(obj)[0]
    return revision is not None and revision.user_id == user.pk


def ensure_approvable(obj, user) -> None:
    """Raise unless `user` may approve the task for the latest revision."""
    if authored_latest_revision(obj, user):
        raise PermissionDenied(
            _(
                "You saved the latest revision of this page, so another "
                "medical reviewer has to approve it."
            )
        )
    ensure_publishable(latest_version(obj)[1])


def ensure_publishable_latest(obj) -> None:
    """Raise PublishBlocked unless the latest revision of `obj` may go live."""
    ensure_publishable(latest_version(obj)[1])


def changes_requested_comment(obj, comment: str = "") -> str:
    """The reviewer's comment followed by every passage note that asks for a
    change, so the writer gets them all in one place."""
    version = latest_version(obj)[1]
    states = review_states(version)
    notes = []
    for passage in reviewable_units(version):
        state = states.get(passage.block_id)
        if state and state.status == "changes_requested" and state.decision:
            notes.append(
                _("%(unit)s (“%(excerpt)s”): %(note)s")
                % {
                    "unit": passage.label,
                    "excerpt": passage.excerpt,
                    "note": state.decision.note,
                }
            )
    return "\n".join(part for part in [comment.strip(), *notes] if part)
