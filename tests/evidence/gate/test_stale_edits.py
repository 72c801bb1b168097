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

import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page, PageLogEntry

from articles.models import ArticlePage
from evidence.gate import PublishBlocked
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


# --- what a stale save leaves unwritten is logged ----------------------------

GATE_LOGGER = "evidence.gate.publish"


def gate_warning(caplog):
    """The one warning a stale save logged."""
    [record] = [r for r in caplog.records if r.name == GATE_LOGGER]
    assert record.levelno == logging.WARNING
    return record


def unwritten_fields(caplog) -> set[str]:
    """The fields the warning of a stale save names as not written."""
    record = gate_warning(caplog)
    for name in record.unwritten:
        assert name in record.getMessage()
    return set(record.unwritten)


def test_a_stale_save_logs_the_fields_it_did_not_write(reviewed, editor, caplog):
    """Nothing is dropped silently: the warning names the page and every
    field the save asked to change that the live row kept, and says the
    edit lives on as a draft revision, which it does."""
    draft = fresh(reviewed).get_latest_revision_as_object()
    publish_latest(fresh(reviewed), editor)
    draft.standfirst = DRAFT_STANDFIRST
    with caplog.at_level(logging.WARNING, logger=GATE_LOGGER):
        draft.save()
    message = gate_warning(caplog).getMessage()
    assert f"(id {reviewed.pk})" in message and reviewed.title in message
    assert "draft revision" in message
    # The content it changed and the publish state it read (not live, no
    # live revision, never published); not the fields it left as they were.
    assert {"standfirst", "live", "live_revision", "first_published_at"} <= (
        unwritten_fields(caplog)
    )
    assert not {"title", "body", "slug"} & unwritten_fields(caplog)
    draft.save_revision()
    assert fresh(reviewed).get_latest_revision_as_object().standfirst == (
        DRAFT_STANDFIRST
    )


def test_a_stale_save_of_some_fields_logs_those_not_written(reviewed, editor, caplog):
    draft = fresh(reviewed).get_latest_revision_as_object()
    publish_latest(fresh(reviewed), editor)
    draft.standfirst = DRAFT_STANDFIRST
    draft.locked = True
    with caplog.at_level(logging.WARNING, logger=GATE_LOGGER):
        draft.save(update_fields=["standfirst", "locked", "live"])
    assert unwritten_fields(caplog) == {"standfirst", "live"}
    assert fresh(reviewed).locked


def test_a_stale_draft_save_drops_nothing_and_logs_nothing(reviewed, editor, caplog):
    draft = fresh(reviewed).get_latest_revision_as_object()
    publish_latest(fresh(reviewed), editor)
    draft.standfirst = DRAFT_STANDFIRST
    with caplog.at_level(logging.WARNING, logger=GATE_LOGGER):
        draft.save_revision()
    assert not [r for r in caplog.records if r.name == GATE_LOGGER]


# --- through a plain Page object, or a specific page built from one ---------


def read_plain(page):
    return Page.objects.get(pk=page.pk)


def read_specific_deferred(page):
    return Page.objects.get(pk=page.pk).specific_deferred


def read_specific(page):
    return Page.objects.get(pk=page.pk).specific


READS = [read_plain, read_specific_deferred, read_specific]


def assert_live_with_its_own_row(page, checked_revision_id):
    row = fresh(page)
    assert row.live
    assert row.live_revision_id == checked_revision_id
    assert row.first_published_at is not None
    assert (row.title, row.slug, row.standfirst) == (
        page.title,
        page.slug,
        CHECKED_STANDFIRST,
    )
    assert PublishSnapshot.objects.filter(
        page_id=row.pk, revision_id=checked_revision_id
    ).exists()


