"""Admin registration for the evidence app."""

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from evidence import views_ingest
from evidence.dashboard import EvidenceDashboardPanel
from evidence.models import Certainty, Decision, ReviewerProfile, Source
from evidence.publishing import PUBLISH_REFUSED_LOG_ACTION, publish_problems
from evidence.reviews import REVIEW_LOG_ACTION, is_medical_reviewer
from evidence.reviews_display import has_passages


class SourceFilterSet(WagtailFilterSet):
    grade_awaiting = django_filters.BooleanFilter(
        field_name="grade_confirmed_at",
        lookup_expr="isnull",
        label=_("Grade awaiting a reviewer"),
        help_text=_("Yes: grades suggested on import or set by a non-reviewer."),
    )

    class Meta:
        model = Source
        fields = ["study_design", "population", "grade", "route", "retraction_status"]


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "doc-full"
    menu_label = _("Sources")
    menu_order = 200
    add_to_admin_menu = True
    list_display = [
        "title",
        "first_author",
        "year",
        "study_design",
        "grade",
        "retraction_status",
    ]
    list_export = [
        "title",
        "authors",
        "journal",
        "year",
        "doi",
        "pmid",
        "study_design",
        "population",
        "sample_size",
        "grade",
        "retraction_status",
    ]
    filterset_class = SourceFilterSet
    search_fields = ["title", "authors", "journal", "intervention"]
    ordering = ["-year", "title"]
    copy_view_enabled = False
    # The source library's buttons (add by DOI/PMID, import, confirm grade,
    # merge) and grade confirmation on save: evidence/views_ingest.py.
    index_view_class = views_ingest.SourceIndexView
    create_view_class = views_ingest.SourceCreateView
    edit_view_class = views_ingest.SourceEditView


register_snippet(SourceViewSet)


# The publish gate's admin adapters: history entries and bulk publish.


@hooks.register("register_log_actions")
def register_gate_log_actions(actions):
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


@hooks.register("before_bulk_action")
def refuse_bulk_publish_of_blocked_pages(request, action_type, objects, action_view):
    """Bulk publish: name every page that cannot go live, and publish none."""
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


# Medical review: the review screen, its entry points, reviewer profiles and
# the dashboard panel.


class ReviewerProfileViewSet(SnippetViewSet):
    model = ReviewerProfile
    icon = "user"
    menu_label = _("Reviewer profiles")
    list_display = ["display_name", "credentials", "specialty", "user"]
    search_fields = ["display_name", "specialty"]
    ordering = ["display_name"]
    copy_view_enabled = False


register_snippet(ReviewerProfileViewSet)


@hooks.register("register_admin_urls")
def register_review_urls():
    return [path("evidence/", include("evidence.urls"))]


class MedicalReviewMenuItem(PageMenuItem):
    """A link from a page (its header menu or listing) to its review screen."""

    label = _("Medical review")
    icon_name = "tasks"
    url_name = "evidence_review:page"

    def is_shown(self, user):
        return has_passages(self.page) and is_medical_reviewer(user)


@hooks.register("register_page_header_buttons")
def review_header_button(page, user, view_name, next_url=None):
    yield MedicalReviewMenuItem(page=page, priority=12)


@hooks.register("register_page_listing_more_buttons")
def review_listing_button(page, user, next_url=None):
    yield MedicalReviewMenuItem(page=page, priority=3)


@hooks.register("construct_homepage_panels")
def add_evidence_panel(request, panels):
    panels.append(EvidenceDashboardPanel())


# The source library: log entries for grade confirmations and merges.


@hooks.register("register_log_actions")
def register_library_log_actions(actions):
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


@hooks.register("register_admin_urls")
def register_library_urls():
    return [
        path(
            "source-library/",
            include((views_ingest.urlpatterns, "evidence_library")),
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def library_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Source):
        return views_ingest.source_buttons(snippet, user)
    return []
