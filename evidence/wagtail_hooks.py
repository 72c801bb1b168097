"""Admin registration for the evidence app: the hooks, and nothing else.

What they register lives in `evidence.admin` (screens, snippets, dashboard,
history) and `evidence.gate` (the bulk publish adapter).
"""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from evidence.admin import (
    audit,
    history,
    library,
    living,
    profiles,
    review,
    schedule_report,
    snippets,
    team,
    workflow,
)
from evidence.admin.dashboard import EvidenceDashboardPanel
from evidence.admin.editor import gated_page_viewsets
from evidence.audit.notes import note_from_request
from evidence.gate.bulk import refuse_bulk_publish_of_blocked_pages
from evidence.living import schedule
from evidence.models import Source
from evidence.review.copies import copy_tree_reviews

register_snippet(snippets.SourceViewSet)
register_snippet(snippets.ReviewerProfileViewSet)

hooks.register("register_log_actions", history.register_review_log_actions)
hooks.register("register_log_actions", history.register_library_log_actions)
hooks.register("register_log_actions", audit.register_log_actions)
hooks.register("before_bulk_action", refuse_bulk_publish_of_blocked_pages)


@hooks.register("register_admin_urls")
def register_review_urls():
    return [path("evidence/", include((review.urlpatterns, review.app_name)))]


@hooks.register("register_admin_urls")
def register_reviewer_profile_urls():
    return [
        path(
            "my-reviewer-profile/",
            include((profiles.urlpatterns, profiles.app_name)),
        )
    ]


@hooks.register("register_admin_menu_item")
def reviewer_profile_menu_item():
    return profiles.menu_item()


@hooks.register("register_page_header_buttons")
def review_header_button(page, user, view_name, next_url=None):
    yield review.MedicalReviewMenuItem(page=page, priority=12)
    yield audit.AuditExportMenuItem(page=page, priority=40)


@hooks.register("after_edit_page")
@hooks.register("before_publish_page")
def keep_change_note(request, page):
    """The kind and note the editor gave for the version just saved."""
    note_from_request(request, page)


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("evidence/", include((audit.urlpatterns, audit.app_name)))]


@hooks.register("register_page_listing_more_buttons")
def review_listing_button(page, user, next_url=None):
    yield review.MedicalReviewMenuItem(page=page, priority=3)


@hooks.register("construct_homepage_panels")
def add_evidence_panel(request, panels):
    panels.append(EvidenceDashboardPanel())


hooks.register("construct_homepage_panels", team.add_team_panels)


@hooks.register("insert_editor_js")
def rich_text_labels():
    """Name each rich text editor by its field's label (accessibility)."""
    return format_html(
        '<script src="{}"></script>', static("evidence/js/rich-text-labels.js")
    )


@hooks.register("insert_editor_js")
def tab_error_count():
    """Each tab counts the errors StreamField draws in the browser too."""
    return format_html(
        '<script src="{}"></script>', static("evidence/js/tab-error-count.js")
    )


hooks.register("after_edit_page", workflow.after_edit_page)


@hooks.register("register_admin_viewset")
def register_gated_editors():
    from evidence.page import gated_page_models

    return gated_page_viewsets(gated_page_models())


@hooks.register("register_admin_urls")
def register_library_urls():
    return [
        path(
            "source-library/",
            include((library.urlpatterns, "evidence_library")),
        )
    ]


@hooks.register("before_delete_snippet")
def refuse_deleting_cited_sources(request, instances):
    return library.refuse_deleting_cited_sources(request, instances)


@hooks.register("register_snippet_listing_buttons")
def library_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Source):
        return library.source_buttons(snippet, user)
    return []


# Living evidence: schedules, saved searches, re-review flags.


@hooks.register("register_admin_urls")
def register_living_urls():
    return [
        path(
            "evidence/living/",
            include((living.urlpatterns, living.app_name)),
        ),
        path(
            "reports/medical-review-schedule/",
            schedule_report.ReviewScheduleReportView.as_view(),
            name="evidence_living_report",
        ),
        path(
            "reports/medical-review-schedule/results/",
            schedule_report.ReviewScheduleReportView.as_view(results_only=True),
            name="evidence_living_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_schedule_report():
    return schedule_report.ScheduleReportMenuItem(
        _("Medical review schedule"),
        reverse("evidence_living_report"),
        name="medical-review-schedule",
        icon_name="date",
        order=1050,
    )


@hooks.register("construct_homepage_panels")
def add_living_panel(request, panels):
    if schedule_report.may_see_schedule(request.user):
        panels.append(living.LivingEvidencePanel())


@hooks.register("register_log_actions")
def register_living_log_actions(actions):
    actions.register_action(
        schedule.RECONFIRM_LOG_ACTION,
        _("Re-confirm without changes"),
        _("Medically re-confirmed without changes"),
    )


@hooks.register("register_admin_viewset")
def register_saved_searches():
    return living.saved_search_viewset


@hooks.register("after_copy_page")
def copy_reviews_with_the_page(request, page, new_page):
    """The admin's copy view copies a page's reviews with it (and its
    subpages' with theirs); an alias follows its original instead."""
    if new_page.alias_of_id is None:
        copy_tree_reviews(page, new_page)
