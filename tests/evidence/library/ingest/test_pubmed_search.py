"""PubMed saved searches: esearch for a date window, efetch for what is new.

The recorded esearch and efetch answers come from different queries (see
../shared/fixtures/README.md), so where a test chains them, the efetch
request is checked for the PMIDs the esearch answer gave, and the records
the efetch answer holds (other PMIDs) are not taken as matches.
"""

import datetime

import httpx
import pytest

from evidence.library.ingest import http, pubmed_search
from evidence.library.ingest.searches import PUBMED, SearchError

SCIENCE_2008 = "pubmed/esearch_science_breast_cancer_2008_retmax3.xml"
CANCER_60_DAYS = "pubmed/esearch_cancer_reldate60_edat.xml"
ZERO = "pubmed/esearch_protein_abcXYZ_zero_phrasenotfound.xml"
TWO = "pubmed/efetch_11748933_11700088.xml"
SINCE = datetime.date(2026, 11, 1)
UNTIL = datetime.date(2026, 12, 7)


def no_wait():
    return http.RateLimiter(3, sleep=lambda seconds: None)


def run(seen, **kwargs):
    return pubmed_search.search_new(
        "nicotinamide riboside[tiab]",
        SINCE,
        UNTIL,
        client=http.make_client(transport=httpx.MockTransport(seen)),
        limiter=no_wait(),
        sleep=lambda seconds: None,
        **kwargs,
    )


def test_esearch_asks_for_the_window_and_the_publication_types(
    replay, recorded, settings
):
    settings.NADSITE_CONTACT_EMAIL = "editors@example.org"
    settings.NCBI_API_KEY = ""
    seen = replay(recorded.xml(SCIENCE_2008), recorded.xml(TWO))
    run(seen)
    search = seen.requests[0]
    params = search.url.params
    assert search.url.path == "/entrez/eutils/esearch.fcgi"
    assert params["db"] == "pubmed"
    assert (params["datetype"], params["mindate"], params["maxdate"]) == (
        "edat",
        "2026/11/01",
        "2026/12/07",
    )
    assert params["term"] == (
        '(nicotinamide riboside[tiab]) AND ("Randomized Controlled Trial"[pt] OR '
        '"Systematic Review"[pt] OR "Meta-Analysis"[pt] OR "Guideline"[pt] OR '
        '"Practice Guideline"[pt])'
    )
    assert (params["tool"], params["email"]) == ("nadsite", "editors@example.org")
    assert "api_key" not in params
    assert search.headers["User-Agent"].endswith("mailto:editors@example.org)")


def test_api_key_is_sent_when_set(replay, recorded, settings):
    settings.NCBI_API_KEY = "k3y"
    seen = replay(recorded.xml(ZERO))
    run(seen)
    assert seen.requests[0].url.params["api_key"] == "k3y"


def test_new_pmids_are_fetched_and_only_those_become_candidates(replay, recorded):
    # The recorded efetch answer holds two other records than the three
    # PMIDs asked for: none of them is a match of this search.
    seen = replay(recorded.xml(SCIENCE_2008), recorded.xml(TWO))
    result = run(seen)
    fetch = seen.requests[1]
    assert fetch.url.path == "/entrez/eutils/efetch.fcgi"
    assert fetch.url.params["id"] == "19008416,18927361,18787170"
    assert fetch.url.params["tool"] == "nadsite"
    assert result.total == 6 and result.truncated
    assert result.notes == [
        "PubMed found 6 records; only the first 3 were screened. Narrow the query.",
        "PubMed sent no record for PMID 19008416, 18927361, 18787170.",
    ]
    assert result.candidates == []


