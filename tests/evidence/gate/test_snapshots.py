"""The publish snapshot: what the gate decided for a version as it went live.

Every publish path writes one for the revision going live, in the same step
as the gate's check; pages that went live before snapshots were kept get
theirs after `migrate`; the dashboard and the audit list live pages whose
decisions changed since.
"""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from articles.models import ArticlePage
from evidence.admin.dashboard import live_pages_decided_since_publish
from evidence.gate import PublishBlocked
from evidence.gate.publish import publish_latest, record_missing_snapshots
from evidence.models import PublishSnapshot, ReviewDecision
from evidence.page import gated_page_models
from evidence.passages import read_passages
from tests.evidence.admin_forms import page_form_data
from tests.factories import (
    SourceFactory,
    approve,
    decide,
    heading,
    latest,
    make_article,
    paragraph,
)

pytestmark = pytest.mark.django_db


def reload(page):
    return ArticlePage.objects.get(pk=page.pk)


@pytest.fixture
def approved(article_index, writer, reviewer):
    """A draft whose claim `reviewer` approved as of low certainty, and whose
    context passage they confirmed is not a claim."""
    page = make_article(
        article_index,
        title="NR and NAD+",
        body=[
            heading("Levels"),
            paragraph("NR raised blood NAD+.", sources=[SourceFactory()]),
            paragraph("Ageing is complex.", role="context"),
        ],
        owner=writer,
    )
    approve(page, reviewer, certainty="low", reason="One small trial.")
    return reload(page)


def claim_id(page):
    return next(p.block_id for p in read_passages(latest(page)) if p.is_claim)


def assert_snapshot_of_live_version(page, reviewer):
    page = reload(page)
    assert page.live
    snapshot = PublishSnapshot.objects.live_for(page)
    assert snapshot is not None
    assert snapshot.revision_id == page.live_revision_id
    claim = snapshot.outcome(claim_id(page))
    assert claim.status == "approved"
    assert claim.certainty == "low"
    assert claim.reviewer_ids == (reviewer.pk,)
    assert claim.decided_at is not None
    assert len(claim.fingerprint) == 64
    context = [
        snapshot.outcome(p.block_id)
        for p in read_passages(page)
        if not p.is_claim and p.kind == "paragraph"
    ]
    assert [c.status for c in context] == ["confirmed_not_claim"]
    assert snapshot.reviewer_ids == [reviewer.pk]
    assert [c.user_id for c in snapshot.byline()] == [reviewer.pk]
    assert snapshot.last_reviewed_at == page.last_reviewed_at
    return snapshot


# --- every path writes one ----------------------------------------------------


def by_publish_latest(page, editor, client, article_index):
    publish_latest(page, editor)
    return page


def by_revision_publish(page, editor, client, article_index):
    reload(page).get_latest_revision().publish(user=editor)
    return page


def by_edit_view(page, editor, client, article_index):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(url, page_form_data(latest(page), "publish"))
    assert response.status_code == 302
    return page


def by_admin_api(page, editor, client, article_index):
    url = f"/admin/api/main/pages/{page.pk}/action/publish/"
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 200
    return page


def by_bulk(page, editor, client, article_index):
    base = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    client.post(f"{base}?id={page.pk}&next=/admin/")
    return page


def by_workflow(page, editor, client, article_index):
    from django.contrib.auth import get_user_model

    workflow = page.get_workflow()
    workflow.start(page, page.owner)
    approver = get_user_model().objects.create_superuser("approver", "a@x.org", "pw")
    # The medical review, then the editorial sign-off, which publishes.
    while task_state := reload(page).current_workflow_task_state:
        task_state.task.specific.on_action(task_state, approver, "approve")
    return page


def by_schedule(page, editor, client, article_index):
    Revision.objects.filter(pk=reload(page).latest_revision_id).update(
        approved_go_live_at=timezone.now() - timedelta(minutes=1)
    )
    call_command("publish_scheduled")
    return page


def by_copy_keep_live(page, editor, client, article_index):
    publish_latest(page, editor)
    return reload(page).copy(
        to=article_index,
        update_attrs={"slug": "the-copy"},  # the title as reviewed
        keep_live=True,
        user=editor,
    )


