"""The audit trail stores every reviewable unit of a version (issue 12: every
piece of text a reader or a search engine sees), not only the title, the
standfirst and the body: an article's SEO title, search description and
subject, and an index page's introduction, by unit id with their role.

And Wagtail 8's editor rewrites its latest revision in place (autosave,
`overwrite_revision`): the trail records each rewrite that changes the text,
so no save event vouches for text its revision no longer holds."""

import json

import pytest
from django.urls import reverse

from articles.models import ArticleIndexPage, ArticlePage, HomePage
from evidence.audit.chain import digest, stored_chain
from evidence.audit.changes import compare_texts
from evidence.audit.records import version_text
from evidence.models import AuditEvent, PublishedVersion
from tests.evidence.admin_forms import page_form_data
from tests.factories import decide, make_article, paragraph, publish_approved

pytestmark = pytest.mark.django_db

FIELDS = ("title", "standfirst", "seo_title", "search_description")


@pytest.fixture
def seo_article(article_index, writer, credited_reviewer, editor, source):
    page = make_article(
        article_index,
        title="NR and NAD+",
        standfirst="What the trials found.",
        seo_title="Nicotinamide riboside: the evidence",
        search_description="What trials of nicotinamide riboside measured.",
        subject_intervention="Nicotinamide riboside",
        body=[paragraph("NR raised blood NAD+ by 60%.", sources=[source])],
        owner=writer,
    )
    return publish_approved(
        page, credited_reviewer, editor, certainty="low", reason="One trial."
    )


def units_of(text) -> dict:
    return {unit["id"]: unit for unit in text["units"]}


def test_a_published_version_stores_every_reviewed_field_as_a_unit(seo_article):
    version = PublishedVersion.objects.get(page_id=seo_article.pk)
    text = version.text
    assert [u["id"] for u in text["units"]][:5] == [
        *FIELDS,
        "subject_intervention",
    ]
    units = units_of(text)
    assert units["seo_title"]["text"] == "Nicotinamide riboside: the evidence"
    assert units["search_description"]["text"] == (
        "What trials of nicotinamide riboside measured."
    )
    assert units["subject_intervention"]["text"] == "Nicotinamide riboside"
    for name in (*FIELDS, "subject_intervention"):
        assert units[name]["role"] == "context"
        assert units[name]["kind"] == name and units[name]["position"] == 0
        assert len(units[name]["fingerprint"]) == 64
        assert units[name]["status"]  # its review outcome when it went live
    assert text["reviewed_fields"] == [*FIELDS, "subject_intervention"]
    # The publish event's hash covers the fields too.
    publish = stored_chain(seo_article.pk)[-1]
    assert publish["data"]["text_hash"] == digest(text) == version.text_hash


def test_a_save_event_lists_every_units_fingerprint(seo_article):
    save = next(e for e in stored_chain(seo_article.pk) if e["kind"] == "save")
    ids = [unit_id for unit_id, _fingerprint in save["data"]["units"]]
    assert ids[:5] == [*FIELDS, "subject_intervention"]


def test_changing_only_the_search_description_changes_the_recorded_text(
    seo_article, writer, credited_reviewer, editor
):
    version = seo_article.get_latest_revision_as_object()
    version.search_description = "Vitamin C cures the common cold."
    version.save_revision(user=writer)
    publish_approved(
        seo_article, credited_reviewer, editor, certainty="low", reason="One trial."
    )
    old, new = PublishedVersion.objects.of_page(seo_article.pk)
    assert old.text_hash != new.text_hash
    assert units_of(new.text)["search_description"]["text"] == (
        "Vitamin C cures the common cold."
    )
    [change] = compare_texts(old.text, new.text)
    assert (change.kind, change.unit, change.search_only) == (
        "field",
        "search_description",
        True,
    )
    assert change.after == "Vitamin C cures the common cold."


