"""The gate's adapter for Wagtail's bulk publish action."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from evidence.gate import publish_problems


def refuse_bulk_publish_of_blocked_pages(request, action_type, objects, action_view):
    """`before_bulk_action`: name every page that cannot go live, and
    publish none of them."""
    if action_type != "publish":
        return None
    pages = list(objects)
    form = getattr(action_view, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in list(pages):
            pages.extend(page.get_descendants().not_live().specific())
    refused = []
    for page in pages:
        page = page.specific
        problems = publish_problems(page.get_latest_revision_as_object())
        if problems:
            refused.append((page, problems))
    if not refused:
        return None
    for page, problems in refused:
        messages.error(
            request,
            _("“%(title)s” cannot be published: %(problems)s")
            % {
                "title": page.get_admin_display_title(),
                "problems": " ".join(p.message for p in problems),
            },
        )
    return redirect(action_view.next_url)
