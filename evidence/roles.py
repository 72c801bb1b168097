"""Who is a medical reviewer, and how a reviewer is named and credited.

The medical reviewer role is one Django permission, `evidence.review_passages`
(`REVIEW_PERMISSION`), checked with `has_perm`: whoever holds it, through a
group or on their own account, reviews; nobody else does, whatever a group
is called. The migrations give it to the "Medical reviewers" group.
Superusers hold every permission.
"""

from django.contrib.auth.models import AnonymousUser, Permission
from django.db.models import Exists, OuterRef, Q

from evidence.models import ReviewerProfile

MEDICAL_REVIEWERS = "Medical reviewers"  # the group the migrations create
REVIEW_APP_LABEL = "evidence"
REVIEW_CODENAME = "review_passages"
REVIEW_PERMISSION = f"{REVIEW_APP_LABEL}.{REVIEW_CODENAME}"


def is_medical_reviewer(user) -> bool:
    """Holders of the medical reviewer permission (and active superusers)
    may record decisions and moderate the Medical review task."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(REVIEW_PERMISSION)


def review_permissions():
    """The medical reviewer permission, as a queryset (for filters)."""
    return Permission.objects.filter(
        content_type__app_label=REVIEW_APP_LABEL, codename=REVIEW_CODENAME
    )


def reviewer_groups_filter() -> Q:
    """Which groups hold the medical reviewer role (a filter on Group)."""
    return Q(
        Exists(review_permissions().filter(group=OuterRef("pk"))),
    )


def holds_review_permission(user_ref: str = "pk") -> Q:
    """A filter that is true when the user at `user_ref` (an OuterRef path
    on the filtered model) holds the medical reviewer role: active, and a
    superuser or holding the permission through a group or directly."""
    prefix = "" if user_ref == "pk" else user_ref.removesuffix("_id") + "__"
    return Q(**{f"{prefix}is_active": True}) & (
        Q(**{f"{prefix}is_superuser": True})
        | Exists(review_permissions().filter(group__user=OuterRef(user_ref)))
        | Exists(review_permissions().filter(user=OuterRef(user_ref)))
    )


def editor_groups_filter() -> Q:
    """Which groups sign off and publish pages (a filter on Group): those
    given Wagtail's publish permission on some part of the page tree."""
    from wagtail.models import GroupPagePermission

    return Q(
        pk__in=GroupPagePermission.objects.filter(
            permission__codename="publish_page"
        ).values("group")
    )


def _profile(user) -> ReviewerProfile | None:
    if user is None or isinstance(user, AnonymousUser):
        return None
    try:
        return user.reviewer_profile
    except ReviewerProfile.DoesNotExist:
        return None


def reviewer_name(user) -> str:
    """The reviewer's display name, else their full name, else username."""
    profile = _profile(user)
    if profile is not None and profile.display_name:
        return profile.display_name
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def reviewer_credentials(user) -> str:
    """The credentials on the reviewer's profile ("MD, PhD"), or ""."""
    profile = _profile(user)
    return profile.credentials if profile is not None else ""


def reviewer_credit(user) -> str:
    """The reviewer's name with their credentials: "Jane Doe, MD, PhD"."""
    name, credentials = reviewer_name(user), reviewer_credentials(user)
    return f"{name}, {credentials}" if credentials else name


def reviewer_byline(user) -> str:
    """How a medical reviewer is credited: "Jane Doe, MD, PhD (cardiology)".

    The name and credentials come from the reviewer's profile; without a
    profile, the account's full name is used. The conflict-of-interest
    statement is separate: see `reviewer_disclosure()`.
    """
    profile = _profile(user)
    byline = reviewer_credit(user)
    return (
        f"{byline} ({profile.specialty})" if profile and profile.specialty else byline
    )


def reviewer_disclosure(user) -> str:
    """The reviewer's conflict-of-interest statement, or "" without one."""
    profile = _profile(user)
    return profile.conflict_of_interest if profile is not None else ""
