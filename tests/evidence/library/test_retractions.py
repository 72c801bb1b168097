"""Retraction checks, and a retraction flowing to the dashboard and the gate."""

import datetime
import io

import httpx
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from evidence.gate import PublishBlocked, publish_problems
from evidence.gate.publish import publish_latest
from evidence.library import retractions
from evidence.models import RateSlot, Source
from evidence.vocab import RetractionStatus
from tests.evidence.library import recorded_http as rec
from tests.factories import SourceFactory, approve, make_article, paragraph, study

pytestmark = pytest.mark.django_db


@pytest.fixture
def wakefield():
    """The Wakefield paper as the library held it before anyone checked."""
    return SourceFactory(
        title="Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and "
        "pervasive developmental disorder in children",
        authors="Wakefield AJ, Murch SH, Anthony A",
        journal="The Lancet",
        year=1998,
        doi=rec.WAKEFIELD_DOI,
    )


def test_crossref_updated_by_and_update_to_mark_the_paper_retracted(
    monkeypatch, wakefield
):
    handler = rec.serve(monkeypatch, rec.wakefield_routes())
    check = retractions.check_source(wakefield)
    wakefield.refresh_from_db()
    assert (check.before, check.after) == ("none", "retracted")
    assert wakefield.retraction_status == RetractionStatus.RETRACTED
    assert wakefield.retraction_date == datetime.date(2010, 2, 6)
    assert wakefield.retraction_notice_url == (
        "https://doi.org/10.1016/s0140-6736(10)60175-4"
    )
    assert wakefield.retraction_checked_at is not None
    paths = [r.url.path for r in handler.requests]
    assert paths == ["/works/10.1016/s0140-6736(97)11096-0", "/works"]
    assert "updates:10.1016/s0140-6736(97)11096-0" in str(
        handler.requests[1].url.params["filter"]
    )


def test_update_to_notices_alone_are_enough(monkeypatch, wakefield):
    """A work whose own record carries no updated-by is still caught by the
    notices that name it (update-to)."""
    clean_work = (
        rec.body(rec.WAKEFIELD_WORK)
        .replace(b'"updated-by"', b'"ignored"')
        .replace(b"RETRACTED: ", b"")  # the title alone would say so
    )
    rec.serve(
        monkeypatch,
        {
            "filter=updates:": rec.json_answer(rec.WAKEFIELD_UPDATES),
            "/works/": httpx.Response(200, content=clean_work),
        },
    )
    check = retractions.check_source(wakefield)
    assert check.after == RetractionStatus.RETRACTED
    assert {n.source for n in check.notices} == {"retraction-watch"}


def test_pubmed_retracted_publication_type(monkeypatch):
    source = SourceFactory(doi="", pmid=rec.RETRACTED_PMID)
    rec.serve(monkeypatch, {"&id=993&": rec.xml_answer(rec.RETRACTED_EFETCH)})
    check = retractions.check_source(source)
    source.refresh_from_db()
    assert check.changed
    assert source.retraction_status == RetractionStatus.RETRACTED
    assert source.retraction_notice_url == "https://pubmed.ncbi.nlm.nih.gov/195582/"
    # The efetch took a slot of the NCBI rate every process shares.
    assert RateSlot.objects.filter(name="ncbi").count() == 1


def test_a_check_never_lowers_a_status_and_says_so(monkeypatch):
    source = SourceFactory(
        doi=rec.SREP_DOI, retraction_status=RetractionStatus.EXPRESSION_OF_CONCERN
    )
    rec.serve(
        monkeypatch,
        {
            "filter=updates:": rec.empty_updates(),
            "/works/10.1038/srep16696": rec.json_answer(rec.SREP_WORK),
        },
    )
    check = retractions.check_source(source)
    source.refresh_from_db()
    assert source.retraction_status == RetractionStatus.EXPRESSION_OF_CONCERN
    assert not check.changed
    assert "left as it is" in check.note
    assert source.retraction_checked_at is not None


def test_a_failing_service_changes_nothing(monkeypatch, wakefield):
    rec.serve(monkeypatch, {"/works": httpx.ConnectError("offline")})
    check = retractions.check_source(wakefield)
    wakefield.refresh_from_db()
    assert check.failed and "could not be reached" in check.error
    assert wakefield.retraction_status == RetractionStatus.NONE
    assert wakefield.retraction_checked_at is None


def test_sources_due_skips_recent_checks_and_sources_without_identifiers():
    recent = SourceFactory(retraction_checked_at=timezone.now())
    stale = SourceFactory(
        retraction_checked_at=timezone.now() - datetime.timedelta(days=30)
    )
    never = SourceFactory()
    SourceFactory(doi="", pmid="")
    assert set(retractions.sources_due(7)) == {stale, never}
    assert set(retractions.sources_due(None)) == {recent, stale, never}


