"""Saved searches raising new-evidence flags, end to end on recorded answers.

The recorded esearch answer and efetch answer come from different queries
(../shared/fixtures/README.md), so the esearch answer here lists the
efetch's two PMIDs (and one more), and efetch answers only with the
records asked for, as PubMed does. No recorded efetch
holds a randomised trial, so the PubMed candidates here are the two
journal articles PubMed recorded; the randomised trial with posted results
is ClinicalTrials.gov's (tests/evidence/library/ingest/test_clinicaltrials.py).
"""

import datetime
import io
import re

import httpx
import pytest
from django.core.management import CommandError, call_command

from evidence.library.ingest import clinicaltrials
from evidence.living import watch
from evidence.models import (
    CandidateStatus,
    EvidenceCandidate,
    EvidenceFlag,
    FlagReason,
    SavedSearch,
)
from evidence.passages import read_passages
from evidence.review.data import review_states
from evidence.vocab import RetractionStatus
from tests.evidence.conftest import claim_ids, days_later
from tests.evidence.library import recorded_http as rec
from tests.factories import (
    SourceFactory,
    decide,
    make_article,
    paragraph,
    publish_approved,
)

pytestmark = pytest.mark.django_db

ESEARCH = "pubmed/esearch_science_breast_cancer_2008_retmax3.xml"
EFETCH = "pubmed/efetch_11748933_11700088.xml"
TODAY = datetime.date(2026, 12, 7)


# The PMIDs of the recorded efetch answer, and one more the search finds.
EFETCH_PMIDS = ("11748933", "11700088")
SEARCHED = ("19008416", *EFETCH_PMIDS)
XML = {"Content-Type": "text/xml"}


def esearch_listing(pmids=SEARCHED) -> httpx.Response:
    """PubMed's recorded esearch answer listing ``pmids``: no recorded search
    found the recorded efetch's records, so its IdList (and count) are
    replaced; the rest is the answer as PubMed sent it."""
    recorded = rec.body(ESEARCH).decode()
    ids = "".join(f"<Id>{pmid}</Id>\n" for pmid in pmids)
    answer = re.sub(
        r"<IdList>.*?</IdList>", f"<IdList>\n{ids}</IdList>", recorded, flags=re.S
    )
    for tag in ("Count", "RetMax"):
        answer = re.sub(rf"<{tag}>\d+</{tag}>", f"<{tag}>{len(pmids)}</{tag}>", answer)
    return httpx.Response(
        200, content=answer.encode(), headers={"Content-Type": "text/xml"}
    )


def efetch_answer(request: httpx.Request) -> httpx.Response:
    """As PubMed answers efetch: the recorded records of the PMIDs asked for,
    nothing else (a PMID it does not hold is simply absent)."""
    asked = request.url.params["id"].split(",")
    recorded = rec.body(EFETCH).decode()
    head, _, rest = recorded.partition("<PubmedArticle>")
    articles = ["<PubmedArticle>" + part for part in rest.split("<PubmedArticle>")]
    tail = "</PubmedArticleSet>" + articles[-1].rpartition("</PubmedArticleSet>")[2]
    articles[-1] = articles[-1].rpartition("</PubmedArticleSet>")[0]
    kept = [
        article
        for article in articles
        if re.search(r"<PMID[^>]*>(\d+)</PMID>", article).group(1) in asked
    ]
    body = head + "".join(kept) + tail
    return httpx.Response(
        200, content=body.encode(), headers={"Content-Type": "text/xml"}
    )


def pubmed_routes():
    return {"esearch.fcgi": esearch_listing(), "efetch.fcgi": efetch_answer}


def offline_routes():
    error = httpx.ConnectError("[Errno -3] Temporary failure in name resolution")
    return {"eutils.ncbi.nlm.nih.gov": error, "clinicaltrials.gov": error}


@pytest.fixture
def claim_search(live_article, reviewer):
    first = claim_ids(live_article)[0]
    return SavedSearch.objects.create(
        page=live_article,
        block_id=first,
        pubmed_query='"nicotinamide riboside"[tiab]',
        created_by=reviewer,
    )