def by_alias(page, editor, client, article_index):
    publish_latest(page, editor)
    return reload(page).create_alias(update_slug="the-alias", user=editor)


@pytest.mark.parametrize(
    "path",
    [
        by_publish_latest,
        by_revision_publish,
        by_edit_view,
        by_admin_api,
        by_bulk,
        by_workflow,
        by_schedule,
        by_copy_keep_live,
        by_alias,
    ],
)
def test_every_publish_path_writes_the_snapshot_of_the_version_going_live(
    path, approved, editor, reviewer, client, article_index
):
    client.force_login(editor)
    live = path(approved, editor, client, article_index)
    assert_snapshot_of_live_version(live, reviewer)


def test_a_live_copy_saved_before_it_has_a_revision_gets_a_snapshot(
    approved, article_index, reviewer, editor
):
    """ "Publish copies" inserts the copy's row live before it has an id or a
    revision of its own: its snapshot is written once it has an id, from
    the reviews it copied."""
    publish_latest(approved, editor)
    copy = reload(approved).copy(
        to=article_index,
        update_attrs={"slug": "copied-live"},  # the title as reviewed
        keep_live=True,
        user=editor,
    )
    snapshot = PublishSnapshot.objects.live_for(reload(copy))
    assert snapshot is not None
    assert snapshot.outcome(claim_id(approved)).certainty == "low"


def test_a_new_page_saved_live_from_code_is_refused(approved, article_index):
    """A page that does not exist yet has no decisions: reusing an approved
    page's block ids, text and citations gives it none (issue 12)."""
    with pytest.raises(PublishBlocked):
        article_index.add_child(
            instance=ArticlePage(
                title="Added live from code",
                slug="added-live",
                standfirst="A summary.",
                body=json.dumps(list(latest(approved).body.raw_data)),
                live=True,
            )
        )
    assert not ArticlePage.objects.filter(slug="added-live").exists()


def test_a_refused_publish_leaves_no_snapshot(article_index, writer, editor):
    page = make_article(
        article_index, body=[paragraph("NR cures ageing.")], owner=writer
    )
    with pytest.raises(PublishBlocked):
        publish_latest(page, editor)
    assert not PublishSnapshot.objects.filter(page=page).exists()


def test_each_publish_keeps_the_snapshot_of_its_own_revision(
    approved, editor, reviewer
):
    publish_latest(approved, editor)
    first = PublishSnapshot.objects.live_for(reload(approved))
    decide(
        approved,
        claim_id(approved),
        reviewer,
        "approve",
        certainty="moderate",
        certainty_reason="Read again.",
    )
    latest(approved).save_revision(user=editor)
    publish_latest(approved, editor)
    second = PublishSnapshot.objects.live_for(reload(approved))
    assert second.pk != first.pk
    assert second.revision_id == reload(approved).live_revision_id
    assert second.outcome(claim_id(approved)).certainty == "moderate"
    first.refresh_from_db()
    assert first.outcome(claim_id(approved)).certainty == "low"  # kept as it was


def test_republishing_the_live_revision_records_decisions_given_since(
    approved, editor, reviewer, second_reviewer
):
    publish_latest(approved, editor)
    decide(
        approved,
        claim_id(approved),
        second_reviewer,
        "approve",
        certainty="high",
        certainty_reason="Read again.",
    )
    live_revision = reload(approved).live_revision_id
    publish_latest(approved, editor)  # the latest revision is the live one
    page = reload(approved)
    assert page.live_revision_id == live_revision
    snapshot = PublishSnapshot.objects.live_for(page)
    claim = snapshot.outcome(claim_id(approved))
    assert claim.certainty == "high"
    assert claim.reviewer_ids == (reviewer.pk, second_reviewer.pk)
    assert snapshot.reviewer_ids == sorted([reviewer.pk, second_reviewer.pk])


def test_moving_a_live_page_does_not_rewrite_its_snapshot(approved, editor, reviewer):
    publish_latest(approved, editor)
    before = PublishSnapshot.objects.live_for(reload(approved))
    decide(
        approved, claim_id(approved), reviewer, "request_changes", note="Too strong."
    )
    page = reload(approved)
    page.save()  # an unchanged live row saved again (a move, a lock)
    after = PublishSnapshot.objects.live_for(reload(approved))
    assert after.recorded_at == before.recorded_at
    assert after.outcome(claim_id(approved)).status == "approved"


