"""Living evidence in the admin: the review screen, the report, the panel."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from evidence.living import watch
from evidence.models import (
    CandidateStatus,
    EvidenceCandidate,
    EvidenceFlag,
    ReviewSchedule,
    SavedSearch,
)
from tests.evidence.conftest import claim_ids
from tests.evidence.library import recorded_http as rec
from tests.evidence.living.test_watch import pubmed_routes
from tests.factories import make_article, paragraph, publish_approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(monkeypatch, live_article, reviewer):
    SavedSearch.objects.create(
        page=live_article,
        block_id=claim_ids(live_article)[0],
        pubmed_query="nicotinamide riboside",
    )
    rec.serve(monkeypatch, pubmed_routes())
    watch.check_new_evidence()
    return live_article


def test_the_review_screen_lists_candidates_beside_the_claim(
    client, flagged, second_reviewer
):
    client.force_login(second_reviewer)
    response = client.get(reverse("evidence_review:page", args=[flagged.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "New evidence found for this claim" in html
    assert "Is cryopreservation a homogeneous process?" in html
    assert "Import as Source and cite" in html and "Not relevant" in html
    assert "Re-review the claim" in html
    assert "Next review due 7 December 2027" in html
    assert "1 re-review flag is open" in html


def test_not_relevant_from_the_screen_is_recorded(client, flagged, second_reviewer):
    client.force_login(second_reviewer)
    candidate = EvidenceCandidate.objects.get(identifier="11748933")
    url = reverse("evidence_living:candidate", args=[candidate.pk, "dismiss"])
    response = client.post(url)
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.NOT_RELEVANT
    assert candidate.decided_by == second_reviewer
    page = client.get(reverse("evidence_review:page", args=[flagged.pk]))
    assert "pubmed.ncbi.nlm.nih.gov/11748933/" not in page.content.decode()
    assert "pubmed.ncbi.nlm.nih.gov/11700088/" in page.content.decode()


def test_import_and_cite_from_the_screen(client, flagged, second_reviewer):
    client.force_login(second_reviewer)
    candidate = EvidenceCandidate.objects.get(identifier="11700088")
    url = reverse("evidence_living:candidate", args=[candidate.pk, "import"])
    client.post(url, {"stance": "mentions"})
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.IMPORTED
    assert candidate.imported_source.pmid == "11700088"


def test_writers_cannot_decide_on_candidates(client, flagged, writer_in_group):
    client.force_login(writer_in_group)
    candidate = EvidenceCandidate.objects.first()
    url = reverse("evidence_living:candidate", args=[candidate.pk, "dismiss"])
    response = client.post(url)
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    assert (response.status_code, response.url) == (302, "/admin/")
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN


def test_reconfirm_from_the_screen_is_refused_while_flags_are_open(
    client, flagged, second_reviewer
):
    client.force_login(second_reviewer)
    url = reverse("evidence_living:reconfirm", args=[flagged.pk])
    response = client.post(url, follow=True)
    assert "re-review flags are open" in response.content.decode()


def test_reconfirm_from_the_screen(client, frozen, live_article, second_reviewer):
    frozen.shift(datetime.timedelta(days=300))
    client.force_login(second_reviewer)
    url = reverse("evidence_living:reconfirm", args=[live_article.pk])
    response = client.post(url, follow=True)
    assert "Re-confirmed without changes" in response.content.decode()
    assert ReviewSchedule.objects.get(page=live_article).next_review_due == (
        datetime.date(2028, 10, 3)
    )


def test_a_saved_search_is_suggested_and_saved_for_a_claim(
    client, live_article, second_reviewer
):
    client.force_login(second_reviewer)
    block = claim_ids(live_article)[1]
    url = reverse("evidence_living:search", args=[live_article.pk, block])
    form = client.get(url).content.decode()
    assert "&quot;nicotinamide riboside&quot;[tiab]" in form
    client.post(url, {"pubmed_query": '"nicotinamide riboside"[tiab]'})
    search = SavedSearch.objects.get()
    assert (search.page_id, search.block_id) == (live_article.pk, block)


def test_the_suggested_search_uses_the_cited_sources_mesh_headings(
    client, live_article, nr_trial, second_reviewer
):
    nr_trial.mesh_terms = ["Humans", "NAD", "Niacinamide/analogs & derivatives"]
    nr_trial.save()
    client.force_login(second_reviewer)
    block = claim_ids(live_article)[0]
    url = reverse("evidence_living:search", args=[live_article.pk, block])
    form = client.get(url).content.decode()
    # "Humans" is a check tag, not a topic: left out.
    assert (
        "&quot;nicotinamide riboside&quot;[tiab] AND (&quot;NAD&quot;[mh] OR "
        "&quot;Niacinamide/analogs &amp; derivatives&quot;[mh])"
    ) in form


def test_the_articles_own_interval(client, live_article, editor):
    client.force_login(editor)
    url = reverse("evidence_living:schedule", args=[live_article.pk])
    client.post(url, {"interval_months": "6"})
    assert ReviewSchedule.objects.get(page=live_article).next_review_due == (
        datetime.date(2027, 6, 7)
    )
    assert client.post(url, {"interval_months": "0"}).status_code == 200


def _many(count, article_index, writer, reviewer, editor, nr_trial):
    for i in range(count):
        publish_approved(
            make_article(
                article_index,
                owner=writer,
                body=[paragraph(f"Claim {i}.", sources=[nr_trial])],
            ),
            reviewer,
            editor,
        )


def test_the_report_lists_filters_and_exports(client, flagged, editor):
    client.force_login(editor)
    url = reverse("evidence_living_report")
    html = client.get(url).content.decode()
    assert "Oral NR and NAD+" in html and "Medical review schedule" in html
    assert "Oral NR and NAD+" in client.get(url, {"due": "flagged"}).content.decode()
    assert (
        "Oral NR and NAD+" not in client.get(url, {"due": "overdue"}).content.decode()
    )
    exported = client.get(url, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert rows[0] == [
        "Article",
        "Path",
        "Last reviewed",
        "Next due",
        "Reviewer",
        "Interval (months)",
        "Open re-review flags",
    ]
    assert rows[1][0] == "Oral NR and NAD+" and rows[1][3] == "2027-12-07"
    assert rows[1][5] == "12" and rows[1][6] == "1"
    xlsx = client.get(url, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.cell(2, 1).value == "Oral NR and NAD+"


def test_writers_do_not_see_the_report(client, live_article, writer_in_group):
    client.force_login(writer_in_group)
    response = client.get(reverse("evidence_living_report"))
    assert (response.status_code, response.url) == (302, "/admin/")


@pytest.mark.parametrize("count", [1, 5])
def test_report_and_panel_queries_do_not_grow_with_articles(
    count,
    client,
    frozen,
    article_index,
    writer,
    reviewer,
    editor,
    nr_trial,
    django_assert_num_queries,
):
    _many(count, article_index, writer, reviewer, editor, nr_trial)
    EvidenceFlag.objects.bulk_create(
        EvidenceFlag(page_id=s.page_id, block_id="x", reason="new_evidence")
        for s in ReviewSchedule.objects.all()
    )
    client.force_login(editor)
    client.get(reverse("evidence_living_report"))  # warm the session and settings
    # 17 with the admin's own (session, user, permissions, menu); one for
    # the count and one for the rows, whatever the number of articles.
    with django_assert_num_queries(17):
        client.get(reverse("evidence_living_report"))
    from django.test import RequestFactory

    from evidence.admin.living import LivingEvidencePanel

    request = RequestFactory().get("/admin/")
    request.user = editor
    with django_assert_num_queries(6):
        LivingEvidencePanel().get_context_data({"request": request})
