"""Saving records into the source library: matching, updating, batches."""

import httpx
import pytest

from evidence.library import grades, importing, matching
from evidence.library.ingest import crossref, files
from evidence.library.ingest.records import SourceRecord
from evidence.models import RateSlot, Source
from evidence.vocab import Grade, Population, RetractionStatus, StudyDesign
from tests.evidence.library import recorded_http as rec
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def bib_records():
    return importing.read_file("library.bib", rec.body("files/library.bib"))


def test_importing_a_bibtex_file_creates_sources_with_suggestions_awaiting_review():
    fetched = bib_records()
    assert not fetched.failures
    summary = importing.import_records(fetched.records, failures=fetched.failures)
    assert summary.written
    assert len(summary.created) == len(fetched.records) == Source.objects.count()
    martens = Source.objects.get(doi="10.1038/s41467-018-03421-7")
    assert martens.pmid == "29599478"
    assert martens.first_author == "Martens CR"
    assert martens.grade_confirmed_by is None
    assert martens.grade_confirmed_at is None


def test_the_same_file_imported_twice_adds_nothing():
    fetched = bib_records()
    importing.import_records(fetched.records)
    count = Source.objects.count()
    again = importing.import_records(bib_records().records)
    assert again.written
    assert Source.objects.count() == count
    assert not again.created
    assert len(again.duplicates) == count


def test_doi_matching_ignores_case_and_resolver_prefix():
    existing = SourceFactory(doi="10.1016/s0140-6736(97)11096-0", title="Old title")
    record = SourceRecord(
        title="Ileal-lymphoid-nodular hyperplasia",
        doi="https://doi.org/10.1016/S0140-6736(97)11096-0",
    )
    assert matching.find_existing(record) == (existing, [])


def test_pmid_matching():
    existing = SourceFactory(doi="", pmid="29599478")
    record = SourceRecord(title="Something else entirely", pmid="PMID: 29599478")
    assert matching.find_existing(record)[0] == existing


def test_title_year_and_first_author_matching_ignores_case_and_punctuation():
    existing = SourceFactory(
        doi="",
        title="Chronic nicotinamide riboside supplementation is well-tolerated",
        authors="Martens CR, Denman BA",
        year=2018,
    )
    same = SourceRecord(
        title="CHRONIC Nicotinamide Riboside Supplementation Is Well Tolerated.",
        authors="Martens C, Seals DR",
        year=2018,
    )
    other_year = SourceRecord(title=same.title, authors=same.authors, year=2019)
    other_author = SourceRecord(title=same.title, authors="Trammell SA", year=2018)
    other_doi = SourceRecord(
        title=same.title, authors=same.authors, year=2018, doi="10.5555/other"
    )
    assert matching.find_existing(same)[0] == existing
    assert matching.find_existing(other_year)[0] is None
    assert matching.find_existing(other_author)[0] is None
    existing.doi = "10.5555/mine"
    existing.save()
    assert matching.find_existing(other_doi)[0] is None


def test_retracted_title_prefix_still_matches_the_same_paper():
    existing = SourceFactory(
        doi="",
        title="Ileal-lymphoid-nodular hyperplasia, non-specific colitis",
        authors="Wakefield AJ, Murch SH",
        year=1998,
    )
    record = SourceRecord(
        title="RETRACTED: Ileal-lymphoid-nodular hyperplasia, non-specific colitis",
        authors="Wakefield AJ",
        year=1998,
    )
    assert matching.find_existing(record)[0] == existing


def test_reimport_from_crossref_fills_metadata_and_flags_the_retraction():
    fetched = bib_records()
    importing.import_records(fetched.records)
    wakefield = Source.objects.get(doi="10.1016/s0140-6736(97)11096-0")
    assert wakefield.retraction_status == RetractionStatus.NONE
    record = crossref.parse_work(
        __import__("json").loads(rec.body(rec.WAKEFIELD_WORK))["message"]
    )
    summary = importing.import_records([("DOI", record)])
    (outcome,) = summary.updated
    wakefield.refresh_from_db()
    assert outcome.source == wakefield
    assert "retraction_status" in outcome.changes
    assert wakefield.retraction_status == RetractionStatus.RETRACTED
    assert wakefield.retraction_notice_url == (
        "https://doi.org/10.1016/s0140-6736(10)60175-4"
    )
    assert Source.objects.filter(title__icontains="ileal").count() == 1


