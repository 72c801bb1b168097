"""Publishing and reviewing are atomic with respect to edits (issue 12,
rules 4 and 8), on PostgreSQL with real concurrent transactions.

A third connection holds the page row while the racing requests queue
behind it in a chosen order; releasing it lets them run one after the other
exactly as they would interleave in production. Before the fix, an API
PATCH read the page row before a concurrent publish committed and then
saved that stale row: the publish answered 200 and the page ended not live.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from articles.models import ArticlePage
from evidence.models import ReviewDecision
from evidence.review.data import review_states
from tests.api.conftest import client_for
from tests.factories import SourceFactory, approve, make_article, paragraph

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def waiting_on_locks() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


class RowHolder(threading.Thread):
    """Holds page `pk`'s row lock in its own transaction until released."""

    def __init__(self, pk):
        super().__init__(daemon=True)
        self.pk = pk
        self.locked = threading.Event()
        self.release = threading.Event()

    def run(self):
        try:
            with transaction.atomic():
                ArticlePage.objects.select_for_update().get(pk=self.pk)
                self.locked.set()
                self.release.wait(30)
        finally:
            connections.close_all()


class Request(threading.Thread):
    def __init__(self, send):
        super().__init__(daemon=True)
        self.send = send
        self.response = None

    def run(self):
        try:
            self.response = self.send()
        finally:
            connections.close_all()


def queue(*requests, holder, already=0):
    """Start each request in turn, each once the one before waits on the
    lock, so they run in this order when the holder lets go."""
    holder.start()
    assert holder.locked.wait(10)
    for count, request in enumerate(requests, start=already + 1):
        request.start()
        deadline = time.monotonic() + 20
        while waiting_on_locks() < count:
            assert time.monotonic() < deadline, "the request never waited"
            time.sleep(0.02)
    holder.release.set()
    holder.join(30)
    for request in requests:
        request.join(60)


@pytest.fixture
def article(article_index, staff_writer, reviewer):
    page = make_article(
        article_index,
        owner=staff_writer,
        body=[
            paragraph("NR raised blood NAD+.", sources=[SourceFactory()], block_id="c")
        ],
    )
    approve(page, reviewer)
    return ArticlePage.objects.get(pk=page.pk)


def test_a_patch_racing_a_publish_leaves_the_page_live_with_the_checked_version(
    article, staff_writer, editor
):
    checked = article.latest_revision_id
    publish = Request(
        lambda: client_for(editor).post(f"/api/v1/articles/{article.pk}/publish/")
    )
    patch = Request(
        lambda: client_for(staff_writer).patch(
            f"/api/v1/articles/{article.pk}/",
            {"standfirst": "A new summary."},
            format="json",
        )
    )
    queue(publish, patch, holder=RowHolder(article.pk))
    assert publish.response.status_code == 200, publish.response.json()
    assert patch.response.status_code == 200, patch.response.json()
    page = ArticlePage.objects.get(pk=article.pk)
    assert page.live
    assert page.live_revision_id == checked
    assert page.standfirst == "A short summary."  # the live version, as checked
    assert page.latest_revision_id != checked
    assert page.has_unpublished_changes
    assert page.get_latest_revision_as_object().standfirst == "A new summary."


def claim_patch(client, page, source_id, text):
    return client.patch(
        f"/api/v1/articles/{page.pk}/",
        {
            "body": [
                {
                    "type": "paragraph",
                    "id": "c",
                    "value": {
                        "text": f"<p>{text}</p>",
                        "role": "claim",
                        "citations": [{"source": source_id, "stance": "supports"}],
                    },
                }
            ]
        },
        format="json",
    )


@pytest.fixture
def unreviewed(article_index, staff_writer):
    return make_article(
        article_index,
        owner=staff_writer,
        body=[
            paragraph("NR raised blood NAD+.", sources=[SourceFactory()], block_id="c")
        ],
    )


def shown(client, page):
    data = client.get(f"/api/v1/articles/{page.pk}/?revision=latest").json()
    # The body's one passage (the title and standfirst are units too).
    [passage] = [p for p in data["passages"] if p.get("block_id") == "c"]
    return passage


@pytest.mark.parametrize("first", ["edit", "review"])
def test_a_review_racing_an_edit_is_pinned_to_the_text_read_or_refused(
    first, unreviewed, staff_writer, reviewer
):
    read = shown(client_for(reviewer), unreviewed)
    source_id = read["citations"][0]["source"]
    edit = Request(
        lambda: claim_patch(
            client_for(staff_writer), unreviewed, source_id, "NR reverses ageing."
        )
    )
    review = Request(
        lambda: client_for(reviewer).post(
            f"/api/v1/articles/{unreviewed.pk}/passages/c/reviews/",
            {"decision": "approve", "fingerprint": read["fingerprint"]},
            format="json",
        )
    )
    order = (edit, review) if first == "edit" else (review, edit)
    queue(*order, holder=RowHolder(unreviewed.pk))
    assert edit.response.status_code == 200
    page = ArticlePage.objects.get(pk=unreviewed.pk)
    state = review_states(page.get_latest_revision_as_object())["c"]
    if first == "edit":
        assert review.response.status_code == 409
        assert not ReviewDecision.objects.filter(page=unreviewed).exists()
        assert state.status == "unreviewed"
    else:
        assert review.response.status_code == 201
        [decision] = ReviewDecision.objects.filter(page=unreviewed).all()
        assert decision.fingerprint == read["fingerprint"]
        assert state.status == "changed_since_approval"
    assert connection.vendor == "postgresql"
