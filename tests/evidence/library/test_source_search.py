"""Finding Sources by title, any author's surname, year, journal, DOI and PMID:
in the Sources listing, the editor's chooser and the API's `q` (issue 14,
item 1). The suite runs on SQLite and PostgreSQL; so does this file."""

import re

import pytest
from django.urls import reverse

from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

LISTING = reverse("wagtailsnippets_evidence_source:list")
LISTING_RESULTS = reverse("wagtailsnippets_evidence_source:list_results")
CHOOSER = reverse("wagtailsnippetchoosers_evidence_source:choose")
CHOOSER_RESULTS = reverse("wagtailsnippetchoosers_evidence_source:choose_results")


@pytest.fixture
def library(db):
    """Two Sources, told apart by every field a person searches by."""
    return {
        "yoshino": SourceFactory(
            title="Nicotinamide mononucleotide increases muscle insulin sensitivity",
            authors="Yoshino M, Yoshino J, Kayser BD, et al.",
            journal="Science",
            year=2021,
            doi="10.1126/science.abe9985",
            pmid="33888596",
        ),
        "martens": SourceFactory(
            title="Chronic nicotinamide riboside supplementation is well-tolerated",
            authors="Martens CR, Denman BA, Mazzo MR, et al.",
            journal="Nature Communications",
            year=2018,
            doi="10.1038/s41467-018-03421-7",
            pmid="29599478",
        ),
    }


SEARCHES = [
    ("insulin", {"yoshino"}),
    ("Yoshino", {"yoshino"}),
    ("Martens", {"martens"}),
    ("denman", {"martens"}),  # any author, not only the first
    ("Kayser", {"yoshino"}),
    ("2021", {"yoshino"}),
    ("2018", {"martens"}),
    ("Science", {"yoshino"}),
    ("nature communications", {"martens"}),
    ("10.1126", {"yoshino"}),
    ("10.1038/s41467-018-03421-7", {"martens"}),
    ("https://doi.org/10.1126/science.abe9985", {"yoshino"}),
    ("33888596", {"yoshino"}),
    ("PMID: 29599478", {"martens"}),
    ("nicotinamide", {"yoshino", "martens"}),
    ("Martens 2018", {"martens"}),
    ("Martens 2021", set()),
]


def found(html: str, library) -> set[str]:
    return {name for name, source in library.items() if source.title in html}


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_the_sources_listing_finds(client, writer_in_group, library, query, expected):
    client.force_login(writer_in_group)
    for url in (LISTING, LISTING_RESULTS):
        response = client.get(url, {"q": query})
        assert response.status_code == 200
        assert found(response.content.decode(), library) == expected, url


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_the_editors_chooser_finds(client, writer_in_group, library, query, expected):
    client.force_login(writer_in_group)
    response = client.get(CHOOSER_RESULTS, {"q": query})
    assert response.status_code == 200
    assert found(response.content.decode(), library) == expected
    modal = client.get(CHOOSER, {"q": query})
    assert modal.status_code == 200
    assert found(modal.json()["html"], library) == expected


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_the_api_q_finds(client, library, query, expected):
    response = client.get("/api/v1/sources/", {"q": query})
    assert response.status_code == 200, response.content
    titles = {s["title"] for s in response.json()["results"]}
    assert {n for n, s in library.items() if s.title in titles} == expected


def test_the_listing_says_what_it_searched_for(client, writer_in_group, library):
    client.force_login(writer_in_group)
    page = re.sub(r"\s+", " ", client.get(LISTING, {"q": "Zzyzx"}).content.decode())
    assert not found(page, library)
    assert "Zzyzx" in page
