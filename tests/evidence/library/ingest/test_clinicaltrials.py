import datetime
import json

import httpx
import pytest

from evidence.library.ingest import clinicaltrials, http
from evidence.library.ingest.searches import CLINICALTRIALS, SearchError

PAGE1 = "clinicaltrials/studies_phelan_mcdermid_page1.json"
PAGE2 = "clinicaltrials/studies_phelan_mcdermid_page2.json"
WITH_RESULTS = "clinicaltrials/study_NCT00791778_has_results.json"
NO_RESULTS = "clinicaltrials/study_NCT02576665.json"
SINCE = datetime.date(2026, 11, 1)
UNTIL = datetime.date(2026, 12, 7)


def run(seen, **kwargs):
    kwargs.setdefault("page_size", 5)
    return clinicaltrials.search_results_posted(
        "Phelan-McDermid Syndrome",
        SINCE,
        UNTIL,
        client=http.make_client(transport=httpx.MockTransport(seen)),
        limiter=http.RateLimiter(2, sleep=lambda s: None),
        sleep=lambda s: None,
        **kwargs,
    )


def test_a_randomised_trial_with_results_reads_as_an_rct(recorded):
    study = json.loads(recorded.bytes(WITH_RESULTS))
    candidate = clinicaltrials.parse_study(study)
    assert (candidate.registry, candidate.identifier) == (CLINICALTRIALS, "NCT00791778")
    assert candidate.title.startswith("Comparison of Nexavar/Placebo as Maintenance")
    assert candidate.design == "rct"
    assert candidate.design_label == "Interventional, randomized, Phase 2"
    assert candidate.sample_size == 246
    assert candidate.date == datetime.date(2012, 11, 30)  # results first posted
    assert candidate.url == "https://clinicaltrials.gov/study/NCT00791778"


def test_a_study_without_results_is_dated_by_its_last_update(recorded):
    candidate = clinicaltrials.parse_study(json.loads(recorded.bytes(NO_RESULTS)))
    assert candidate.identifier == "NCT02576665"
    assert candidate.design == ""  # one arm: not randomised
    assert candidate.sample_size == 21
    assert candidate.date == datetime.date(2020, 2, 7)


def test_the_search_asks_for_results_posted_in_the_window(replay, recorded):
    seen = replay(recorded.json(PAGE1), recorded.json(PAGE2))
    run(seen, max_records=10)
    first = seen.requests[0].url
    assert (first.host, first.path) == ("clinicaltrials.gov", "/api/v2/studies")
    assert first.params["query.term"] == "Phelan-McDermid Syndrome"
    assert first.params["filter.advanced"] == (
        "AREA[ResultsFirstPostDate]RANGE[2026-11-01,2026-12-07]"
    )
    assert first.params["countTotal"] == "true"
    assert "ResultsFirstPostDate" in first.params["fields"].split(",")
    assert seen.requests[0].headers["User-Agent"].startswith("nadsite/")


def test_pages_are_followed_by_their_token(replay, recorded):
    seen = replay(recorded.json(PAGE1), recorded.json(PAGE2))
    result = run(seen, max_records=10)
    assert seen.requests[1].url.params["pageToken"] == (
        "ZVt07cGHkvI2wRk2CJf6_LLq14bEL8swd7KrgP4dnDeTsPkw"
    )
    assert "countTotal" not in seen.requests[1].url.params
    assert [c.identifier for c in result.candidates] == [
        "NCT02710084",
        "NCT05105685",
        "NCT01525901",
        "NCT03493607",
        "NCT07119606",
        "NCT05187377",
        "NCT03836300",
        "NCT07014020",
        "NCT05025241",
        "NCT07281079",
    ]
    assert result.total == 21
    oxytocin = result.candidates[0]
    assert oxytocin.sample_size == 18
    assert oxytocin.design_label == "Interventional, Phase 2"
    # Page 2 still had a token: more studies than the cap were found.
    assert result.notes == [
        "ClinicalTrials.gov found more studies than the 10 screened. Narrow the query."
    ]


def test_known_studies_are_left_out(replay, recorded):
    seen = replay(recorded.json(PAGE1))
    result = run(seen, max_records=5, known=lambda ids: {"NCT02710084"})
    assert "NCT02710084" not in [c.identifier for c in result.candidates]
    assert len(result.candidates) == 4


def test_offline_says_the_registry_could_not_be_reached(replay):
    offline = httpx.ConnectError("Name or service not known")
    seen = replay(offline, offline, offline)
    with pytest.raises(SearchError) as failure:
        run(seen)
    assert failure.value.unreachable
    assert str(failure.value).startswith(
        "ClinicalTrials.gov could not be reached (ConnectError)"
    )


def test_a_failure_on_a_later_page_fails_the_search(replay, recorded):
    seen = replay(recorded.json(PAGE1), httpx.Response(400, text="Bad pageToken"))
    with pytest.raises(SearchError, match=r"HTTP 400 \(Bad pageToken\)"):
        run(seen, max_records=10)


def test_an_answer_without_studies_is_refused(replay):
    seen = replay(httpx.Response(200, content=b'{"error": "x"}'))
    with pytest.raises(SearchError, match="without a list of studies"):
        run(seen)
