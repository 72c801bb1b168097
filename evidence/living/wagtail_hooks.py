"""Admin registration of living evidence (imported by evidence.wagtail_hooks)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from evidence.living import report, schedule, urls, views
from evidence.models import SavedSearch


@hooks.register("register_admin_urls")
def register_living_urls():
    return [
        path("evidence/living/", include((urls.urlpatterns, "evidence_living"))),
        path(
            "reports/medical-review-schedule/",
            report.ReviewScheduleReportView.as_view(),
            name="evidence_living_report",
        ),
        path(
            "reports/medical-review-schedule/results/",
            report.ReviewScheduleReportView.as_view(results_only=True),
            name="evidence_living_report_results",
        ),
    ]


class ScheduleReportMenuItem(MenuItem):
    def is_shown(self, request):
        return report.may_see_schedule(request.user)


@hooks.register("register_reports_menu_item")
def register_schedule_report():
    return ScheduleReportMenuItem(
        _("Medical review schedule"),
        reverse("evidence_living_report"),
        name="medical-review-schedule",
        icon_name="date",
        order=1050,
    )


@hooks.register("construct_homepage_panels")
def add_living_panel(request, panels):
    if report.may_see_schedule(request.user):
        panels.append(views.LivingEvidencePanel())


@hooks.register("register_log_actions")
def register_living_log_actions(actions):
    actions.register_action(
        schedule.RECONFIRM_LOG_ACTION,
        _("Re-confirm without changes"),
        _("Medically re-confirmed without changes"),
    )


class SavedSearchViewSet(ModelViewSet):
    """Saved searches on Sources (for every claim citing them); searches on
    one claim are added from the review screen and listed here too."""

    model = SavedSearch
    icon = "search"
    menu_label = _("Saved searches")
    add_to_admin_menu = True
    menu_order = 210
    form_fields = ["source", "pubmed_query", "trials_query"]
    list_display = ["__str__", "source", "page", "last_checked_on"]
    search_fields = ["pubmed_query", "trials_query"]
    copy_view_enabled = False
    inspect_view_enabled = False


saved_search_viewset = SavedSearchViewSet("saved_searches")


@hooks.register("register_admin_viewset")
def register_saved_searches():
    return saved_search_viewset