def test_new_records_flag_exactly_the_claim_the_search_is_on(
    monkeypatch, live_article, claim_search
):
    handler = rec.serve(monkeypatch, pubmed_routes())
    (run,) = watch.check_new_evidence()
    assert not run.failed and run.candidates == 2
    first, second = claim_ids(live_article)
    flags = list(EvidenceFlag.objects.all())
    assert [(f.page_id, f.block_id, f.reason) for f in flags] == [
        (live_article.pk, first, FlagReason.NEW_EVIDENCE)
    ]
    assert flags[0].excerpt == "Oral NR raised blood NAD+ in adults."
    found = EvidenceCandidate.objects.order_by("identifier")
    assert [(c.identifier, c.block_id, c.flag_id) for c in found] == [
        ("11700088", first, flags[0].pk),
        ("11748933", first, flags[0].pk),
    ]
    assert found[1].title.startswith("Is cryopreservation a homogeneous process?")
    assert found[1].published_on == datetime.date(2001, 12, 26)
    assert found[1].record["pmid"] == "11748933"
    claim_search.refresh_from_db()
    assert claim_search.last_checked_on == TODAY
    # The window runs from a year back (first run) to today, frozen.
    params = handler.requests[0].url.params
    assert (params["mindate"], params["maxdate"]) == ("2025/12/07", "2026/12/07")


def test_a_second_run_with_the_same_answer_raises_nothing_new(
    monkeypatch, frozen, live_article, claim_search
):
    rec.serve(monkeypatch, pubmed_routes())
    watch.check_new_evidence()
    days_later(frozen, 1)
    handler = rec.serve(monkeypatch, pubmed_routes())
    (run,) = watch.check_new_evidence()
    assert run.candidates == 0 and run.flags == []
    assert EvidenceFlag.objects.count() == 1
    assert EvidenceCandidate.objects.count() == 2
    # The window now starts where the last one ended; efetch was still asked
    # for the PMIDs nobody has screened (the recorded esearch's three).
    assert handler.requests[0].url.params["mindate"] == "2026/12/07"
    claim_search.refresh_from_db()
    assert claim_search.last_checked_on == datetime.date(2026, 12, 8)


def test_not_relevant_stays_dismissed(
    monkeypatch, frozen, live_article, claim_search, reviewer
):
    rec.serve(monkeypatch, pubmed_routes())
    watch.check_new_evidence()
    flag = EvidenceFlag.objects.get()
    first, second = EvidenceCandidate.objects.order_by("pk")
    assert watch.dismiss_candidate(first, reviewer) is False  # one still open
    assert watch.dismiss_candidate(second, reviewer) is True
    flag.refresh_from_db()
    assert flag.closed_at is not None and flag.closed_by == reviewer
    days_later(frozen, 1)
    rec.serve(monkeypatch, pubmed_routes())
    (run,) = watch.check_new_evidence()
    assert run.candidates == 0
    assert not EvidenceFlag.objects.filter(closed_at__isnull=True).exists()
    assert set(EvidenceCandidate.objects.values_list("status", flat=True)) == {
        CandidateStatus.NOT_RELEVANT
    }
    with pytest.raises(watch.CandidateRefused):
        watch.dismiss_candidate(first, reviewer)


def test_a_service_error_changes_nothing_and_says_so(
    monkeypatch, live_article, claim_search
):
    rec.serve(monkeypatch, {"esearch.fcgi": httpx.Response(503, text="busy")})
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("check_new_evidence", stdout=out, stderr=io.StringIO())
    assert failure.value.returncode == 1
    assert "PubMed answered with HTTP 503" in out.getvalue()
    assert "1 failed" in str(failure.value)
    assert not EvidenceFlag.objects.exists()
    assert not EvidenceCandidate.objects.exists()
    claim_search.refresh_from_db()
    assert claim_search.last_checked_on is None


