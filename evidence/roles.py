"""Who is a medical reviewer, and how a reviewer is named and credited."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from evidence.models import ReviewerProfile

MEDICAL_REVIEWERS = "Medical reviewers"


def is_medical_reviewer(user) -> bool:
    """Members of "Medical reviewers" and superusers may record decisions."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=MEDICAL_REVIEWERS).exists()


def reviewer_groups_filter() -> Q:
    """Which groups hold the medical reviewer role (a filter on Group)."""
    return Q(name=MEDICAL_REVIEWERS)


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


def reviewer_byline(user) -> str:
    """How a medical reviewer is credited: "Jane Doe, MD, PhD (cardiology)".

    The name and credentials come from the reviewer's profile; without a
    profile, the account's full name is used. The conflict-of-interest
    statement is separate: see `reviewer_disclosure()`.
    """
    profile = _profile(user)
    name = reviewer_name(user)
    if profile is None:
        return name
    byline = f"{name}, {profile.credentials}" if profile.credentials else name
    return f"{byline} ({profile.specialty})" if profile.specialty else byline


def reviewer_disclosure(user) -> str:
    """The reviewer's conflict-of-interest statement, or "" without one."""
    profile = _profile(user)
    return profile.conflict_of_interest if profile is not None else ""
