"""Purges: what each change sends to Varnish, when, and what a failure does.

A real Varnish (deploy/varnish/nadsite.vcl, alone: no app behind it)
receives the purges; its log says what arrived.
"""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.actions.move_page import MovePageAction

from articles import purging
from articles.demo.site_tree import add_reviewed_page
from articles.models import ArticleIndexPage
from tests.factories import (
    SourceFactory,
    make_article,
    paragraph,
    publish_approved,
)
from tests.stack_fixtures import LoneVarnish, frontend_cache, load_runner

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "retractions": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "purges"],
    },
}


@pytest.fixture
def to_varnish(lone_varnish):
    with override_settings(WAGTAILFRONTENDCACHE=frontend_cache(lone_varnish.url)):
        yield lone_varnish


@pytest.fixture
def source(db):
    return SourceFactory()


@pytest.fixture
def article(article_index, writer, reviewer, editor, source):
    page = make_article(
        article_index,
        owner=writer,
        slug="purged-article",
        body=[paragraph("A claim.", sources=[source])],
    )
    return publish_approved(page, reviewer, editor)


def sent_since(varnish, before: int) -> list[dict]:
    return varnish.purges()[before:]


def tags_of(purges) -> set[str]:
    return {tag for p in purges if p["tags"] != "-" for tag in p["tags"].split()}


def paths_of(purges) -> set[str]:
    return {p["path"] for p in purges if p["tags"] == "-"}


def test_a_publish_purges_the_page_and_its_listings_after_the_commit(
    to_varnish,
    article,
    home,
    article_index,
    reviewer,
    editor,
    django_capture_on_commit_callbacks,
):
    before = len(to_varnish.purges())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_approved(article, reviewer, editor)
    assert sent_since(to_varnish, before) == []  # nothing before the commit
    for callback in callbacks:
        callback()
    purges = sent_since(to_varnish, before)
    assert all(p["status"] == "200" for p in purges)
    tag_purges = [p for p in purges if p["tags"] != "-"]
    assert len(tag_purges) == 1
    assert tags_of(purges) == {
        f"page-{article.pk}",
        f"page-{article_index.pk}",
        f"page-{home.pk}",
    }
    assert paths_of(purges) == {"/articles/purged-article/", "/articles/", "/"}
    assert {p["host"] for p in purges if p["tags"] == "-"} == {"localhost"}


def test_nothing_is_sent_for_a_change_rolled_back(
    to_varnish, article, editor, django_capture_on_commit_callbacks
):
    before = len(to_varnish.purges())
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        article.unpublish(user=editor)
        raise RuntimeError("the transaction fails")
    assert callbacks == []
    assert sent_since(to_varnish, before) == []


def test_unpublish_and_delete_purge_the_page_and_listings(
    to_varnish, article, article_index, editor, django_capture_on_commit_callbacks
):
    before = len(to_varnish.purges())
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish(user=editor)
    assert {f"page-{article.pk}", f"page-{article_index.pk}"} <= tags_of(
        sent_since(to_varnish, before)
    )
    before = len(to_varnish.purges())
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision(user=editor).publish(user=editor)
    before = len(to_varnish.purges())
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    purges = sent_since(to_varnish, before)
    assert f"page-{article.pk}" in tags_of(purges)
    assert "/articles/purged-article/" in paths_of(purges)


def test_a_slug_change_purges_the_old_url_too(
    to_varnish, article, reviewer, editor, django_capture_on_commit_callbacks
):
    version = article.get_latest_revision_as_object()
    version.slug = "renamed-article"
    version.save_revision(user=editor)
    before = len(to_varnish.purges())
    with django_capture_on_commit_callbacks(execute=True):
        publish_approved(article, reviewer, editor)
    paths = paths_of(sent_since(to_varnish, before))
    assert {"/articles/purged-article/", "/articles/renamed-article/"} <= paths


def test_a_move_purges_old_and_new_urls_and_both_listings(
    to_varnish,
    article,
    home,
    article_index,
    editor,
    site_reviewer,
    django_capture_on_commit_callbacks,
):
    other_index = add_reviewed_page(
        home, ArticleIndexPage(title="Reviews", slug="reviews"), site_reviewer
    )
    before = len(to_varnish.purges())
    with django_capture_on_commit_callbacks(execute=True):
        MovePageAction(article, other_index, pos="last-child", user=editor).execute(
            skip_permission_checks=True
        )
    purges = sent_since(to_varnish, before)
    assert {"/articles/purged-article/", "/reviews/purged-article/"} <= paths_of(purges)
    assert {
        f"page-{article.pk}",
        f"page-{article_index.pk}",
        f"page-{other_index.pk}",
    } <= tags_of(purges)