@pytest.mark.parametrize("read", READS)
def test_a_copy_read_through_page_before_a_publish_cannot_undo_it(
    read, reviewed, editor, caplog
):
    """`Page.objects.get()` (the tree, a relation) gives a plain `Page`,
    which writes the page's own row: read before a publish and saved after
    it, it took the page offline and put back the title it held."""
    checked = reviewed.latest_revision_id
    stale = read(reviewed)
    publish_latest(fresh(reviewed), editor)
    stale.title = "Cures fatigue in a week"
    with caplog.at_level(logging.WARNING, logger=GATE_LOGGER):
        stale.save()
    assert_live_with_its_own_row(reviewed, checked)
    assert {"title", "live", "live_revision"} <= unwritten_fields(caplog)


@pytest.mark.parametrize("read", READS)
def test_some_fields_of_a_copy_read_through_page_cannot_undo_a_publish(
    read, reviewed, editor
):
    checked = reviewed.latest_revision_id
    stale = read(reviewed)
    publish_latest(fresh(reviewed), editor)
    stale.title = "Cures fatigue in a week"
    stale.locked = True
    stale.save(update_fields=["title", "live", "live_revision", "locked"])
    assert_live_with_its_own_row(reviewed, checked)
    assert fresh(reviewed).locked


def test_a_plain_page_saved_stale_logs_the_values_it_did_not_write(
    reviewed, editor, caplog
):
    """A plain `Page` keeps no revision, so the warning is where its edit
    survives: it names each field with the value that was not written."""
    stale = read_plain(reviewed)
    publish_latest(fresh(reviewed), editor)
    stale.title = "Cures fatigue in a week"
    with caplog.at_level(logging.WARNING, logger=GATE_LOGGER):
        stale.save()
    message = gate_warning(caplog).getMessage()
    assert "title='Cures fatigue in a week'" in message
    assert "a plain Page keeps no revision" in message
    # The object now holds the row as it was written.
    assert stale.live and stale.title == reviewed.title


def test_a_plain_page_read_before_a_publish_cannot_change_its_address(reviewed, editor):
    """Wagtail moves a page's descendants to a new address in the same save,
    so a stale change of address is refused rather than cut down."""
    stale = read_plain(reviewed)
    publish_latest(fresh(reviewed), editor)
    stale.slug = "cures-fatigue"
    with pytest.raises(ValidationError) as refused:
        stale.save()
    assert "slug" in refused.value.message_dict
    assert_live_with_its_own_row(reviewed, reviewed.latest_revision_id)


def test_a_plain_page_read_not_live_saves_whole_while_it_stays_not_live(reviewed):
    page = read_plain(reviewed)
    page.title = "A better title"
    page.save()
    row = fresh(reviewed)
    assert not row.live and row.title == "A better title"


def test_a_plain_page_read_live_unpublishes(reviewed, editor):
    publish_latest(fresh(reviewed), editor)
    read_plain(reviewed).unpublish()
    assert not fresh(reviewed).live


def test_a_plain_page_read_not_live_and_refreshed_after_its_publish_unpublishes(
    reviewed, editor
):
    page = read_plain(reviewed)
    publish_latest(fresh(reviewed), editor)
    page.refresh_from_db()
    page.unpublish()
    assert not fresh(reviewed).live


def test_a_live_pages_title_changed_through_a_plain_page_is_refused(reviewed, editor):
    """What a live page shows on its own row goes through the gate whatever
    object writes it."""
    publish_latest(fresh(reviewed), editor)
    page = read_plain(reviewed)
    page.title = "Cures fatigue in a week"
    with pytest.raises(PublishBlocked) as refused:
        page.save()
    assert [p.block_id for p in refused.value.problems] == ["title"]
    assert fresh(reviewed).title == reviewed.title


