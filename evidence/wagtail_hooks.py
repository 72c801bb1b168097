"""Admin registration for the evidence app."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from evidence.models import Source


class SourceFilterSet(WagtailFilterSet):
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
    list_filter = SourceFilterSet
    search_fields = ["title", "authors", "journal", "intervention"]
    ordering = ["-year", "title"]
    copy_view_enabled = False


register_snippet(SourceViewSet)