def test_a_source_change_is_one_tag_purge_for_every_page_citing_it(
    to_varnish,
    article,
    article_index,
    writer,
    reviewer,
    editor,
    source,
    django_capture_on_commit_callbacks,
):
    second = make_article(
        article_index, owner=writer, body=[paragraph("Another.", sources=[source])]
    )
    publish_approved(second, reviewer, editor)
    before = len(to_varnish.purges())
    with django_capture_on_commit_callbacks(execute=True):
        source.retraction_status = "retracted"
        source.save()
    purges = sent_since(to_varnish, before)
    assert len(purges) == 1
    assert purges[0]["tags"] == f"source-{source.pk}"
    assert purges[0]["status"] == "200"


def test_merging_sources_purges_the_pages_of_both(
    to_varnish, article, source, editor, django_capture_on_commit_callbacks
):
    from evidence.library.merging import merge_sources

    keep = SourceFactory(doi="", title="The record kept")
    before = len(to_varnish.purges())
    with django_capture_on_commit_callbacks(execute=True):
        merge_sources(keep, source, editor)
    purges = sent_since(to_varnish, before)
    assert {f"source-{source.pk}", f"source-{keep.pk}"} <= tags_of(purges)
    assert all(p["tags"] != "-" for p in purges)  # tags only, no URL per page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_failed_purge_is_queued_and_sent_when_varnish_is_back(
    article, tmp_path, reviewer, editor, caplog
):
    """Committed for real: the worker runs as it does in production."""
    runner = load_runner()
    down = LoneVarnish(tmp_path / "varnish", port=runner.free_port())
    with (
        override_settings(WAGTAILFRONTENDCACHE=frontend_cache(down.url)),
        caplog.at_level(logging.WARNING, logger="articles.purging"),
    ):
        publish_approved(article, reviewer, editor)
    assert "not sent" in caplog.text and "retry 1 queued" in caplog.text
    queued = DBTaskResult.objects.filter(
        task_path="articles.purging.retry_purge", queue_name="purges"
    )
    retries = [t for t in queued if t.args_kwargs["kwargs"]["attempt"] == 1]
    assert retries, "no retry was queued"
    assert all(t.run_after > timezone.now() for t in retries)
    waiting = {
        item
        for t in retries
        for item in t.args_kwargs["kwargs"]["urls"] + t.args_kwargs["kwargs"]["keys"]
    }
    assert f"page-{article.pk}" in waiting
    assert "http://localhost/articles/purged-article/" in waiting

    down.start()  # Varnish is back
    try:
        queued.update(run_after=timezone.now() - timedelta(seconds=1))
        call_command(
            "db_worker",
            "--batch",
            "--backend",
            "retractions",
            "--queue-name",
            "purges",
            verbosity=0,
        )
        arrived = down.purges()
    finally:
        down.stop()
    retried = [p for p in arrived if "(retry 1)" in p["agent"]]
    assert f"page-{article.pk}" in tags_of(retried)
    assert "/articles/purged-article/" in paths_of(retried)
    assert all(p["status"] == "200" for p in retried)
    assert not DBTaskResult.objects.filter(
        task_path="articles.purging.retry_purge", status="FAILED"
    ).exists()


def test_the_last_failed_attempt_is_logged_as_an_error(caplog):
    runner = load_runner()
    params = {"LOCATION": f"http://127.0.0.1:{runner.free_port()}"}
    last = len(purging.RETRY_DELAYS)
    with (
        caplog.at_level(logging.ERROR, logger="articles.purging"),
        pytest.raises(purging.PurgeFailed),
    ):
        purging.retry_purge.call(params=params, urls=[], keys=["page-1"], attempt=last)
    assert "Giving up on purging" in caplog.text and "page-1" in caplog.text


def test_without_a_frontend_cache_only_the_page_cache_is_purged(
    article, reviewer, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish_approved(article, reviewer, editor)
    assert any(isinstance(c, purging.PendingPurge) for c in callbacks)