def test_efetch_records_are_read_as_candidates(recorded):
    cryo, mri = pubmed_search.parse_candidates(recorded.bytes(TWO))
    assert (cryo.registry, cryo.identifier) == (PUBMED, "11748933")
    assert cryo.title.startswith("Is cryopreservation a homogeneous process?")
    assert cryo.date == datetime.date(2001, 12, 26)
    assert cryo.doi == "10.1006/cryo.2001.2328"
    assert cryo.url == "https://pubmed.ncbi.nlm.nih.gov/11748933/"
    assert cryo.design_label == "Journal Article; Research Support, Non-U.S. Gov't"
    assert cryo.record.pmid == "11748933" and cryo.record.mesh_terms
    assert mri.date == datetime.date(2001, 11, 9)


def test_known_pmids_are_not_fetched(replay, recorded):
    seen = replay(recorded.xml(SCIENCE_2008), recorded.xml(TWO))
    asked = []

    def known(pmids):
        asked.append(list(pmids))
        return {"19008416"}

    run(seen, known=known)
    assert asked == [["19008416", "18927361", "18787170"]]
    assert seen.requests[1].url.params["id"] == "18927361,18787170"


def test_nothing_new_makes_one_request(replay, recorded):
    seen = replay(recorded.xml(SCIENCE_2008))
    result = run(seen, known=lambda pmids: set(pmids))
    assert len(seen.requests) == 1
    assert result.candidates == []


def test_zero_results_say_which_words_were_not_found(replay, recorded):
    seen = replay(recorded.xml(ZERO))
    result = run(seen)
    assert len(seen.requests) == 1
    assert result.total == 0 and result.candidates == []
    assert result.notes == [
        "PubMed did not find these words and left them out: abcXYZ."
    ]


def test_a_search_with_a_history_server_key_reads_the_same(recorded):
    answer = pubmed_search.parse_esearch(recorded.bytes(CANCER_60_DAYS))
    assert answer.count == 42249
    assert len(answer.ids) == 100 and answer.ids[0] == "41297076"
    assert answer.query_translation.endswith("2025/09/27:2025/11/26[Date - Entry]")


def test_every_request_waits_for_the_limiter(replay, recorded):
    waits = []

    class Limiter:
        def wait(self, sleep=None):
            waits.append(1)

    seen = replay(recorded.xml(SCIENCE_2008), recorded.xml(TWO))
    pubmed_search.search_new(
        "x", SINCE, UNTIL, client=seen.client(), limiter=Limiter(), sleep=lambda s: 0
    )
    assert len(waits) == 2


def test_offline_says_pubmed_could_not_be_reached(replay):
    offline = httpx.ConnectError("Name or service not known")
    seen = replay(offline, offline, offline)
    with pytest.raises(SearchError) as failure:
        run(seen)
    assert failure.value.unreachable
    assert str(failure.value).startswith("PubMed could not be reached (ConnectError)")
    assert "tried again at the next check" in str(failure.value)


def test_a_server_error_is_not_taken_for_an_empty_answer(replay):
    seen = replay(*[httpx.Response(503, text="busy")] * 3)
    with pytest.raises(SearchError) as failure:
        run(seen)
    assert not failure.value.unreachable
    assert "HTTP 503" in str(failure.value)


def test_an_efetch_failure_fails_the_whole_search(replay, recorded):
    seen = replay(recorded.xml(SCIENCE_2008), httpx.Response(400, text="bad"))
    with pytest.raises(SearchError) as failure:
        run(seen)
    assert "HTTP 400" in str(failure.value)


def test_an_error_reply_is_refused(replay):
    # No recorded <ERROR> reply exists (../shared/fixtures/README.md); this is
    # the shape NCBI documents, written here.
    body = (
        b"<eSearchResult><ERROR>Empty term and query_key - nothing todo"
        b"</ERROR></eSearchResult>"
    )
    seen = replay(httpx.Response(200, content=body))
    with pytest.raises(SearchError, match="Empty term and query_key"):
        run(seen)


def test_unreadable_xml_is_refused(replay):
    seen = replay(httpx.Response(200, content=b"<html>maintenance"))
    with pytest.raises(SearchError, match="not readable XML"):
        run(seen)
