"""The Source and ReviewerProfile snippets in the admin."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.snippets.views import chooser
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


class SourceSearchForm(BaseFilterForm):
    """The chooser's search box: title, any author, year, journal, DOI, PMID."""

    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(
            attrs={"placeholder": _("Title, author, year, journal, DOI or PMID")}
        ),
        required=False,
        max_length=200,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        if query := self.cleaned_data.get("q"):
            objects = objects.matching(query)
            self.is_searching = True
            self.search_query = query
        return objects


class SourceChooseView(chooser.ChooseView):
    filter_form_class = SourceSearchForm


class SourceChooseResultsView(chooser.ChooseResultsView):
    filter_form_class = SourceSearchForm


class SourceChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = SourceChooseView
    choose_results_view_class = SourceChooseResultsView


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
    # Searching goes through `Source.objects.matching` (SourceIndexView),
    # not the search backend, whose SQLite index has no "authors" column.
    search_fields = ["title", "authors", "journal", "doi", "pmid"]
    chooser_viewset_class = SourceChooserViewSet
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