@pytest.mark.parametrize("model", [HomePage, ArticleIndexPage])
def test_an_index_pages_introduction_is_in_its_trail(
    model, home, article_index, writer, reviewer, editor
):
    page = {HomePage: home, ArticleIndexPage: article_index}[model]
    draft = model.objects.get(pk=page.pk).get_latest_revision_as_object()
    draft.intro = "Plain words on what the trials of NAD+ found."
    draft.save_revision(user=writer)
    decide(page, "intro", reviewer, "not_a_claim")
    model.objects.get(pk=page.pk).get_latest_revision().publish(user=editor)
    versions = list(PublishedVersion.objects.of_page(page.pk))
    new = versions[-1].text
    intro = units_of(new)["intro"]
    assert intro["text"] == "Plain words on what the trials of NAD+ found."
    assert intro["role"] == "context" and intro["position"] == 0
    assert versions[-1].text_hash == digest(new)
    if len(versions) > 1:  # the site tree's first publish is in the trail too
        [change] = compare_texts(versions[-2].text, new)
        assert (change.unit, change.after) == (
            "intro",
            "Plain words on what the trials of NAD+ found.",
        )


def test_a_version_recorded_before_fields_were_units_compares_title_and_standfirst():
    legacy = {
        "title": "NR and NAD+",
        "standfirst": "What the trials found.",
        "units": [{"id": "a", "role": "claim", "text": "A.", "position": 1}],
    }
    now = {
        "title": "NR and NAD+: the trials",
        "standfirst": "What the trials found.",
        "reviewed_fields": ["title", "standfirst", "seo_title"],
        "units": [
            {"id": "title", "role": "context", "text": "NR and NAD+: the trials"},
            {"id": "standfirst", "role": "context", "text": "What the trials found."},
            {"id": "seo_title", "role": "context", "text": "NR"},
            {"id": "a", "role": "claim", "text": "A.", "position": 1},
        ],
    }
    for unit in now["units"][:3]:
        unit["position"] = 0
    # The SEO title is not "added": the legacy version never recorded it.
    changes = compare_texts(legacy, now)
    assert [(c.kind, c.unit, c.before, c.after) for c in changes] == [
        ("field", "title", "NR and NAD+", "NR and NAD+: the trials")
    ]


# --- rewritten revisions (autosave) ----------------------------------------------


def save_events(page):
    return [e for e in stored_chain(page.pk) if e["kind"] == "save"]


def test_a_revision_rewritten_by_the_editor_is_recorded_again(
    client, article_index, writer, editor, source
):
    """Wagtail 8's autosave sends `overwrite_revision_id`: the editor's latest
    revision is rewritten in place (no new revision). Before, the trail kept
    the revision's first text only, and its save event no longer matched
    what the revision held."""
    page = make_article(
        article_index,
        body=[paragraph("NR raised blood NAD+ by 60%.", sources=[source])],
        owner=writer,
    )
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    version = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    data = page_form_data(version, standfirst="A first summary.")
    assert client.post(url, data).status_code == 302
    revision = ArticlePage.objects.get(pk=page.pk).get_latest_revision()
    assert revision.user == editor
    before = len(save_events(page))
    for standfirst in ("A second summary.", "A third summary."):
        response = client.post(
            url,
            {
                **page_form_data(version, standfirst=standfirst),
                "overwrite_revision_id": str(revision.pk),
            },
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 200 and response.json()["success"]
        assert response.json()["revision_id"] == revision.pk  # rewritten in place
    revision.refresh_from_db()
    events = save_events(page)
    assert len(events) == before + 2
    last = events[-1]["data"]
    assert last["revision"] == revision.pk and last["overwrite"] is True
    now = version_text(revision.as_object())
    assert units_of(now)["standfirst"]["text"] == "A third summary."
    assert last["text_hash"] == digest(now)
    assert events[-1]["actor"]["id"] == editor.pk


def test_a_rewrite_that_changes_no_text_adds_no_event(
    client, article_index, writer, editor
):
    page = make_article(article_index, owner=writer)
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    version = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert client.post(url, page_form_data(version)).status_code == 302
    revision = ArticlePage.objects.get(pk=page.pk).get_latest_revision()
    count = AuditEvent.objects.filter(page_id=page.pk).count()
    response = client.post(
        url,
        {
            **page_form_data(version, slug=f"{version.slug}-2"),
            "overwrite_revision_id": str(revision.pk),
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["revision_id"] == revision.pk
    assert AuditEvent.objects.filter(page_id=page.pk).count() == count
    assert json.loads(AuditEvent.objects.filter(page_id=page.pk).last().payload)[
        "data"
    ]["revision"] == (revision.pk)
