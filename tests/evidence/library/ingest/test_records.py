import datetime

from evidence.library.ingest.records import (
    SOURCE_FIELDS,
    IngestError,
    RetractionNotice,
    SourceRecord,
    strongest_notice,
)


def test_model_fields_are_exactly_the_source_fields():
    record = SourceRecord(title="T", mesh_terms=["Humans"], abstract="A", origin="ris")
    fields = record.model_fields()
    assert tuple(fields) == SOURCE_FIELDS
    assert fields["title"] == "T"
    assert fields["retraction_status"] == "none"
    assert fields["mesh_terms"] == ["Humans"]
    assert "abstract" not in fields and "origin" not in fields


def test_model_fields_can_leave_out_what_the_record_did_not_say():
    fields = SourceRecord(title="T", year=2020).model_fields(skip_empty=True)
    assert fields == {"title": "T", "year": 2020, "retraction_status": "none"}


def test_retraction_outweighs_concern_and_correction():
    notices = [
        RetractionNotice("correction", doi="10.1/c", date=datetime.date(2001, 1, 1)),
        RetractionNotice("retracted", doi="10.1/r", date=datetime.date(2010, 1, 1)),
        RetractionNotice("expression_of_concern", doi="10.1/e"),
    ]
    assert strongest_notice(notices).doi == "10.1/r"
    assert strongest_notice(notices[::-1]).doi == "10.1/r"
    assert strongest_notice(notices[0::2]).doi == "10.1/e"
    assert strongest_notice([]) is None


def test_earliest_of_equal_notices_sets_the_date():
    record = SourceRecord()
    record.add_notice(
        RetractionNotice("retracted", doi="10.1/b", date=datetime.date(2012, 5, 1))
    )
    record.add_notice(
        RetractionNotice("retracted", pmid="123", date=datetime.date(2011, 1, 2))
    )
    assert record.retraction_status == "retracted"
    assert record.retraction_date == datetime.date(2011, 1, 2)
    assert record.retraction_notice_url == "https://pubmed.ncbi.nlm.nih.gov/123/"


def test_ingest_error_lists_every_problem():
    error = IngestError("The file has 2 problems.", ["first", "second"])
    assert str(error) == "The file has 2 problems.\n- first\n- second"
    assert error.problems == ["first", "second"]
