"""A medical reviewer's public profile page, which article bylines link to.

It shows how the reviewer is credited, their specialty and their
conflict-of-interest statement with the date it was declared, and the live
public pages whose current version they reviewed. Only medical reviewers
have a page; anyone else's address is a 404.
"""

from django.contrib.auth import get_user_model
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from wagtail.models import Page

from evidence.models import PublishSnapshot, ReviewerProfile
from evidence.roles import is_medical_reviewer, reviewer_name

MAX_PAGES_LISTED = 100


def reviewed_pages(user) -> list[Page]:
    """Live public pages whose live version credits `user` in its byline,
    most recently reviewed first."""
    live = Page.objects.live().public().exclude(live_revision__isnull=True)
    snapshots = (
        PublishSnapshot.objects.filter(revision_id__in=live.values("live_revision_id"))
        .order_by("-last_reviewed_at")
        .values_list("page_id", "reviewer_ids")
    )
    # The reviewer ids are a JSON list: filtered here, the same on SQLite
    # and PostgreSQL (a site has hundreds of live articles, not millions).
    ids = [page_id for page_id, reviewers in snapshots if user.pk in reviewers]
    ids = ids[:MAX_PAGES_LISTED]
    pages = Page.objects.filter(pk__in=ids).specific().in_bulk()
    return [pages[pk] for pk in ids if pk in pages]


@require_safe
def reviewer_profile(request, user_id: int):
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not is_medical_reviewer(user):
        raise Http404("No such medical reviewer.")
    profile = ReviewerProfile.objects.filter(user=user).first()
    return TemplateResponse(
        request,
        "evidence/reviewer_profile.html",
        {
            "reviewer_name": reviewer_name(user),
            "profile": profile,
            "reviewed_pages": reviewed_pages(user),
        },
    )
