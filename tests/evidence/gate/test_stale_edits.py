"""A publish that answered 200 leaves the page live with exactly the version
the gate checked, whatever read the page before it went live (issue 12,
rule 8).

Wagtail's page editor saves a never-published page's whole row with the
form (`form.save(commit=not page.live)`), as the page stood when the editor
read it: not live, no live revision, the draft's content. Any code that
read the page before a publish committed elsewhere does the same. Before
the fix, such a save after the publish took the page offline, or (saving
only some fields) put unreviewed text on the live row.
"""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from wagtail import hooks

from articles.models import ArticlePage
from evidence.gate.publish import publish_latest
from evidence.models import PublishSnapshot
from tests.api.test_concurrency import Request, RowHolder, queue
from tests.evidence.admin_forms import page_form_data
from tests.factories import SourceFactory, approve, make_article, paragraph

pytestmark = pytest.mark.django_db

CHECKED_STANDFIRST = "A short summary."
DRAFT_STANDFIRST = "Cures fatigue in a week."


@pytest.fixture
def reviewed(article_index, writer, reviewer):
    """A never-published article whose latest version passes the gate."""
    page = make_article(
        article_index,
        owner=writer,
        body=[
            paragraph("NR raised blood NAD+.", sources=[SourceFactory()], block_id="c")
        ],
    )
    approve(page, reviewer)
    return ArticlePage.objects.get(pk=page.pk)


def fresh(page):
    return ArticlePage.objects.get(pk=page.pk)


def assert_live_as_checked(page, checked_revision_id):
    """Live, with the version the gate checked on the row and its snapshot;
    the later edit kept as the latest draft."""
    row = fresh(page)
    assert row.live
    assert row.live_revision_id == checked_revision_id
    assert row.first_published_at is not None
    assert row.standfirst == CHECKED_STANDFIRST
    assert PublishSnapshot.objects.filter(
        page_id=row.pk, revision_id=checked_revision_id
    ).exists()
    assert row.latest_revision_id != checked_revision_id
    assert row.has_unpublished_changes
    assert row.get_latest_revision_as_object().standfirst == DRAFT_STANDFIRST


def test_the_page_editor_saving_a_page_it_read_before_a_publish_keeps_it_live(
    reviewed, editor
):
    """The editor's own code path: the edit view reads the page, a publish
    commits elsewhere (run by the `before_edit_page` hook, which Wagtail
    calls once the view has read the page), then the view saves the form."""
    checked = reviewed.latest_revision_id

    def publish_elsewhere(request, page):
        assert not page.live  # the editor read the page before the publish
        publish_latest(fresh(page), editor)

    client = Client()
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[reviewed.pk])
    data = page_form_data(
        reviewed.get_latest_revision_as_object(), None, standfirst=DRAFT_STANDFIRST
    )
    with hooks.register_temporarily("before_edit_page", publish_elsewhere):
        response = client.post(url, data)
    assert response.status_code == 302
    assert_live_as_checked(reviewed, checked)


def stale_whole_row(draft):
    draft.save()


def stale_content_fields(draft):
    draft.save(update_fields=["standfirst", "body"])


def stale_draft_save(draft):
    draft.save_revision()


@pytest.mark.parametrize(
    "save", [stale_whole_row, stale_content_fields, stale_draft_save]
)
def test_code_saving_a_page_it_read_before_a_publish_keeps_it_live(
    save, reviewed, editor
):
    checked = reviewed.latest_revision_id
    # Read as the page editor reads it: the latest revision on the row.
    draft = fresh(reviewed).get_latest_revision_as_object()
    publish_latest(fresh(reviewed), editor)
    draft.standfirst = DRAFT_STANDFIRST
    save(draft)
    if save is not stale_draft_save:
        draft.save_revision()  # how the editor and the API keep the edit
    assert_live_as_checked(reviewed, checked)


def test_the_draft_fields_of_a_stale_save_are_written(reviewed, editor):
    """What a draft save of a live page writes is written: the latest
    revision, the admin's title, the unpublished-changes flag, the lock."""
    draft = fresh(reviewed).get_latest_revision_as_object()
    publish_latest(fresh(reviewed), editor)
    draft.title = "A new title"
    draft.locked = True
    draft.locked_by = editor
    draft.save(update_fields=["locked", "locked_by", "title"])
    revision = draft.save_revision(user=editor)
    row = fresh(reviewed)
    assert row.live and row.title != "A new title"
    assert row.locked and row.locked_by == editor
    assert row.latest_revision == revision
    assert row.draft_title == "A new title"


def test_a_page_read_not_live_is_saved_whole_while_it_stays_not_live(reviewed):
    draft = fresh(reviewed).get_latest_revision_as_object()
    draft.standfirst = DRAFT_STANDFIRST
    draft.save()
    row = fresh(reviewed)
    assert not row.live and row.standfirst == DRAFT_STANDFIRST


def test_unpublishing_still_works(reviewed, editor):
    publish_latest(fresh(reviewed), editor)
    fresh(reviewed).unpublish()
    assert not fresh(reviewed).live


def test_a_page_read_not_live_and_refreshed_after_its_publish_unpublishes(
    reviewed, editor
):
    page = fresh(reviewed)
    publish_latest(fresh(reviewed), editor)
    page.refresh_from_db()
    page.unpublish()
    assert not fresh(reviewed).live


def test_a_page_read_not_live_then_published_through_it_unpublishes(reviewed, editor):
    page = fresh(reviewed)
    page.get_latest_revision().publish(user=editor)
    page.refresh_from_db(fields=["live", "live_revision"])
    page.unpublish()
    assert not fresh(reviewed).live


# --- PostgreSQL: the page editor racing a publish ---------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_page_editor_racing_a_publish_leaves_the_page_live_as_checked(
    reviewed, editor
):
    """The publish takes the page row first; the editor's POST reads the
    page while the publish is still waiting, then saves once it committed."""
    checked = reviewed.latest_revision_id
    client = Client()
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[reviewed.pk])
    data = page_form_data(
        reviewed.get_latest_revision_as_object(), None, standfirst=DRAFT_STANDFIRST
    )
    publish = Request(lambda: publish_latest(fresh(reviewed), editor))
    edit = Request(lambda: client.post(url, data))
    queue(publish, edit, holder=RowHolder(reviewed.pk))
    assert publish.response is not None and publish.response.pk == checked
    assert edit.response.status_code == 302
    assert_live_as_checked(reviewed, checked)
    assert connection.vendor == "postgresql"
