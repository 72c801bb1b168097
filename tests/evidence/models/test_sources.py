from functools import partialmethod

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import translation

from evidence.models import Source
from evidence.vocab import Population, Route, StudyDesign
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_doi_is_stored_normalised():
    source = SourceFactory(doi="https://doi.org/10.1038/S41467-018-03421-7")
    source.refresh_from_db()
    assert source.doi == "10.1038/s41467-018-03421-7"


def test_invalid_doi_is_a_clear_form_error():
    source = SourceFactory.build(doi="not-a-doi")
    with pytest.raises(ValidationError) as caught:
        source.full_clean()
    assert "This is not a DOI" in caught.value.message_dict["doi"][0]


def test_invalid_pmid_is_a_form_error():
    source = SourceFactory.build(pmid="12ab")
    with pytest.raises(ValidationError) as caught:
        source.full_clean()
    assert "pmid" in caught.value.message_dict


def test_same_doi_in_another_case_is_a_duplicate():
    SourceFactory(doi="10.1126/science.abe9985")
    duplicate = SourceFactory.build(doi="10.1126/SCIENCE.ABE9985")
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert "doi" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_many_sources_may_have_no_doi_or_pmid():
    SourceFactory(doi="", pmid="")
    SourceFactory(doi="", pmid="")
    assert Source.objects.filter(doi="", pmid="").count() == 2


def test_pmid_is_unique_when_present():
    SourceFactory(pmid="29599478")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(pmid="29599478")


def test_str_names_first_author_and_year():
    source = SourceFactory.build(
        authors="Martens CR, Denman BA",
        year=2018,
        title="Chronic nicotinamide riboside",
    )
    assert str(source) == "Martens CR 2018: Chronic nicotinamide riboside"


def test_links_and_grade_words():
    source = SourceFactory.build(doi="10.1/x", pmid="123", grade="C")
    assert source.doi_url == "https://doi.org/10.1/x"
    assert source.pubmed_url == "https://pubmed.ncbi.nlm.nih.gov/123/"
    assert source.grade_words == "low"


def test_retraction_date_needs_a_status():
    import datetime

    source = SourceFactory.build(retraction_date=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError) as caught:
        source.full_clean()
    assert "retraction_date" in caught.value.message_dict


@pytest.mark.parametrize(
    ("field", "choices"),
    [
        ("study_design", StudyDesign),
        ("population", Population),
        ("route", Route),
    ],
)
def test_display_labels_agree_with_djangos(field, choices):
    """Source's get_FOO_display translate one label (evidence.vocab.label);
    each answers what Django's own would, in every language we serve, and
    the stored value itself when it is not a choice."""
    django_display = partialmethod(
        models.Model._get_FIELD_display, field=Source._meta.get_field(field)
    )
    for language in ("en-gb", "de"):
        with translation.override(language):
            for value in [*choices.values, "not-a-choice"]:
                source = Source(**{field: value})
                ours = getattr(source, f"get_{field}_display")()
                assert ours == django_display.__get__(source)()
                assert isinstance(ours, str)