def test_an_efetch_failure_after_a_good_esearch_writes_nothing(
    monkeypatch, live_article, claim_search
):
    rec.serve(
        monkeypatch,
        {
            "esearch.fcgi": esearch_listing(),
            "efetch.fcgi": httpx.ReadTimeout("slow"),
        },
    )
    (run,) = watch.check_new_evidence()
    assert run.failed and run.error.unreachable
    assert "PubMed did not answer in time" in str(run.error)
    assert not EvidenceCandidate.objects.exists()
    claim_search.refresh_from_db()
    assert claim_search.last_checked_on is None


def test_offline_the_command_says_the_service_could_not_be_reached(
    monkeypatch, live_article, claim_search
):
    rec.serve(monkeypatch, offline_routes())
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("check_new_evidence", stdout=out, stderr=io.StringIO())
    assert failure.value.returncode == 1
    assert "PubMed could not be reached (ConnectError)" in out.getvalue()
    assert "could not be reached: check the network" in str(failure.value)


def test_records_already_in_the_library_are_skipped(
    monkeypatch, live_article, claim_search
):
    SourceFactory(title="By PMID", pmid="19008416")  # from the esearch answer
    SourceFactory(title="By DOI", doi="10.1006/cryo.2001.2328")  # efetch record
    handler = rec.serve(monkeypatch, pubmed_routes())
    (run,) = watch.check_new_evidence()
    fetch = [r for r in handler.requests if "efetch" in r.url.path][0]
    assert fetch.url.params["id"] == "11748933,11700088"
    assert [c.identifier for c in EvidenceCandidate.objects.all()] == ["11700088"]
    assert run.candidates == 1


def test_a_search_on_a_source_flags_every_live_claim_citing_it(
    monkeypatch, live_article, nr_trial, article_index, writer, reviewer, editor
):
    other = publish_approved(
        make_article(
            article_index,
            owner=writer,
            body=[paragraph("NR is safe at 1 g a day.", sources=[nr_trial])],
        ),
        reviewer,
        editor,
    )
    make_article(  # a draft citing it: not live, not flagged
        article_index, owner=writer, body=[paragraph("Draft.", sources=[nr_trial])]
    )
    SavedSearch.objects.create(source=nr_trial, pubmed_query="nicotinamide riboside")
    rec.serve(monkeypatch, pubmed_routes())
    (run,) = watch.check_new_evidence()
    flagged = set(EvidenceFlag.objects.values_list("page_id", "block_id"))
    assert flagged == {
        *((live_article.pk, b) for b in claim_ids(live_article)),
        (other.pk, claim_ids(other)[0]),
    }
    assert run.candidates == 6  # two records for each of three claims


def test_a_search_whose_page_is_not_live_is_skipped_untouched(
    monkeypatch, live_article, claim_search
):
    live_article.unpublish()
    handler = rec.serve(monkeypatch, pubmed_routes())
    (run,) = watch.check_new_evidence()
    assert run.skipped and handler.requests == []
    claim_search.refresh_from_db()
    assert claim_search.last_checked_on is None


def test_trials_with_results_posted_flag_the_claim(
    monkeypatch, live_article, claim_search
):
    claim_search.pubmed_query = ""
    claim_search.trials_query = "Phelan-McDermid Syndrome"
    claim_search.save()
    monkeypatch.setattr(clinicaltrials, "MAX_RECORDS", 5)
    handler = rec.serve(
        monkeypatch,
        {
            "clinicaltrials.gov/api/v2/studies": rec.json_answer(
                "clinicaltrials/studies_phelan_mcdermid_page1.json"
            )
        },
    )
    monkeypatch.setattr(clinicaltrials, "_limiter", _NoWait())
    (run,) = watch.check_new_evidence()
    assert not run.failed, run.error
    assert run.candidates == 5
    oxytocin = EvidenceCandidate.objects.get(identifier="NCT02710084")
    assert oxytocin.registry == "clinicaltrials"
    assert oxytocin.sample_size == 18
    assert oxytocin.url == "https://clinicaltrials.gov/study/NCT02710084"
    assert handler.requests[0].url.params["filter.advanced"] == (
        "AREA[ResultsFirstPostDate]RANGE[2025-12-07,2026-12-07]"
    )
    assert EvidenceFlag.objects.count() == 1