def test_a_plain_page_saved_live_is_checked_and_credited(
    article_index, writer, reviewer
):
    """Set live through a plain `Page`, the version that goes live (its own
    row and the article's content as stored) passes the gate first, and
    gets its snapshot and byline."""
    page = make_article(
        article_index,
        owner=writer,
        body=[paragraph("NR raised blood NAD+.", sources=[SourceFactory()])],
    )
    plain = read_plain(page)
    plain.live = True
    with pytest.raises(PublishBlocked):
        plain.save()
    assert not fresh(page).live
    approve(page, reviewer)
    plain = read_plain(page)
    plain.live = True
    plain.save()
    row = fresh(page)
    assert row.live
    assert list(row.reviewed_by.all()) == [reviewer]
    assert PublishSnapshot.objects.filter(page_id=row.pk, revision=None).exists()


# --- a copy read not live, the page published, then set live or unpublished --


def test_a_copy_read_not_live_set_live_after_a_publish_is_checked_by_the_gate(
    reviewed, editor
):
    """Setting `live` on a copy read before the publish is a publish from
    code: the gate checks the version the copy holds, which is the one that
    goes live. An unapproved edit in it is refused; the live row stays."""
    checked = reviewed.latest_revision_id
    draft = fresh(reviewed).get_latest_revision_as_object()
    publish_latest(fresh(reviewed), editor)
    draft.standfirst = DRAFT_STANDFIRST
    draft.live = True
    with pytest.raises(PublishBlocked) as refused:
        draft.save()
    assert [p.block_id for p in refused.value.problems] == ["standfirst"]
    row = fresh(reviewed)
    assert row.live and row.live_revision_id == checked
    assert row.standfirst == CHECKED_STANDFIRST


def test_a_copy_read_not_live_set_live_after_a_publish_writes_what_it_holds(
    reviewed, editor
):
    """With the approved version, the copy goes live as it holds it: the
    content the gate checked, and the publish state it read (no live
    revision: the live content is the copy's, with its own snapshot)."""
    draft = fresh(reviewed)
    publish_latest(fresh(reviewed), editor)
    draft.live = True
    draft.save()
    row = fresh(reviewed)
    assert row.live and row.standfirst == CHECKED_STANDFIRST
    assert row.live_revision_id is None
    assert PublishSnapshot.objects.filter(page_id=row.pk, revision=None).exists()


def test_unpublishing_a_copy_read_before_the_publish_does_nothing(reviewed, editor):
    """Wagtail's unpublish skips a page it holds as not live: the page stays
    live, and nothing says it was unpublished. Read it again to unpublish."""
    stale = fresh(reviewed)
    publish_latest(fresh(reviewed), editor)
    stale.unpublish()
    assert fresh(reviewed).live
    assert not PageLogEntry.objects.filter(
        page=reviewed, action="wagtail.unpublish"
    ).exists()
    fresh(reviewed).unpublish()
    assert not fresh(reviewed).live


# --- a copy built in memory, without reading the row -------------------------


def built_in_memory(page):
    """An object of the page's own type built from the row's values (as code
    that kept them builds one): no query built it, so it noted nothing."""
    values = ArticlePage.objects.filter(pk=page.pk).values()[0]
    built = ArticlePage(**values)
    built._state.adding = False  # of a row that exists: its checks skip itself
    return built


def built_from_a_plain_page(page):
    """The latest revision put on a plain `Page` with Wagtail's
    `with_content_json` (a page of its own type needs `as_object()`)."""
    plain = read_plain(page)
    return plain.with_content_json(plain.latest_revision.content)


BUILDS = [built_in_memory, built_from_a_plain_page]


@pytest.mark.parametrize("build", BUILDS)
def test_a_copy_built_without_reading_the_row_cannot_undo_a_publish(
    build, reviewed, editor, caplog
):
    """Built before a publish and saved after it, such an object wrote its
    row whole: the page went offline with the unreviewed edit on it."""
    checked = reviewed.latest_revision_id
    draft = build(reviewed)
    publish_latest(fresh(reviewed), editor)
    draft.standfirst = DRAFT_STANDFIRST
    with caplog.at_level(logging.WARNING, logger=GATE_LOGGER):
        draft.save()
    assert {"standfirst", "live", "live_revision"} <= unwritten_fields(caplog)
    draft.save_revision()
    assert_live_as_checked(reviewed, checked)


