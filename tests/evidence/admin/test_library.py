"""The source library's admin screens, used as an editor would use them."""

import re

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.library.ingest.records import SOURCE_FIELDS
from evidence.models import Source
from evidence.vocab import Grade, RetractionStatus
from tests.evidence.library import recorded_http as rec
from tests.factories import SourceFactory, make_article, paragraph

pytestmark = pytest.mark.django_db

ADD = reverse("evidence_library:add_by_identifier")
IMPORT = reverse("evidence_library:import_file")
LISTING = reverse("wagtailsnippets_evidence_source:list")


def batch_from(response) -> str:
    match = re.search(rb'name="batch" value="([^"]+)"', response.content)
    assert match, "the preview has no confirmation form"
    return match.group(1).decode()


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_listing_offers_the_library_buttons_to_writers(client, writer_in_group):
    client.force_login(writer_in_group)
    page = text(client.get(LISTING))
    assert "Add by DOI or PMID" in page and ADD in page
    assert "Import file" in page and IMPORT in page


def test_add_by_doi_previews_then_imports(client, writer_in_group, monkeypatch):
    rec.serve(monkeypatch, rec.wakefield_routes())
    client.force_login(writer_in_group)
    assert client.get(ADD).status_code == 200
    preview = client.post(ADD, {"identifiers": f"doi:{rec.WAKEFIELD_DOI}"})
    assert preview.status_code == 200
    assert "What this import will do" in text(preview)
    assert "New source" in text(preview)
    assert "A reviewer must still set: study design, population" in text(preview)
    assert not Source.objects.exists()

    done = client.post(ADD, {"batch": batch_from(preview)})
    assert done.status_code == 302 and done.url == LISTING
    source = Source.objects.get()
    assert source.doi == "10.1016/s0140-6736(97)11096-0"
    assert source.retraction_status == RetractionStatus.RETRACTED
    assert source.grade_confirmed_at is None
    listing = text(client.get(done.url))
    assert "Imported: 1 created" in listing


def test_add_by_pmid_updates_an_existing_source(client, writer_in_group, monkeypatch):
    existing = SourceFactory(doi="10.1126/science.adh8285", title="Sleep")
    rec.serve(monkeypatch, {"&id=37883555&": rec.xml_answer(rec.SLEEP_EFETCH)})
    client.force_login(writer_in_group)
    preview = client.post(ADD, {"identifiers": "PMID: 37883555"})
    assert "Update" in text(preview)
    client.post(ADD, {"batch": batch_from(preview)})
    existing.refresh_from_db()
    assert existing.pmid == "37883555"
    assert existing.title == "Sleep and the hypothalamus"
    assert Source.objects.count() == 1


def test_unknown_identifiers_are_refused_in_the_form(client, writer_in_group):
    client.force_login(writer_in_group)
    response = client.post(ADD, {"identifiers": "10.1038, banana"})
    page = text(response)
    assert "These are neither DOIs nor PMIDs: 10.1038, banana." in page
    assert 'name="batch"' not in page


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (rec.not_found(), "DOI 10.1371/notarealdoi was not found at Crossref."),
        (httpx.ReadTimeout("slow"), "Crossref did not answer within 10 seconds"),
    ],
)
def test_a_failing_lookup_shows_the_reason_and_offers_no_import(
    client, writer_in_group, monkeypatch, answer, message
):
    rec.serve(monkeypatch, {"/works/": answer})
    client.force_login(writer_in_group)
    response = client.post(ADD, {"identifiers": rec.MISSING_DOI})
    page = text(response)
    assert "Nothing can be imported yet" in page
    assert message in page
    assert 'name="batch"' not in page
    assert 'role="alert"' in page


def test_import_file_previews_then_imports(client, writer_in_group):
    client.force_login(writer_in_group)
    upload = SimpleUploadedFile("zotero.bib", rec.body("files/library.bib"))
    preview = client.post(IMPORT, {"file": upload})
    assert preview.status_code == 200
    assert "3 created" in text(preview)
    assert not Source.objects.exists()
    client.post(IMPORT, {"batch": batch_from(preview)})
    assert Source.objects.count() == 3


def test_an_altered_preview_imports_nothing(client, writer_in_group):
    client.force_login(writer_in_group)
    upload = SimpleUploadedFile("zotero.bib", rec.body("files/library.bib"))
    batch = batch_from(client.post(IMPORT, {"file": upload}))
    response = client.post(IMPORT, {"batch": batch[:-3] + "abc"}, follow=True)
    assert "was altered; nothing was imported" in text(response)
    assert not Source.objects.exists()


def test_import_of_a_broken_file_lists_its_problems(client, writer_in_group):
    client.force_login(writer_in_group)
    upload = SimpleUploadedFile("broken.ris", rec.body("files/missing_fields.ris"))
    page = text(client.post(IMPORT, {"file": upload}))
    assert "broken.ris" in page and "has no title" in page
    assert not Source.objects.exists()


def test_people_who_cannot_add_sources_are_kept_out(client, writer):
    writer.is_staff = True
    writer.save()
    client.force_login(writer)
    assert client.get(ADD).status_code in (302, 403)
    assert client.post(IMPORT).status_code in (302, 403)


