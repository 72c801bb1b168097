"""Filters for the source library."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evidence.models import Source
from evidence.vocab import (
    Grade,
    Population,
    RetractionStatus,
    StudyDesign,
    normalize_doi,
    normalize_pmid,
)


class SourceFilter(django_filters.FilterSet):
    doi = django_filters.CharFilter(
        method="filter_doi",
        help_text=_("Exact DOI, in any spelling (https://doi.org/…, doi:…)."),
    )
    pmid = django_filters.CharFilter(method="filter_pmid", help_text=_("Exact PMID."))
    grade = django_filters.ChoiceFilter(choices=Grade.choices)
    study_design = django_filters.ChoiceFilter(choices=StudyDesign.choices)
    population = django_filters.ChoiceFilter(choices=Population.choices)
    retracted = django_filters.BooleanFilter(
        method="filter_retracted",
        help_text=_("true: only retracted sources; false: none of them."),
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=200,
        help_text=_(
            "Every word must match the title, an author, the journal, the "
            "year, the DOI (or part of it) or the PMID."
        ),
    )

    class Meta:
        model = Source
        fields = ["doi", "pmid", "grade", "study_design", "population"]

    def filter_doi(self, queryset, name, value):
        return queryset.filter(doi=normalize_doi(value))

    def filter_pmid(self, queryset, name, value):
        return queryset.filter(pmid=normalize_pmid(value))

    def filter_retracted(self, queryset, name, value):
        retracted = Q(retraction_status=RetractionStatus.RETRACTED)
        return queryset.filter(retracted) if value else queryset.exclude(retracted)

    def filter_q(self, queryset, name, value):
        return queryset.matching(value)