# --- pages that went live before snapshots -------------------------------------


def test_migrate_records_the_snapshots_of_pages_live_before_them(
    approved, editor, reviewer
):
    publish_latest(approved, editor)
    PublishSnapshot.objects.all().delete()
    call_command("migrate", verbosity=0)
    snapshot = assert_snapshot_of_live_version(approved, reviewer)
    # Nothing left to record: running again changes nothing.
    assert record_missing_snapshots(gated_page_models()) == 0
    assert PublishSnapshot.objects.get(page=approved) == snapshot


def test_a_backfilled_snapshot_keeps_the_byline_readers_were_shown(
    approved, editor, reviewer, second_reviewer
):
    """Before snapshots, the byline was stored on the page when it went live;
    decisions given later did not change it, and still do not."""
    publish_latest(approved, editor)
    PublishSnapshot.objects.filter(page=approved).delete()
    decide(
        approved,
        claim_id(approved),
        second_reviewer,
        "approve",
        certainty="low",
        certainty_reason="Read again.",
    )
    assert record_missing_snapshots(gated_page_models()) == 1
    snapshot = PublishSnapshot.objects.live_for(reload(approved))
    assert snapshot.reviewer_ids == [reviewer.pk]
    assert snapshot.last_reviewed_at == reload(approved).last_reviewed_at


# --- live pages whose decisions changed since ------------------------------------


def test_dashboard_lists_live_pages_decided_on_since_they_went_live(
    approved, editor, reviewer, second_reviewer, client
):
    publish_latest(approved, editor)
    assert live_pages_decided_since_publish() == []

    # A second approval of the same text credits another reviewer.
    decide(
        approved,
        claim_id(approved),
        second_reviewer,
        "approve",
        certainty="low",
        certainty_reason="Read again.",
    )
    [item] = live_pages_decided_since_publish()
    assert item.page.pk == approved.pk
    assert item.units == [claim_id(approved)]

    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Live articles with review decisions not yet published" in html
    assert "1 review changed" in html

    publish_latest(approved, editor)
    assert live_pages_decided_since_publish() == []


def test_a_decision_that_changes_no_outcome_is_not_listed(
    approved, editor, reviewer, writer
):
    publish_latest(approved, editor)
    # A decision on a passage of a newer draft, not of the live version.
    draft = latest(approved)
    draft.body = json.dumps(
        [*draft.body.raw_data, paragraph("A new claim.", block_id="new-block")]
    )
    draft.save_revision(user=writer)
    decide(approved, "new-block", reviewer, "request_changes", note="Cite.")
    assert ReviewDecision.objects.filter(block_id="new-block").exists()
    assert live_pages_decided_since_publish() == []


def test_audit_names_live_pages_showing_outdated_decisions(approved, editor, reviewer):
    publish_latest(approved, editor)
    decide(
        approved,
        claim_id(approved),
        reviewer,
        "approve",
        certainty="moderate",
        certainty_reason="Read again.",
    )
    out = StringIO()
    call_command("audit_live_articles", stdout=out)
    text = out.getvalue()
    assert "Every live article passes the publish gate." in text
    assert "publish them again" in text
    assert f"NR and NAD+ (id {approved.pk}): 1 review(s) changed" in text


def test_reviewers_are_credited_as_their_profiles_named_them_then(
    approved, editor, reviewer
):
    from evidence.models import ReviewerProfile

    profile = ReviewerProfile.objects.create(
        user=reviewer, display_name="Dr Ada Reviewer", credentials="MD"
    )
    publish_latest(approved, editor)
    profile.credentials = "MD, PhD"
    profile.save()
    snapshot = PublishSnapshot.objects.live_for(reload(approved))
    [credit] = snapshot.byline()
    assert str(credit) == "Dr Ada Reviewer, MD"
    claim = snapshot.outcome(claim_id(approved))
    assert snapshot.credit(claim.reviewer_ids[0]).name == "Dr Ada Reviewer"