def test_reviewer_confirms_a_suggested_grade(client, reviewer):
    source = SourceFactory(grade=Grade.B)
    client.force_login(reviewer)
    edit = text(
        client.get(reverse("wagtailsnippets_evidence_source:edit", args=[source.pk]))
    )
    url = reverse("evidence_library:confirm_grade", args=[source.pk])
    assert url in edit
    assert "Confirm this grade" in text(client.get(url))
    response = client.post(url)
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.grade_confirmed_by == reviewer


def test_the_listing_filters_grades_awaiting_a_reviewer(client, reviewer):
    from evidence.library.grades import confirm_grade

    waiting = SourceFactory(title="Suggested grade", grade=Grade.B)
    confirm_grade(SourceFactory(title="Confirmed grade", grade=Grade.B), reviewer)
    client.force_login(reviewer)
    page = text(client.get(LISTING, {"grade_awaiting": "true"}))
    assert "Suggested grade" in page and "Confirmed grade" not in page
    assert reverse("evidence_library:confirm_grade", args=[waiting.pk]) in page


def test_editors_cannot_confirm_grades(client, editor):
    source = SourceFactory(grade=Grade.B)
    client.force_login(editor)
    url = reverse("evidence_library:confirm_grade", args=[source.pk])
    assert client.post(url).status_code in (302, 403)
    source.refresh_from_db()
    assert source.grade_confirmed_at is None


def edit_form_data(source, **changes):
    """The Source edit form's fields, as the admin would post them."""
    data = {name: getattr(source, name) or "" for name in SOURCE_FIELDS}
    data.update(changes)
    return data


def test_a_reviewer_changing_the_grade_in_the_form_confirms_it(client, reviewer):
    source = SourceFactory(grade=Grade.B)
    client.force_login(reviewer)
    url = reverse("wagtailsnippets_evidence_source:edit", args=[source.pk])
    response = client.post(url, edit_form_data(source, grade="C"))
    assert response.status_code == 302, response.content[:2000]
    source.refresh_from_db()
    assert (source.grade, source.grade_confirmed_by) == ("C", reviewer)


def test_an_editor_cannot_change_a_confirmed_grade(client, editor, reviewer):
    """Changing a confirmed grade is a medical reviewer's decision (issue 12);
    other edits leave the confirmation as it is."""
    from evidence.library.grades import confirm_grade

    source = confirm_grade(SourceFactory(grade=Grade.B), reviewer)
    client.force_login(editor)
    url = reverse("wagtailsnippets_evidence_source:edit", args=[source.pk])
    client.post(url, edit_form_data(source, title="Retitled"))
    source.refresh_from_db()
    assert source.grade_confirmed_by == reviewer
    response = client.post(url, edit_form_data(source, grade="A"))
    assert "Only a medical reviewer" in str(response.context["form"].errors)
    source.refresh_from_db()
    assert source.grade == "B" and source.grade_confirmed_by == reviewer


def test_merge_asks_then_lists_the_pages_then_merges(
    client, editor, article_index, writer
):
    keep = SourceFactory(doi="10.5555/keep")
    duplicate = SourceFactory(doi="", pmid="29599478")
    page = make_article(
        article_index,
        owner=writer,
        title="NR and ageing",
        body=[paragraph(sources=[duplicate])],
    )
    client.force_login(editor)
    url = reverse("evidence_library:merge", args=[duplicate.pk])
    edit = text(
        client.get(reverse("wagtailsnippets_evidence_source:edit", args=[duplicate.pk]))
    )
    assert url in edit and "Merge into…" in edit
    assert client.get(url).status_code == 200

    confirm = text(client.post(url, {"keep": keep.pk}))
    assert "Check before merging" in confirm
    assert "NR and ageing" in confirm
    assert "not published" in confirm
    assert "approval no longer applies" in confirm
    assert Source.objects.filter(pk=duplicate.pk).exists()

    done = client.post(url, {"keep": keep.pk, "confirmed": "on"})
    assert done.status_code == 302
    assert not Source.objects.filter(pk=duplicate.pk).exists()
    keep.refresh_from_db()
    assert keep.pmid == "29599478"
    draft = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.body.raw_data[0]["value"]["citations"][0]["value"]["source"] == keep.pk


def test_merge_refuses_different_papers_with_a_reason(client, editor):
    a = SourceFactory(doi="10.5555/a")
    b = SourceFactory(doi="10.5555/b")
    client.force_login(editor)
    page = text(
        client.post(reverse("evidence_library:merge", args=[b.pk]), {"keep": a.pk})
    )
    assert "different papers" in page
    assert Source.objects.count() == 2


def test_reviewers_cannot_merge(client, reviewer):
    a, b = SourceFactory(), SourceFactory()
    client.force_login(reviewer)
    response = client.post(
        reverse("evidence_library:merge", args=[b.pk]),
        {"keep": a.pk, "confirmed": "on"},
    )
    assert response.status_code in (302, 403)
    assert Source.objects.count() == 2
