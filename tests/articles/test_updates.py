"""What changed, for readers: change notes on republish, the Updates list,
corrections, "see what changed" and the dates in JSON-LD (issue 17, item 1)."""

import json
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from articles.models import ArticlePage
from evidence.audit.changes import compare_claims
from evidence.audit.notes import record_change_note
from evidence.models import ChangeNote, PublishedVersion
from tests.evidence.admin_forms import page_form_data
from tests.factories import (
    SourceFactory,
    approve,
    make_article,
    paragraph,
    set_passage_text,
)

pytestmark = pytest.mark.django_db

JAN = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
FEB = datetime(2026, 2, 20, 9, 0, tzinfo=UTC)
MAR = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def empty_caches():
    """Pages and update lists cached by an earlier test are not this one's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def json_ld(html: str) -> dict:
    payload = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    ).group(1)
    return json.loads(payload)


def reload(page):
    return ArticlePage.objects.get(pk=page.pk)


def publish(page, reviewer, editor, *, kind="", note="", certainty="low"):
    page = reload(page)
    approve(page, reviewer, certainty=certainty, reason="As the trials show.")
    revision = reload(page).get_latest_revision()
    record_change_note(revision, kind, note, editor)
    revision.publish(user=editor)
    return reload(page)


@pytest.fixture
def article(article_index, writer, reviewer, editor):
    """Published on 10 January 2026: one claim (low certainty), one context."""
    source = SourceFactory()
    page = make_article(
        article_index,
        title="NR and NAD+",
        slug="nr-and-nad",
        body=[
            paragraph("NR raised blood NAD+ by 60%.", sources=[source]),
            paragraph("Ageing is complex.", role="context"),
            paragraph("NR was well tolerated.", sources=[source]),
        ],
        owner=writer,
    )
    with time_machine.travel(JAN, tick=False):
        return publish(page, reviewer, editor)


def view(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_first_publication_has_no_updates(client, article):
    html = view(client, article)
    assert 'id="updates"' not in html
    data = json_ld(html)
    assert data["dateModified"].startswith("2026-01-10")
    assert "correction" not in data


def test_a_minor_edit_makes_no_entry_and_leaves_the_dates(
    client, article, writer, reviewer, editor
):
    with time_machine.travel(FEB, tick=False):
        set_passage_text(article, writer, 0, "NR raised blood NAD+ by 60 %.")
        page = publish(article, reviewer, editor, kind="minor", note="Typo.")
    assert page.last_published_at.date().isoformat() == "2026-02-20"
    html = view(client, page)
    assert "NR raised blood NAD+ by 60 %." in html  # the edit is live
    assert 'id="updates"' not in html
    assert "Typo." not in html
    data = json_ld(html)
    assert data["dateModified"].startswith("2026-01-10")
    assert data["lastReviewed"] == "2026-01-10"
    assert 'content="2026-01-10' in html  # article:modified_time
    assert "10 January 2026" in html  # "medically reviewed … on"
    assert "20 February 2026" not in html


def test_an_update_is_listed_with_its_note_and_dates(
    client, article, writer, reviewer, editor
):
    with time_machine.travel(FEB, tick=False):
        set_passage_text(article, writer, 0, "NR raised blood NAD+ by about 50%.")
        page = publish(
            article, reviewer, editor, kind="update", note="Added the 2025 trial."
        )
    html = view(client, page)
    updates = html[html.index('id="updates"') :]
    assert "Update" in updates and "20 February 2026" in updates
    assert "Added the 2025 trial." in updates
    assert "changes/" in updates
    assert 'class="correction-notice"' not in html
    data = json_ld(html)
    assert data["dateModified"].startswith("2026-02-20")
    assert data["lastReviewed"] == "2026-02-20"
    assert "correction" not in data


def test_a_correction_is_prominent_while_recent_and_in_json_ld(
    client, article, writer, reviewer, editor
):
    with time_machine.travel(FEB, tick=False):
        set_passage_text(article, writer, 2, "NR caused flushing in some people.")
        page = publish(
            article,
            reviewer,
            editor,
            kind="correction",
            note="We said NR had no side effects; one trial reported flushing.",
        )
        html = view(client, page)
    notice = html.index('class="correction-notice"')
    assert notice < html.index('class="article__body"')
    assert "one trial reported flushing" in html[notice : notice + 600]
    data = json_ld(html)
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "We said NR had no side effects; one trial reported flushing.",
            "datePublished": page.last_published_at.isoformat(),
        }
    ]
    with time_machine.travel(MAR.replace(month=4), tick=False):
        later = view(client, page)
    assert 'class="correction-notice"' not in later  # no longer recent…
    assert "one trial reported flushing" in later  # …but still under Updates


def test_see_what_changed_lists_a_reworded_claim_and_a_changed_certainty(
    client, article, writer, reviewer, editor
):
    with time_machine.travel(FEB, tick=False):
        set_passage_text(article, writer, 0, "NR raised blood NAD+ by about 50%.")
        publish(
            article,
            reviewer,
            editor,
            kind="update",
            note="New trial.",
            certainty="moderate",
        )
    page = reload(article)
    html = client.get(page.url + "changes/").content.decode()
    assert "What changed" in html
    assert "Claim reworded" in html
    assert "NR raised blood NAD+ by 60%." in html
    assert "NR raised blood NAD+ by about 50%." in html
    assert "Certainty changed from low to moderate." in html
    assert "NR was well tolerated." in html  # its certainty changed too
    assert "Ageing is complex." not in html  # context, not a claim
    versions = list(PublishedVersion.objects.of_page(page.pk))
    explicit = client.get(
        f"{page.url}changes/{versions[0].event_seq}/{versions[1].event_seq}/"
    )
    assert explicit.status_code == 200
    assert client.get(f"{page.url}changes/999/1000/").status_code == 404


def test_see_what_changed_without_updates_is_not_found(client, article):
    assert client.get(article.url + "changes/").status_code == 404


def test_compare_claims_in_plain_words():
    old = {
        "units": [
            {
                "id": "a",
                "role": "claim",
                "text": "A is true.",
                "certainty": "low",
                "position": 1,
            },
            {
                "id": "b",
                "role": "claim",
                "text": "B is true.",
                "certainty": "low",
                "position": 2,
            },
            {
                "id": "c",
                "role": "claim",
                "text": "C moved.",
                "certainty": "",
                "position": 3,
            },
        ]
    }
    new = {
        "units": [
            {
                "id": "a",
                "role": "claim",
                "text": "A is  true.",
                "certainty": "high",
                "position": 1,
            },
            {
                "id": "d",
                "role": "claim",
                "text": "D is new.",
                "certainty": "",
                "position": 2,
            },
            {
                "id": "e",
                "role": "claim",
                "text": "C moved.",
                "certainty": "",
                "position": 3,
            },
        ]
    }
    changes = compare_claims(old, new)
    assert [(c.kind, c.summary) for c in changes] == [
        ("certainty", "Certainty changed from low to high."),
        ("added", "A claim was added."),
        ("removed", "A claim was removed."),
    ]
    assert changes[1].after == "D is new." and changes[2].before == "B is true."


def test_the_editor_asks_what_changed_when_republishing(
    client, article, writer, reviewer, editor
):
    set_passage_text(article, writer, 0, "NR raised blood NAD+ by about 50%.")
    approve(reload(article), reviewer, certainty="low", reason="r")
    page = reload(article)
    latest = page.get_latest_revision_as_object()
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    edit = client.get(url).content.decode()
    assert "What changed" in edit and 'name="change_kind"' in edit
    data = page_form_data(latest)
    refused = client.post(url, {**data, "action-publish": "action-publish"})
    assert refused.status_code == 200
    assert "say what kind of change this is" in refused.content.decode()
    assert reload(page).live_revision_id == page.live_revision_id
    no_note = client.post(
        url, {**data, "action-publish": "action-publish", "change_kind": "correction"}
    )
    assert "say in a sentence what changed" in no_note.content.decode()
    published = client.post(
        url,
        {
            **data,
            "action-publish": "action-publish",
            "change_kind": "update",
            "change_note": "Rounded to the trial's reported figure.",
        },
    )
    assert published.status_code == 302, published.context["form"].errors
    version = PublishedVersion.objects.of_page(page.pk).last()
    assert (version.kind, version.note) == (
        "update",
        "Rounded to the trial's reported figure.",
    )
    assert version.editor_name == editor.get_full_name() or editor.username


def test_the_first_publish_asks_nothing(
    client, article_index, writer, reviewer, editor
):
    page = make_article(
        article_index, owner=writer, body=[paragraph("Hello.", role="context")]
    )
    approve(page, reviewer)
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = page_form_data(reload(page).get_latest_revision_as_object())
    response = client.post(url, {**data, "action-publish": "action-publish"})
    assert response.status_code == 302, response.context["form"].errors
    assert reload(page).live
    assert PublishedVersion.objects.get(page_id=page.pk).kind == "first"


def test_the_api_asks_what_changed_when_republishing(
    client, article, writer, reviewer, editor
):
    set_passage_text(article, writer, 0, "NR raised blood NAD+ by about 50%.")
    approve(reload(article), reviewer, certainty="low", reason="r")
    client.force_login(editor)
    url = f"/api/v1/articles/{article.pk}/publish/"
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 400
    assert "change_kind" in refused.json()
    missing_note = client.post(
        url, {"change_kind": "update"}, content_type="application/json"
    )
    assert missing_note.status_code == 400 and "change_note" in missing_note.json()
    published = client.post(
        url,
        {"change_kind": "correction", "change_note": "The figure was 50%, not 60%."},
        content_type="application/json",
    )
    assert published.status_code == 200, published.json()
    version = PublishedVersion.objects.of_page(article.pk).last()
    assert (version.kind, version.note) == (
        "correction",
        "The figure was 50%, not 60%.",
    )
    assert ChangeNote.objects.get(revision_id=version.revision_id).user == editor
    publish_event = json.loads(
        __import__("evidence.models", fromlist=["AuditEvent"])
        .AuditEvent.objects.filter(page_id=article.pk, kind="publish")
        .last()
        .payload
    )
    assert publish_event["actor"]["id"] == editor.pk
    assert publish_event["data"]["kind"] == "correction"


def test_a_saved_draft_keeps_its_note_for_a_later_publish(
    client, article, writer, reviewer, editor
):
    """The note typed with a saved draft is used when that version goes live
    on a path that asks nothing (here the revision's own publish)."""
    set_passage_text(article, writer, 0, "NR raised blood NAD+ by about 50%.")
    approve(reload(article), reviewer, certainty="low", reason="r")
    page = reload(article)
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = page_form_data(page.get_latest_revision_as_object())
    saved = client.post(
        url, {**data, "change_kind": "correction", "change_note": "It was 50%."}
    )
    assert saved.status_code == 302
    revision = reload(page).get_latest_revision()
    assert ChangeNote.objects.get(revision=revision).kind == "correction"
    form = client.get(url).content.decode()
    assert "It was 50%." in form  # shown again in the editor
    approve(reload(page), reviewer, certainty="low", reason="r")
    reload(page).get_latest_revision().publish(user=editor)
    version = PublishedVersion.objects.of_page(page.pk).last()
    assert (version.kind, version.note) == ("correction", "It was 50%.")


def save_fields(page, user, **fields):
    """Save a draft of `page` with these reviewed fields changed."""
    version = reload(page).get_latest_revision_as_object()
    for name, value in fields.items():
        setattr(version, name, value)
    return version.save_revision(user=user)


def test_see_what_changed_lists_a_changed_title_and_standfirst(
    client, article, writer, reviewer, editor
):
    """The title and the standfirst are what readers read first: a change
    to them is listed, with the words before and now."""
    with time_machine.travel(FEB, tick=False):
        save_fields(
            article,
            writer,
            title="NR and NAD+: two trials",
            standfirst="What two trials found.",
        )
        publish(article, reviewer, editor, kind="update", note="Second trial.")
    html = client.get(reload(article).url + "changes/").content.decode()
    assert "The title changed" in html and "The standfirst changed" in html
    assert "NR and NAD+: two trials" in html and "What two trials found." in html
    assert "A short summary." in html  # the standfirst before
    assert "No claim changed" not in html
    assert "Only the text search engines show" not in html


def test_see_what_changed_says_plainly_when_only_search_text_changed(
    client, article, writer, reviewer, editor
):
    """A republish that changed only the search description: readers meet
    that text in search results, so it is listed, as what it is; before,
    the page said no claim changed and "the changes were to the text
    around the claims, or to the layout"."""
    with time_machine.travel(FEB, tick=False):
        save_fields(article, writer, search_description="Does NR raise NAD+ in people?")
        publish(article, reviewer, editor, kind="update", note="Search snippet.")
    html = client.get(reload(article).url + "changes/").content.decode()
    assert "Only the text search engines show for this article changed" in html
    assert "The description search engines show changed" in html
    assert "Does NR raise NAD+ in people?" in html
    assert "it is not part of the article itself" in html
    assert "the text around the claims, or to the layout" not in html
    latest = PublishedVersion.objects.of_page(article.pk).last()
    [unit] = [u for u in latest.text["units"] if u["id"] == "search_description"]
    assert unit["text"] == "Does NR raise NAD+ in people?"
