import datetime
import json

import httpx
import pytest

from evidence.library.ingest import crossref
from evidence.library.ingest.records import IngestError

WAKEFIELD = "crossref/10.1016_s0140-6736(97)11096-0.json"
PLOS = "crossref/10.1371_journal.pone.0033693.json"
UPDATES = "crossref/works_filter_updates_10.1016_s0140-6736(97)11096-0.json"


def message(recorded, path):
    return json.loads(recorded.bytes(path))["message"]


def test_fetch_doi_reads_the_recorded_plos_record(replay, recorded):
    seen = replay(recorded.json(PLOS))
    record = crossref.fetch_doi(
        "https://doi.org/10.1371/JOURNAL.PONE.0033693", client=seen.client()
    )
    assert seen.requests[0].url.path == "/works/10.1371/journal.pone.0033693"
    assert record.title == (
        "Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation "
        "of Microglia in the Basal Ganglia of Mice"
    )
    assert record.authors.startswith("Sadasivan S, Pond BB, Pani AK")
    assert (record.journal, record.year) == ("PLoS ONE", 2012)
    assert (record.volume, record.issue, record.pages) == ("7", "3", "e33693")
    assert record.doi == "10.1371/journal.pone.0033693"
    assert record.origin == "crossref"


def test_plos_record_is_corrected_by_the_publisher(recorded):
    record = crossref.parse_work(message(recorded, PLOS))
    assert record.retraction_status == "correction"
    assert record.retraction_date == datetime.date(2012, 5, 8)
    assert record.retraction_notice_url == (
        "https://doi.org/10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda"
    )
    assert [n.source for n in record.retraction_notices] == ["publisher"]


def test_wakefield_is_retracted_via_retraction_watch(recorded):
    record = crossref.parse_work(message(recorded, WAKEFIELD))
    assert record.title.startswith("RETRACTED: Ileal-lymphoid-nodular hyperplasia")
    assert record.authors.startswith("Wakefield AJ, Murch SH, Anthony A")
    assert (record.journal, record.year, record.volume) == ("The Lancet", 1998, "351")
    assert record.pages == "637-641"
    assert record.retraction_status == "retracted"
    assert record.retraction_date == datetime.date(2010, 2, 6)
    assert record.retraction_notice_url == (
        "https://doi.org/10.1016/s0140-6736(10)60175-4"
    )
    statuses = {(n.status, n.doi, n.source) for n in record.retraction_notices}
    assert statuses == {
        ("correction", "10.1016/s0140-6736(04)15715-2", "retraction-watch"),
        ("retracted", "10.1016/s0140-6736(10)60175-4", "retraction-watch"),
    }


def test_srep_record_keeps_its_abstract_and_unicode_title(recorded):
    record = crossref.parse_work(message(recorded, "crossref/10.1038_srep16696.json"))
    assert record.title == (
        "Single-molecule FRET studies on alpha-synuclein oligomerization of "
        "Parkinson\u2019s disease genetically related mutants"
    )
    assert record.abstract.startswith("Oligomers of alpha-synuclein are toxic")
    assert "<jats" not in record.abstract
    assert (record.year, record.volume, record.retraction_status) == (2015, "5", "none")


def test_sparse_record(recorded):
    record = crossref.parse_work(
        message(recorded, "crossref/10.3892_ijo_00000353.json")
    )
    assert record.authors == "Stravopodis"
    assert record.journal == "International Journal of Oncology"
    assert (record.year, record.volume, record.pages) == (2009, "", "")


def test_update_to_its_own_doi_marks_the_work_itself():
    record = crossref.parse_work(
        {
            "DOI": "10.5555/self",
            "title": ["A paper"],
            "update-to": [
                {
                    "DOI": "10.5555/SELF",
                    "type": "expression-of-concern",
                    "source": "publisher",
                    "updated": {"date-parts": [[2020, 1, 2]]},
                }
            ],
        }
    )
    assert record.retraction_status == "expression_of_concern"
    assert record.retraction_notice_url == "https://doi.org/10.5555/self"
    assert not record.is_notice


def test_a_retracted_title_counts_without_update_metadata():
    record = crossref.parse_work({"DOI": "10.5555/t", "title": ["RETRACTED: A paper"]})
    assert record.retraction_status == "retracted"
    assert record.retraction_notices[0].source == "title"


def test_fetch_updates_finds_the_wakefield_notices(replay, recorded):
    seen = replay(recorded.json(UPDATES))
    doi = "10.1016/S0140-6736(97)11096-0"
    notices = crossref.fetch_updates(doi, client=seen.client())
    assert seen.requests[0].url.params["filter"] == (
        "updates:10.1016/s0140-6736(97)11096-0"
    )
    assert [n.doi for n in notices] == [
        "10.1016/s0140-6736(04)15715-2",
        "10.1016/s0140-6736(10)60175-4",
    ]
    assert all(n.is_notice for n in notices)
    retraction = notices[1]
    assert retraction.authors == "The Editors of The Lancet"
    assert retraction.retraction_status == "none"
    about = crossref.notices_about(doi, notices)
    assert {(n.status, n.date) for n in about} == {
        ("correction", datetime.date(2004, 3, 6)),
        ("retracted", datetime.date(2010, 2, 6)),
    }


def test_not_found_doi_uses_the_recorded_plain_text_404(replay, recorded):
    seen = replay(
        httpx.Response(
            404,
            content=recorded.bytes("crossref/10.1371_notarealdoi.404.txt"),
            headers={"Content-Type": "text/plain"},
        )
    )
    with pytest.raises(IngestError) as caught:
        crossref.fetch_doi("10.1371/notarealdoi", client=seen.client())
    assert str(caught.value) == "DOI 10.1371/notarealdoi was not found at Crossref."


@pytest.mark.parametrize("value", ["", "not a doi", "11.1234/x", "10.12/short"])
def test_invalid_doi_is_refused_before_any_request(replay, value):
    seen = replay()
    with pytest.raises(IngestError, match="is not a DOI"):
        crossref.fetch_doi(value, client=seen.client())
    assert seen.requests == []


def test_timeout_means_nothing_was_imported(replay, sleeps):
    seen = replay(*[httpx.ConnectTimeout("no answer") for _ in range(3)])
    with pytest.raises(IngestError) as caught:
        crossref.fetch_doi(
            "10.1371/journal.pone.0033693", client=seen.client(), sleep=sleeps.append
        )
    assert "Crossref did not answer within 10 seconds; nothing was imported." in str(
        caught.value
    )
    assert len(seen.requests) == 3


def test_503_then_200_imports_the_record(replay, recorded, sleeps):
    seen = replay(httpx.Response(503, text="busy"), recorded.json(PLOS))
    record = crossref.fetch_doi(
        "10.1371/journal.pone.0033693", client=seen.client(), sleep=sleeps.append
    )
    assert record.year == 2012
    assert len(sleeps) == 1


def test_a_non_json_answer_is_an_error(replay):
    seen = replay(httpx.Response(200, text="<html>maintenance</html>"))
    with pytest.raises(IngestError, match="not JSON"):
        crossref.fetch_doi("10.1371/journal.pone.0033693", client=seen.client())
