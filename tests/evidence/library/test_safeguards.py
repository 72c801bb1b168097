"""Evidence may not be weakened quietly (issue 12, rule 6)."""

import pytest
from django.db import transaction
from django.urls import reverse
from wagtail.models import ModelLogEntry

from evidence.library.safeguards import (
    EVIDENCE_CHANGE_LOG_ACTION,
    EvidenceChangeRefused,
    SourceInUse,
)
from evidence.models import Source
from evidence.vocab import Grade, Population, RetractionStatus, StudyDesign
from tests.api.conftest import client_for
from tests.factories import SourceFactory, make_article, paragraph

pytestmark = pytest.mark.django_db


@pytest.fixture
def retracted():
    return SourceFactory(retraction_status=RetractionStatus.RETRACTED)


@pytest.fixture
def confirmed(reviewer):
    return SourceFactory(grade=Grade.B, grade_confirmed_by=reviewer)


def test_evidence_version_counts_every_change_even_back_again():
    source = SourceFactory(grade=Grade.B)
    assert source.evidence_version == 1
    source.title = "Another title"
    source.save()
    assert Source.objects.get(pk=source.pk).evidence_version == 1
    source.grade = Grade.C
    source.save(update_fields=["grade"])
    source.grade = Grade.B
    source.save()
    assert Source.objects.get(pk=source.pk).evidence_version == 3


def test_lowering_a_retraction_from_code_is_refused(retracted):
    retracted.retraction_status = RetractionStatus.NONE
    with pytest.raises(EvidenceChangeRefused):
        retracted.save()
    assert Source.objects.get(pk=retracted.pk).is_retracted


def test_raising_a_retraction_needs_no_reviewer(confirmed):
    confirmed.retraction_status = RetractionStatus.EXPRESSION_OF_CONCERN
    confirmed.save()
    assert confirmed.evidence_version == 2


def test_editor_cannot_lower_a_retraction_through_the_api(retracted, editor):
    response = client_for(editor).patch(
        f"/api/v1/sources/{retracted.pk}/",
        {"retraction_status": "none", "evidence_change_note": "Looks fine."},
        format="json",
    )
    assert response.status_code == 400
    assert "medical reviewer" in response.json()["evidence_change_note"][0]
    assert Source.objects.get(pk=retracted.pk).is_retracted


def test_reviewer_lowers_a_retraction_with_a_note_and_it_is_logged(retracted, reviewer):
    client = client_for(reviewer)
    url = f"/api/v1/sources/{retracted.pk}/"
    without_note = client.patch(url, {"retraction_status": "none"}, format="json")
    assert without_note.status_code == 400
    assert "Say why" in without_note.json()["evidence_change_note"][0]
    response = client.patch(
        url,
        {
            "retraction_status": "none",
            "evidence_change_note": "The notice was for a different paper.",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["evidence_version"] == 2
    entry = ModelLogEntry.objects.get(action=EVIDENCE_CHANGE_LOG_ACTION)
    assert entry.user == reviewer
    assert entry.data["note"] == "The notice was for a different paper."
    assert entry.data["changes"] == [
        {"field": "retraction_status", "before": "retracted", "after": "none"}
    ]


def source_form(source, **changes) -> dict:
    data = {
        "title": source.title,
        "authors": source.authors,
        "journal": source.journal,
        "year": source.year,
        "doi": source.doi,
        "study_design": source.study_design,
        "population": source.population,
        "sample_size": source.sample_size or "",
        "intervention": source.intervention,
        "route": source.route,
        "grade": source.grade,
        "retraction_status": source.retraction_status,
        "evidence_change_note": "",
    }
    data.update(changes)
    return data


def edit(client, source, **changes):
    url = reverse("wagtailsnippets_evidence_source:edit", args=[source.pk])
    return client.post(url, source_form(source, **changes))


def test_editor_cannot_change_a_confirmed_grade_in_the_form(client, confirmed, editor):
    client.force_login(editor)
    response = edit(client, confirmed, grade=Grade.A, evidence_change_note="Better.")
    assert response.status_code == 200
    errors = response.context["form"].errors["evidence_change_note"]
    assert "Only a medical reviewer" in errors[0]
    assert Source.objects.get(pk=confirmed.pk).grade == Grade.B


def test_reviewer_changes_a_confirmed_grade_with_a_note(
    client, confirmed, second_reviewer
):
    client.force_login(second_reviewer)
    assert edit(client, confirmed, grade=Grade.C).status_code == 200
    response = edit(
        client, confirmed, grade=Grade.C, evidence_change_note="High risk of bias."
    )
    assert response.status_code == 302
    source = Source.objects.get(pk=confirmed.pk)
    assert source.grade == Grade.C
    assert source.grade_confirmed_by == second_reviewer
    assert ModelLogEntry.objects.filter(
        action=EVIDENCE_CHANGE_LOG_ACTION, object_id=str(source.pk)
    ).exists()


def test_changed_study_facts_leave_a_confirmed_grade_unconfirmed(
    client, confirmed, editor
):
    client.force_login(editor)
    response = edit(
        client,
        confirmed,
        study_design=StudyDesign.IN_VITRO,
        population=Population.CELL,
    )
    assert response.status_code == 302
    source = Source.objects.get(pk=confirmed.pk)
    assert source.grade == Grade.B
    assert not source.grade_is_confirmed
    assert source.reader_grade == ""


@pytest.fixture
def live_citing(article_index, writer, reviewer, editor):
    from evidence.gate.publish import publish_latest
    from tests.factories import approve

    source = SourceFactory()
    page = make_article(article_index, body=[paragraph(sources=[source])], owner=writer)
    approve(page, reviewer)
    publish_latest(page, editor)
    return source, page


def test_a_source_cited_by_a_live_page_is_not_deleted_from_code(live_citing):
    source, page = live_citing
    # Like a database constraint, the refusal ends the transaction it ran in.
    with pytest.raises(SourceInUse) as refused, transaction.atomic():
        source.delete()
    assert [p.pk for p in refused.value.pages] == [page.pk]
    assert Source.objects.filter(pk=source.pk).exists()


def test_the_delete_screen_names_the_live_pages(client, live_citing, editor):
    source, page = live_citing
    client.force_login(editor)
    url = reverse("wagtailsnippets_evidence_source:delete", args=[source.pk])
    response = client.post(url, follow=True)
    shown = " ".join(str(m) for m in response.context["messages"])
    assert f"“{page.title}”" in shown and "merge" in shown
    assert Source.objects.filter(pk=source.pk).exists()


def test_bulk_delete_keeps_a_cited_source(client, live_citing, editor):
    source, _page = live_citing
    unused = SourceFactory()
    client.force_login(editor)
    url = (
        reverse("wagtail_bulk_action", args=("evidence", "source", "delete"))
        + f"?id={source.pk}&id={unused.pk}"
    )
    client.post(url)
    assert Source.objects.filter(pk=source.pk).exists()


def test_a_source_cited_only_by_drafts_can_be_deleted(article_index, writer):
    source = SourceFactory()
    make_article(article_index, body=[paragraph(sources=[source])], owner=writer)
    source.delete()
    assert not Source.objects.filter(pk=source.pk).exists()