class _NoWait:
    def wait(self, sleep=None):
        return 0


def test_a_retraction_flags_every_live_claim_citing_the_source(live_article, nr_trial):
    nr_trial.retraction_status = RetractionStatus.RETRACTED
    nr_trial.save()
    flags = EvidenceFlag.objects.order_by("pk")
    assert [(f.block_id, f.reason, f.source_id) for f in flags] == [
        (b, FlagReason.RETRACTED, nr_trial.pk) for b in claim_ids(live_article)
    ]
    nr_trial.title = "Edited again"
    nr_trial.save()
    assert EvidenceFlag.objects.count() == 2  # not raised twice


def test_a_correction_raises_the_same_kind_of_flag(live_article, nr_trial):
    nr_trial.retraction_status = RetractionStatus.CORRECTION
    nr_trial.save()
    assert set(EvidenceFlag.objects.values_list("reason", flat=True)) == {
        FlagReason.CORRECTED
    }


def test_a_reviewers_decision_on_the_claim_closes_its_flag(
    monkeypatch, frozen, live_article, claim_search, second_reviewer
):
    rec.serve(monkeypatch, pubmed_routes())
    watch.check_new_evidence()
    days_later(frozen, 2)
    first = claim_ids(live_article)[0]
    decision = decide(live_article, first, second_reviewer, "approve")
    flag = EvidenceFlag.objects.get()
    assert flag.closed_at is not None
    assert flag.closing_decision == decision
    assert set(flag.candidates.values_list("status", flat=True)) == {
        CandidateStatus.REVIEWED
    }


def test_import_as_source_and_cite_adds_the_citation_in_a_new_draft(
    monkeypatch, live_article, claim_search, second_reviewer
):
    rec.serve(monkeypatch, pubmed_routes())
    watch.check_new_evidence()
    cryo = EvidenceCandidate.objects.get(identifier="11748933")
    source, revision = watch.import_and_cite(cryo, second_reviewer, "contradicts")
    assert source.pmid == "11748933" and source.doi == "10.1006/cryo.2001.2328"
    live_article.refresh_from_db()
    assert live_article.has_unpublished_changes
    draft = revision.as_object()
    first = claim_ids(live_article)[0]
    states = review_states(draft)
    assert states[first].status == "changed_since_approval"
    cited = [
        (c.source_id, c.stance)
        for p in read_passages(draft)
        if p.block_id == first
        for c in p.citations
    ]
    assert (source.pk, "contradicts") in cited
    cryo.refresh_from_db()
    assert cryo.status == CandidateStatus.IMPORTED and cryo.imported_source == source
    assert EvidenceFlag.objects.get().closed_at is None  # one candidate left


def test_enqueue_runs_the_task_on_the_retractions_backend(
    monkeypatch, live_article, claim_search
):
    rec.serve(monkeypatch, pubmed_routes())
    out = io.StringIO()
    call_command("check_new_evidence", "--enqueue", stdout=out)
    assert 'on the "retractions" backend' in out.getvalue()
    assert EvidenceCandidate.objects.count() == 2


def test_only_the_records_asked_for_become_candidates(
    monkeypatch, live_article, claim_search
):
    # PubMed answers efetch with a record the search never found (the
    # recorded answer as it is) and without one it did: only the asked-for
    # record is screened, and the missing one is said.
    rec.serve(
        monkeypatch,
        {
            "esearch.fcgi": esearch_listing(("11700088", "19008416")),
            "efetch.fcgi": rec.xml_answer(EFETCH),
        },
    )
    (run,) = watch.check_new_evidence()
    assert [c.identifier for c in EvidenceCandidate.objects.all()] == ["11700088"]
    assert "PubMed sent no record for PMID 19008416." in run.notes
