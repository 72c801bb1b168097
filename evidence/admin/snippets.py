"""The Source and ReviewerProfile snippets in the admin."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.views.snippets import SnippetViewSet

from evidence.admin import library
from evidence.models import ReviewerProfile, Source


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
    # merge) and grade confirmation on save: evidence/admin/library.py.
    edit_handler = library.source_edit_handler()
    index_view_class = library.SourceIndexView
    create_view_class = library.SourceCreateView
    edit_view_class = library.SourceEditView


class ReviewerProfileViewSet(SnippetViewSet):
    model = ReviewerProfile
    icon = "user"
    menu_label = _("Reviewer profiles")
    list_display = ["display_name", "credentials", "specialty", "user"]
    search_fields = ["display_name", "specialty"]
    ordering = ["display_name"]
    copy_view_enabled = False
