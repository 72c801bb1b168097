"""The "Medical review schedule" report: every live article, when it was
last medically reviewed, when it is next due and by whom, filterable and
exportable (CSV, XLSX) through Wagtail's report export.

One query for the page of rows shown, or for every row exported, whatever
the number of articles (plus the count for the paginator).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput

from evidence.living import schedule
from evidence.models import ReviewSchedule
from evidence.roles import is_medical_reviewer

EDITORS = schedule.EDITORS


def may_see_schedule(user) -> bool:
    """Medical reviewers and editors (and superusers)."""
    return bool(
        user.is_authenticated
        and (
            is_medical_reviewer(user)
            or user.is_superuser
            or user.groups.filter(name=EDITORS).exists()
        )
    )


class DueFilter(django_filters.ChoiceFilter):
    def filter(self, queryset, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(next_review_due__lt=today)
        if value == "this_month":
            return queryset.filter(
                next_review_due__gte=today,
                next_review_due__lte=schedule.month_end(today),
            )
        if value == "flagged":
            return queryset.filter(open_flags__gt=0)
        return queryset


class ReviewScheduleFilterSet(WagtailFilterSet):
    due = DueFilter(
        label=_("Status"),
        choices=[
            ("overdue", _("Overdue")),
            ("this_month", _("Due this month")),
            ("flagged", _("With open re-review flags")),
        ],
        empty_label=_("All live articles"),
    )
    due_before = django_filters.DateFilter(
        field_name="next_review_due",
        lookup_expr="lte",
        label=_("Due on or before"),
        widget=AdminDateInput,
    )
    reviewer = django_filters.CharFilter(
        field_name="reviewer_names",
        lookup_expr="icontains",
        label=_("Reviewer"),
    )

    class Meta:
        model = ReviewSchedule
        fields = ["due", "due_before", "reviewer"]


def _title(schedule_row):
    return schedule_row.page.title


class ReviewScheduleReportView(ReportView):
    page_title = _("Medical review schedule")
    header_icon = "date"
    index_url_name = "evidence_living_report"
    index_results_url_name = "evidence_living_report_results"
    filterset_class = ReviewScheduleFilterSet
    export_filename = "medical-review-schedule"
    paginate_by = 50
    list_export = [
        "page.title",
        "page.url_path",
        "last_reviewed_at",
        "next_review_due",
        "reviewer_names",
        "interval",
        "open_flags",
    ]
    export_headings = {
        "page.title": _("Article"),
        "page.url_path": _("Path"),
        "last_reviewed_at": _("Last reviewed"),
        "next_review_due": _("Next due"),
        "reviewer_names": _("Reviewer"),
        "interval": _("Interval (months)"),
        "open_flags": _("Open re-review flags"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_see_schedule(request.user):
            raise PermissionDenied
        self.site_interval = schedule.site_interval()
        return super().dispatch(request, *args, **kwargs)

    @property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Article"),
                accessor=_title,
                get_url=lambda row: reverse("evidence_review:page", args=[row.page_id]),
            ),
            DateColumn("last_reviewed_at", label=_("Last reviewed")),
            Column("next_review_due", label=_("Next due")),
            Column("reviewer_names", label=_("Reviewer")),
            NumberColumn("interval", label=_("Interval (months)")),
            NumberColumn("open_flags", label=_("Open flags")),
        ]

    def get_queryset(self):
        return schedule.live_schedules().order_by("next_review_due", "page_id")

    def decorate_paginated_queryset(self, object_list):
        for row in object_list:
            row.interval = row.interval_months or self.site_interval
            row.open_flags = row.open_flags or 0
        return object_list

    def to_row_dict(self, item):
        item.interval = item.interval_months or self.site_interval
        item.open_flags = item.open_flags or 0
        return super().to_row_dict(item)


class ScheduleReportMenuItem(MenuItem):
    """The report's entry in the Reports menu, for those who may see it."""

    def is_shown(self, request):
        return may_see_schedule(request.user)