def test_reimport_keeps_a_confirmed_grade_and_reviewer_design_and_says_so(reviewer):
    source = SourceFactory(
        doi="10.1126/science.adh8285",
        title="Sleep and the hypothalamus",
        study_design=StudyDesign.COHORT,
        population=Population.ANIMAL,
        grade=Grade.C,
    )
    grades.confirm_grade(source, reviewer)
    record = SourceRecord(
        title="Sleep and the hypothalamus",
        doi="10.1126/science.adh8285",
        publication_types=["Journal Article", "Meta-Analysis"],
        mesh_terms=["Humans"],
        journal="Science",
        origin="pubmed",
    )
    outcome = importing.save_record(record, "DOI")
    source.refresh_from_db()
    assert outcome.action == importing.UPDATED
    assert outcome.changes == ["journal", "mesh_terms"]
    assert (source.study_design, source.population, source.grade) == (
        StudyDesign.COHORT,
        Population.ANIMAL,
        Grade.C,
    )
    assert source.grade_confirmed_by == reviewer
    notes = " ".join(outcome.notes)
    assert "Kept the study design “Cohort study”" in notes
    assert "Meta-analysis" in notes
    assert f"Kept the grade C confirmed by {reviewer}" in notes


def test_an_import_never_lowers_a_retraction_status():
    source = SourceFactory(
        doi="10.5555/retracted", retraction_status=RetractionStatus.RETRACTED
    )
    outcome = importing.save_record(
        SourceRecord(
            title=source.title, doi=source.doi, journal="New", origin="crossref"
        ),
        "x",
    )
    source.refresh_from_db()
    assert outcome.action == importing.UPDATED
    assert source.retraction_status == RetractionStatus.RETRACTED


def test_over_long_fields_are_trimmed_to_the_model_and_noted():
    record = SourceRecord(
        title="T" * 700,
        journal="J" * 300,
        volume="1" * 40,
        url="https://example.org/" + "x" * 600,
        doi="10.5555/long",
    )
    outcome = importing.save_record(record, "long")
    assert outcome.action == importing.CREATED
    source = outcome.source
    source.refresh_from_db()
    assert len(source.title) == 500 and source.title.endswith("…")
    assert len(source.journal) == 255
    assert len(source.volume) == 32
    assert source.url == ""
    assert any("shortened to 500" in n for n in outcome.notes)
    assert any("left out" in n for n in outcome.notes)


def test_a_file_fills_empty_details_but_does_not_overwrite_them():
    source = SourceFactory(doi="10.5555/f", journal="Nature Communications", pages="")
    record = SourceRecord(
        title=source.title, doi="10.5555/f", journal="Nat Commun", pages="1286"
    )
    outcome = importing.save_record(record.replace(origin="ris"), "ris")
    source.refresh_from_db()
    assert outcome.changes == ["pages"]
    assert (source.journal, source.pages) == ("Nature Communications", "1286")
    importing.save_record(record.replace(origin="crossref"), "crossref")
    source.refresh_from_db()
    assert source.journal == "Nat Commun"


def test_a_record_the_model_refuses_fails_with_the_field_named():
    outcome = importing.save_record(SourceRecord(title="Odd", doi="10.1/x"), "odd")
    assert outcome.action == importing.FAILED
    assert outcome.reason.startswith("DOI: This is not a DOI.")
    assert not Source.objects.exists()


def test_a_batch_with_one_bad_record_writes_nothing():
    good = SourceRecord(title="A good record", doi="10.5555/good")
    untitled = SourceRecord(title="  ", doi="10.5555/untitled")
    before = Source.objects.count()
    summary = importing.import_records([("good", good), ("untitled", untitled)])
    assert not summary.written
    assert Source.objects.count() == before
    assert [o.label for o in summary.failed] == ["untitled"]
    assert summary.failed[0].reason == "The record has no title."
    assert summary.headline().startswith("Nothing was imported")


def test_a_failed_lookup_fails_the_whole_batch():
    good = SourceRecord(title="A good record", doi="10.5555/good")
    summary = importing.import_records(
        [("good", good)], failures=[("DOI 10.1/x", "DOI 10.1/x was not found.")]
    )
    assert not summary.written
    assert not Source.objects.exists()
    assert len(summary.created) == 1  # what would have happened


def test_a_dry_run_reports_and_writes_nothing():
    summary = importing.import_records(bib_records().records, dry_run=True)
    assert summary.created
    assert not summary.written
    assert not Source.objects.exists()
    assert summary.headline().startswith("Dry run")


def test_a_retraction_notice_is_refused_as_a_source():
    from evidence.library.ingest import pubmed

    (notice,) = pubmed.parse_efetch(rec.body(rec.NOTICE_EFETCH))
    outcome = importing.save_record(notice, "PMID 27508352")
    assert outcome.action == importing.FAILED
    assert "not a paper" in outcome.reason
    assert "26435620" in outcome.reason


