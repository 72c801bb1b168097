"""``manage.py import_sources``: DOIs, PMIDs and files, all or nothing."""

import io

import httpx
import pytest
from django.core.management import CommandError, call_command

from evidence.models import Source
from evidence.vocab import RetractionStatus
from tests.evidence.library import recorded_http as rec

pytestmark = pytest.mark.django_db

FILES = rec.FIXTURES / "files"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_sources", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_dois_and_pmids_with_progress_and_summary(monkeypatch):
    rec.serve(
        monkeypatch,
        {
            **rec.wakefield_routes(),
            "/works/10.1371/journal.pone.0033693": rec.json_answer(rec.PLOS_WORK),
            "&id=37883555&": rec.xml_answer(rec.SLEEP_EFETCH),
        },
    )
    out, err = run(
        "--doi",
        rec.WAKEFIELD_DOI,
        "--doi",
        rec.PLOS_DOI,
        "--pmid",
        rec.SLEEP_PMID,
    )
    assert "1/3 fetching DOI" in err and "3/3 fetching PMID 37883555" in err
    assert "3/3 saving" in err
    assert "Imported: 3 created, 0 updated, 0 already in the library, 0 failed." in out
    wakefield = Source.objects.get(doi="10.1016/s0140-6736(97)11096-0")
    assert wakefield.retraction_status == RetractionStatus.RETRACTED
    plos = Source.objects.get(doi=rec.PLOS_DOI)
    assert plos.retraction_status == RetractionStatus.CORRECTION


def test_files_of_every_format(monkeypatch):
    out, _err = run(
        str(FILES / "library.bib"),
        str(FILES / "library.ris"),
        str(FILES / "library.json"),
    )
    assert "0 failed" in out
    created = Source.objects.count()
    assert created >= 3
    assert "created" in out
    out, _err = run(str(FILES / "library.bib"))
    assert Source.objects.count() == created
    assert "Imported: 0 created, 0 updated" in out


def test_reimport_by_doi_updates_the_file_import(monkeypatch):
    run(str(FILES / "library.bib"))
    count = Source.objects.count()
    rec.serve(monkeypatch, rec.wakefield_routes())
    out, _err = run("--doi", rec.WAKEFIELD_DOI.lower())
    assert Source.objects.count() == count
    assert "1 updated" in out
    assert "retraction_status" in out


def test_dry_run_writes_nothing(monkeypatch):
    out, _err = run("--dry-run", str(FILES / "library.bib"))
    assert "Dry run, nothing was written" in out
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (rec.not_found(), "DOI 10.1371/notarealdoi was not found at Crossref."),
        (httpx.ReadTimeout("slow"), "Crossref did not answer within 10 seconds"),
        (httpx.ConnectError("offline"), "Crossref could not be reached"),
        (httpx.Response(503), "Crossref answered with HTTP 503 3 times"),
    ],
)
def test_a_failing_service_writes_nothing_and_exits_non_zero(
    monkeypatch, answer, message
):
    rec.serve(
        monkeypatch,
        {
            "/works/10.1371/journal.pone.0033693": rec.json_answer(rec.PLOS_WORK),
            "/works/10.1371/notarealdoi": answer,
        },
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported") as exc:
        call_command(
            "import_sources",
            "--doi",
            rec.PLOS_DOI,
            "--doi",
            rec.MISSING_DOI,
            stdout=out,
            stderr=io.StringIO(),
        )
    assert exc.value.returncode == 1
    assert message in out.getvalue()
    assert not Source.objects.exists()


def test_an_invalid_doi_and_a_broken_file_are_both_reported(monkeypatch, tmp_path):
    rec.serve(monkeypatch, {})
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_sources",
            "--doi",
            "10.1038",
            str(FILES / "broken.bib"),
            str(FILES / "missing_fields.ris"),
            str(tmp_path / "absent.ris"),
            stdout=out,
            stderr=io.StringIO(),
        )
    text = out.getvalue()
    assert '"10.1038" is not a DOI' in text
    assert "broken.bib" in text
    assert "has no title" in text
    assert "Cannot read" in text
    assert not Source.objects.exists()


def test_needs_something_to_import():
    with pytest.raises(CommandError, match="at least one"):
        call_command("import_sources")