def test_command_reports_progress_and_changes(monkeypatch, wakefield):
    rec.serve(monkeypatch, rec.wakefield_routes())
    out, err = io.StringIO(), io.StringIO()
    call_command("check_retractions", "--all", stdout=out, stderr=err)
    assert "1/1 checking" in err.getvalue()
    assert "none -> retracted" in out.getvalue()
    assert "1 checked, 1 changed, 0 failed." in out.getvalue()


def test_command_exits_non_zero_when_a_check_fails(monkeypatch, wakefield):
    rec.serve(monkeypatch, {"/works": httpx.ReadTimeout("slow")})
    out = io.StringIO()
    with pytest.raises(CommandError, match="0 checked, 0 changed, 1 failed") as exc:
        call_command("check_retractions", stdout=out, stderr=io.StringIO())
    assert exc.value.returncode == 1
    assert "did not answer" in out.getvalue()


def test_enqueue_runs_the_task_on_the_retractions_backend(monkeypatch, wakefield):
    rec.serve(monkeypatch, rec.wakefield_routes())
    out = io.StringIO()
    call_command("check_retractions", "--enqueue", stdout=out)
    assert 'on the "retractions" backend' in out.getvalue()
    assert retractions.check_retractions_task.backend == "retractions"
    wakefield.refresh_from_db()  # the test settings run tasks inline
    assert wakefield.is_retracted


def test_the_task_returns_a_summary(monkeypatch, wakefield):
    rec.serve(monkeypatch, rec.wakefield_routes())
    result = retractions.check_retractions_task.call(stale_days=None)
    assert result == {
        "checked": 1,
        "changed": [{"source": wakefield.pk, "before": "none", "after": "retracted"}],
        "failed": [],
    }


def test_a_retraction_reaches_the_dashboard_the_page_and_the_gate(
    client,
    monkeypatch,
    article_index,
    wakefield,
    writer_in_group,
    reviewer,
    editor,
    django_capture_on_commit_callbacks,
):
    """Published while the paper stood; after the check finds the retraction
    the dashboard lists the article, its reference list warns readers, and
    the claims resting only on the paper fail the gate at the next publish."""
    other = SourceFactory(doi="")  # not checked: no DOI or PMID
    page = make_article(
        article_index,
        owner=writer_in_group,
        body=[
            paragraph("Vaccines cause colitis in children.", sources=[wakefield]),
            paragraph("NAD+ levels fall with age.", sources=[other, wakefield]),
            study(wakefield, text="Twelve children were described."),
        ],
    )
    approve(page, reviewer)
    publish_latest(page, editor)
    page.refresh_from_db()
    assert page.live
    assert retractions.live_pages_citing_retracted_sources() == []
    before = client.get(page.url)  # a reader's visit stores a cached copy
    assert "retracted" not in before.text.lower()

    rec.serve(monkeypatch, rec.wakefield_routes())
    # Cached copies are dropped when the check's changes commit.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("check_retractions", stdout=io.StringIO(), stderr=io.StringIO())

    (flagged,) = retractions.live_pages_citing_retracted_sources()
    assert flagged.page.pk == page.pk
    assert flagged.sources == [Source.objects.get(pk=wakefield.pk)]

    client.force_login(editor)
    dashboard = client.get("/admin/").content.decode()
    section = dashboard.split("Live articles citing a retracted source")[1]
    assert page.title in section.split("</section>")[0]

    client.logout()
    public = client.get(page.url)
    assert public.status_code == 200
    assert "This paper has been retracted; do not rely on it." in public.text
    assert "https://doi.org/10.1016/s0140-6736(10)60175-4" in public.text

    version = page.get_latest_revision_as_object()
    problems = publish_problems(version)
    retracted = [p for p in problems if p.rule == "retracted_source"]
    assert [p.position for p in retracted] == [1, 3]
    with pytest.raises(PublishBlocked):
        publish_latest(page, editor)


def test_dashboard_helper_ignores_drafts_and_unretracted_sources(
    article_index, writer, wakefield
):
    wakefield.retraction_status = RetractionStatus.RETRACTED
    wakefield.save()
    make_article(article_index, owner=writer, body=[paragraph(sources=[wakefield])])
    assert retractions.live_pages_citing_retracted_sources() == []


def test_every_retraction_status_has_one_severity():
    """Imports, merges and retraction checks rank statuses by one table."""
    from evidence.vocab import RETRACTION_SEVERITY, RetractionStatus

    assert set(RETRACTION_SEVERITY) == set(RetractionStatus.values)
    assert sorted(RETRACTION_SEVERITY, key=RETRACTION_SEVERITY.get) == [
        "none",
        "correction",
        "expression_of_concern",
        "retracted",
    ]