def test_a_file_with_a_duplicate_inside_creates_one_source():
    text = (
        b"TY  - JOUR\nTI  - Twice listed\nDO  - 10.5555/TWICE\nPY  - 2020\nER  - \n\n"
        b"TY  - JOUR\nTI  - Twice listed\nDO  - 10.5555/twice\nPY  - 2020\nER  - \n"
    )
    fetched = importing.read_file("twice.ris", text)
    summary = importing.import_records(fetched.records)
    assert summary.written
    assert (len(summary.created), len(summary.duplicates)) == (1, 1)
    assert Source.objects.filter(doi="10.5555/twice").count() == 1


def test_broken_bibtex_is_reported_and_nothing_written():
    fetched = importing.read_file("broken.bib", rec.body("files/broken.bib"))
    summary = importing.import_records(fetched.records, failures=fetched.failures)
    assert not fetched.records
    assert not summary.written
    assert "broken.bib" in summary.failed[0].reason
    assert not Source.objects.exists()


def test_ris_with_missing_fields_names_each_bad_record():
    fetched = importing.read_file("missing.ris", rec.body("files/missing_fields.ris"))
    (failure,) = fetched.failures
    assert "has no title" in failure[1]
    assert "not-a-doi" in failure[1]
    summary = importing.import_records(fetched.records, failures=fetched.failures)
    assert not summary.written and not Source.objects.exists()


def test_fetch_records_reads_recorded_crossref_and_pubmed(monkeypatch):
    handler = rec.serve(
        monkeypatch,
        {
            "/works/10.1371/journal.pone.0033693": rec.json_answer(rec.PLOS_WORK),
            "&id=37883555&": rec.xml_answer(rec.SLEEP_EFETCH),
        },
    )
    fetched = importing.fetch_records([rec.PLOS_DOI.upper()], [rec.SLEEP_PMID])
    assert not fetched.failures
    labels = [label for label, _ in fetched.records]
    assert labels == [f"DOI {rec.PLOS_DOI.upper()}", "PMID 37883555"]
    assert len(handler.requests) == 2
    assert "nadsite" in handler.requests[0].headers["User-Agent"]
    summary = importing.import_records(fetched.records)
    sleep = Source.objects.get(pmid="37883555")
    assert sleep.doi == "10.1126/science.adh8285"
    assert sleep.study_design == StudyDesign.NARRATIVE_REVIEW
    assert sleep.grade == Grade.D and sleep.grade_confirmed_at is None
    # PubMed's MeSH headings are kept: living evidence suggests searches from them.
    assert "Sleep, REM" in sleep.mesh_terms and "Hypothalamus" in sleep.mesh_terms
    assert len(summary.created) == 2
    # The PubMed request took a slot of the NCBI rate every process shares.
    assert RateSlot.objects.filter(name="ncbi").count() == 1


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (rec.not_found(), "was not found at Crossref"),
        (httpx.ReadTimeout("slow"), "did not answer within"),
        (httpx.ConnectError("offline"), "could not be reached"),
    ],
)
def test_failing_lookups_give_clear_reasons(monkeypatch, answer, message):
    rec.serve(monkeypatch, {"/works/": answer})
    fetched = importing.fetch_records([rec.MISSING_DOI])
    ((label, reason),) = fetched.failures
    assert label == f"DOI {rec.MISSING_DOI}"
    assert message in reason
    assert "nothing was imported" in reason or "not found" in reason


def test_an_invalid_doi_is_refused_without_a_request(monkeypatch):
    handler = rec.serve(monkeypatch, {})
    fetched = importing.fetch_records(["not-a-doi"])
    assert "is not a DOI" in fetched.failures[0][1]
    assert handler.requests == []


def test_batches_survive_the_trip_from_preview_to_confirmation():
    fetched = importing.read_file("library.bib", rec.body("files/library.bib"))
    record = crossref.parse_work(
        __import__("json").loads(rec.body(rec.WAKEFIELD_WORK))["message"]
    )
    fetched.records.append(("DOI", record))
    fetched.failures.append(("x", "why"))
    back = importing.unpack_batch(importing.pack_batch(fetched))
    assert back.records == fetched.records
    assert back.failures == fetched.failures


def test_confirm_grade_records_the_reviewer_and_refuses_others(reviewer, writer):
    source = SourceFactory(grade=Grade.B)
    with pytest.raises(Exception, match="Only a medical reviewer"):
        grades.confirm_grade(source, writer)
    grades.confirm_grade(source, reviewer)
    source.refresh_from_db()
    assert source.grade_confirmed_by == reviewer
    assert source.grade_confirmed_at is not None


def test_parse_file_is_the_reader_used():
    """The library reads files only through the ingest layer's parser."""
    assert len(bib_records().records) == len(
        files.parse_file("library.bib", rec.body("files/library.bib"))
    )