@pytest.mark.parametrize("build", BUILDS)
def test_a_copy_built_without_reading_a_page_not_live_saves_whole(build, reviewed):
    draft = build(reviewed)
    draft.standfirst = DRAFT_STANDFIRST
    draft.save()
    row = fresh(reviewed)
    assert not row.live and row.standfirst == DRAFT_STANDFIRST


# --- a page set live by a save, without publish() ----------------------------


def set_live_by_a_save(page):
    row = fresh(page)
    row.live = True
    row.save()


def set_live_by_saving_the_flag(page):
    row = fresh(page)
    row.live = True
    row.save(update_fields=["live"])


def set_live_through_a_plain_page(page):
    row = read_plain(page)
    row.live = True
    row.save()


SET_LIVE = [
    set_live_by_a_save,
    set_live_by_saving_the_flag,
    set_live_through_a_plain_page,
]


@pytest.mark.parametrize("set_live", SET_LIVE)
def test_a_page_set_live_by_a_save_is_dated_as_a_publish(set_live, reviewed):
    """`page.live = True; page.save()` publishes without Wagtail's publish,
    which dates a publish: the gate dates it instead, as one."""
    before = timezone.now()
    set_live(reviewed)
    row = fresh(reviewed)
    assert row.live
    assert row.last_published_at is not None and row.last_published_at >= before
    assert row.first_published_at == row.last_published_at


@pytest.mark.parametrize("set_live", SET_LIVE)
@pytest.mark.parametrize("read", READS)
def test_a_copy_read_before_the_page_was_set_live_by_a_save_cannot_undo_it(
    read, set_live, reviewed, caplog
):
    """A plain `Page` read before the page went live without a new publish
    date took it offline and put back the title it read."""
    stale = read(reviewed)
    set_live(reviewed)
    stale.title = "Cures fatigue in a week"
    with caplog.at_level(logging.WARNING, logger=GATE_LOGGER):
        stale.save()
    row = fresh(reviewed)
    assert row.live and row.title == reviewed.title
    assert {"title", "live"} <= unwritten_fields(caplog)


def test_a_plain_page_refreshed_after_a_save_set_the_page_live_unpublishes(reviewed):
    page = read_plain(reviewed)
    set_live_by_a_save(reviewed)
    page.refresh_from_db()
    page.unpublish()
    assert not fresh(reviewed).live


def test_a_copy_set_live_after_a_publish_moves_the_publish_date_forward(
    reviewed, editor
):
    """A copy read before a publish and set live writes the publish dates it
    read (none): the page kept its first publication date, and a plain
    `Page` read before the publish then took it offline."""
    draft = fresh(reviewed)
    plain = read_plain(reviewed)
    publish_latest(fresh(reviewed), editor)
    published = fresh(reviewed)
    draft.live = True
    draft.save()
    row = fresh(reviewed)
    assert row.first_published_at == published.first_published_at
    assert row.last_published_at > published.last_published_at
    plain.title = "Cures fatigue in a week"
    plain.save()
    row = fresh(reviewed)
    assert row.live and row.title == reviewed.title


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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_plain_page_save_racing_a_publish_leaves_the_page_live_as_checked(
    reviewed, editor
):
    """The publish takes the page row first; a plain `Page` read before it
    waits for the row inside its save and, once the publish committed,
    writes only the draft fields."""
    checked = reviewed.latest_revision_id
    stale = read_plain(reviewed)
    stale.title = "Cures fatigue in a week"
    publish = Request(lambda: publish_latest(fresh(reviewed), editor))
    save = Request(lambda: stale.save() or "saved")
    queue(publish, save, holder=RowHolder(reviewed.pk))
    assert publish.response is not None and publish.response.pk == checked
    assert save.response == "saved"
    assert_live_with_its_own_row(reviewed, checked)
    assert connection.vendor == "postgresql"
