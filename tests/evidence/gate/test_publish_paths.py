"""Every way a version can go live asks the publish gate.

Each path is tried with a page showing each kind of problem, (a) an uncited
claim, (b) an unapproved claim, (c) an approval voided by an edit, (d) a
self-approval and (e) a retracted sole source, and is tried again once the
problem is fixed.
"""

import json
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision

from articles.models import ArticlePage
from evidence.gate import PublishBlocked
from evidence.gate.publish import publish_latest
from evidence.models import ReviewDecision
from evidence.passages import read_passages
from tests.evidence.admin_forms import page_form_data
from tests.factories import (
    SourceFactory,
    approve,
    edit_body,
    heading,
    latest,
    make_article,
    paragraph,
)

pytestmark = pytest.mark.django_db

KINDS = [
    "uncited_claim",
    "unapproved_claim",
    "approval_voided",
    "self_approval",
    "retracted_source",
]


def keyed(block, key="k0a1b"):
    """A paragraph as the editor stores it (each <p> has a block key)."""
    block["value"]["text"] = block["value"]["text"].replace(
        "<p>", f'<p data-block-key="{key}">'
    )
    return block


def reload(page):
    return ArticlePage.objects.get(pk=page.pk)


@dataclass
class Case:
    kind: str
    page: ArticlePage
    fixer: object

    def fix(self):
        self.fixer()


@pytest.fixture
def make_case(article_index, writer, reviewer, second_reviewer):
    """A draft article whose second passage shows the given problem."""

    def build(kind):
        source = SourceFactory()
        author = reviewer if kind == "self_approval" else writer
        cited = [] if kind == "uncited_claim" else [source]
        page = make_article(
            article_index,
            body=[heading("Levels"), keyed(paragraph("NAD+ falls.", sources=cited))],
            owner=author,
        )

        def approve_all(by=reviewer):
            return lambda: approve(page, by)

        def cite_and_approve():
            def add_source(blocks):
                blocks[1]["value"]["citations"].append(
                    paragraph(sources=[SourceFactory()])["value"]["citations"][0]
                )
                return blocks

            edit_body(page, writer, add_source)
            approve(page, reviewer)

        if kind == "uncited_claim":
            approve(page, reviewer)
            fixer = cite_and_approve
        elif kind == "unapproved_claim":
            fixer = approve_all()
        elif kind == "approval_voided":
            approve(page, reviewer)

            def reword(blocks):
                blocks[1]["value"]["text"] = (
                    '<p data-block-key="k0a1b">NAD+ falls with age.</p>'
                )
                return blocks

            edit_body(page, writer, reword)
            fixer = approve_all()
        elif kind == "self_approval":
            [passage] = [p for p in read_passages(latest(page)) if p.is_claim]
            ReviewDecision.objects.create(
                page=page,
                block_id=passage.block_id,
                fingerprint=passage.fingerprint,
                excerpt=passage.excerpt,
                decision="approve",
                certainty="moderate",
                reviewer=reviewer,
            )
            fixer = approve_all(second_reviewer)
        else:
            approve(page, reviewer)
            source.retraction_status = "retracted"
            source.save()
            fixer = cite_and_approve
        return Case(kind, reload(page), fixer)

    return build


def body_json(page):
    return json.dumps(list(latest(page).body.raw_data))


def force_live(page):
    """Make the latest draft live behind the gate's back (as a page that went
    live before a rule changed): the situation copies and aliases start from."""
    page = reload(page)
    ArticlePage.objects.filter(pk=page.pk).update(
        live=True,
        body=latest(page).body,
        has_unpublished_changes=False,
        live_revision_id=page.latest_revision_id,
    )


def gate_rules(error):
    return {p.rule for p in error.problems}


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def block_messages(response):
    """The gate's messages shown on the passages of the editor's form."""
    [error] = response.context["form"].errors.as_data()["body"]
    return {
        index: [str(m) for m in block_error.non_block_errors]
        for index, block_error in error.block_errors.items()
    }


RULE_WORDS = {
    "uncited_claim": "cites no source",
    "unapproved_claim": "has not been approved",
    "approval_voided": "changed after a medical reviewer approved it",
    "self_approval": "only by the person who wrote it",
    "retracted_source": "retracted sources",
    "undecided_unit": "has not been read by a medical reviewer",
}


# --- publish_latest and code ---------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_publish_latest(kind, make_case, editor):
    case = make_case(kind)
    with pytest.raises(PublishBlocked) as refused:
        publish_latest(case.page, editor)
    assert kind in gate_rules(refused.value)
    assert not reload(case.page).live
    case.fix()
    publish_latest(case.page, editor)
    assert reload(case.page).live


@pytest.mark.parametrize("kind", KINDS)
def test_revision_publish_from_code(kind, make_case, editor):
    case = make_case(kind)
    with pytest.raises(PublishBlocked) as refused:
        reload(case.page).get_latest_revision().publish(user=editor)
    assert kind in gate_rules(refused.value)
    assert not reload(case.page).live
    case.fix()
    reload(case.page).get_latest_revision().publish(user=editor)
    assert reload(case.page).live


def new_page_rules(kind) -> set:
    """What the gate says of a new page carrying the case's passages: a new
    page has no reviews of its own, whoever reviewed the same text elsewhere
    (issue 12, rule 5), so every claim is unapproved there, and its title,
    standfirst and heading undecided (rule 1)."""
    if kind in {"uncited_claim", "retracted_source"}:
        return {kind, "unapproved_claim", "undecided_unit"}
    return {"unapproved_claim", "undecided_unit"}


@pytest.mark.parametrize("kind", KINDS)
def test_add_child_live_from_code(kind, make_case, article_index):
    case = make_case(kind)

    def new_live_page(slug):
        return ArticlePage(
            title="Copied by hand",
            slug=slug,
            standfirst="A summary.",
            body=body_json(case.page),
            live=True,
        )

    with pytest.raises(PublishBlocked) as refused:
        article_index.add_child(instance=new_live_page("by-hand"))
    assert gate_rules(refused.value) == new_page_rules(kind)
    assert not ArticlePage.objects.filter(slug="by-hand").exists()
    case.fix()
    # The same ids, text and citations, approved on the case's page: the
    # approvals belong to that page and do not travel (issue 12, rule 5).
    with pytest.raises(PublishBlocked) as refused:
        article_index.add_child(instance=new_live_page("by-hand"))
    assert gate_rules(refused.value) == {"unapproved_claim", "undecided_unit"}
    assert not ArticlePage.objects.filter(slug="by-hand").exists()


def set_live_through_a_plain_page(page):
    """Save the latest draft on the page's row, as the page editor does for a
    page never published, then set it live through a plain `Page` object."""
    latest(page).save()
    plain = Page.objects.get(pk=page.pk)
    plain.live = True
    plain.save()


@pytest.mark.parametrize("kind", KINDS)
def test_a_plain_page_saved_live_from_code(kind, make_case):
    case = make_case(kind)
    with pytest.raises(PublishBlocked) as refused:
        set_live_through_a_plain_page(case.page)
    assert kind in gate_rules(refused.value)
    assert not reload(case.page).live
    case.fix()
    set_live_through_a_plain_page(case.page)
    assert reload(case.page).live


# --- the editor ----------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_edit_view_publish(kind, make_case, admin_client):
    case = make_case(kind)
    url = reverse("wagtailadmin_pages:edit", args=[case.page.pk])
    draft_id = case.page.latest_revision_id
    response = admin_client.post(url, page_form_data(latest(case.page), "publish"))
    assert response.status_code == 200
    shown = block_messages(response)
    assert 1 in shown  # on the second block, the failing passage
    assert any(RULE_WORDS[kind] in m for m in shown[1])
    page = reload(case.page)
    assert not page.live
    assert page.latest_revision_id == draft_id  # the draft is kept as it was
    case.fix()
    response = admin_client.post(url, page_form_data(latest(case.page), "publish"))
    assert response.status_code == 302
    assert reload(case.page).live


@pytest.mark.parametrize("kind", KINDS)
def test_create_view_publish(kind, make_case, admin_client, article_index):
    case = make_case(kind)
    url = reverse(
        "wagtailadmin_pages:add", args=["articles", "articlepage", article_index.pk]
    )
    data = page_form_data(latest(case.page), "publish", slug="new-one")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    words = {RULE_WORDS[rule] for rule in new_page_rules(kind)}
    assert any(w in m for m in block_messages(response)[1] for w in words)
    assert not ArticlePage.objects.filter(slug="new-one").exists()
    case.fix()
    # Reviews of the same passages on another page do not publish a new one.
    data = page_form_data(latest(case.page), "publish", slug="new-one")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert any(RULE_WORDS["unapproved_claim"] in m for m in block_messages(response)[1])
    assert not ArticlePage.objects.filter(slug="new-one").exists()


@pytest.mark.parametrize("kind", KINDS)
def test_revert_and_publish(kind, make_case, admin_client):
    case = make_case(kind)
    page = reload(case.page)
    url = reverse(
        "wagtailadmin_pages:revisions_revert",
        args=[page.pk, page.latest_revision_id],
    )
    response = admin_client.post(url, page_form_data(latest(page), "publish"))
    assert response.status_code == 200
    assert any(RULE_WORDS[kind] in m for m in block_messages(response)[1])
    assert not reload(page).live
    case.fix()
    page = reload(page)
    url = reverse(
        "wagtailadmin_pages:revisions_revert",
        args=[page.pk, page.latest_revision_id],
    )
    response = admin_client.post(url, page_form_data(latest(page), "publish"))
    assert response.status_code == 302
    assert reload(page).live


def test_drafts_always_save(article_index, writer, editor, admin_client):
    page = make_article(
        article_index, body=[keyed(paragraph("NAD+ cures all."))], owner=writer
    )
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = page_form_data(latest(page), None, title="Still a draft")
    response = admin_client.post(url, data)
    assert response.status_code == 302
    page = reload(page)
    assert page.draft_title == "Still a draft" and not page.live


# --- admin API, bulk, workflow, schedule -----------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_wagtail_admin_api_publish(kind, make_case, admin_client):
    case = make_case(kind)
    url = f"/admin/api/main/pages/{case.page.pk}/action/publish/"
    response = admin_client.post(url, {}, content_type="application/json")
    assert response.status_code == 400
    assert RULE_WORDS[kind] in json.dumps(response.json(), ensure_ascii=False)
    assert not reload(case.page).live
    case.fix()
    response = admin_client.post(url, {}, content_type="application/json")
    assert response.status_code == 200
    assert reload(case.page).live


def bulk_publish_url(*pages):
    ids = "&".join(f"id={p.pk}" for p in pages)
    base = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    return f"{base}?{ids}&next=/admin/"


@pytest.mark.parametrize("kind", KINDS)
def test_bulk_publish(kind, make_case, admin_client):
    case = make_case(kind)
    response = admin_client.post(bulk_publish_url(case.page), follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any(RULE_WORDS[kind] in m for m in shown), shown
    assert not reload(case.page).live
    case.fix()
    admin_client.post(bulk_publish_url(case.page))
    assert reload(case.page).live


def test_bulk_publish_with_descendants_names_the_blocked_child(
    make_case, admin_client, article_index
):
    case = make_case("unapproved_claim")
    response = admin_client.post(
        bulk_publish_url(article_index),
        {"include_descendants": "on"},
        follow=True,
    )
    shown = " ".join(str(m) for m in response.context["messages"])
    assert case.page.title in shown and "has not been approved" in shown
    assert not reload(case.page).live
    case.fix()
    admin_client.post(bulk_publish_url(article_index), {"include_descendants": "on"})
    assert reload(case.page).live


@pytest.mark.parametrize("kind", KINDS)
def test_last_workflow_approval(kind, make_case, writer, superuser):
    case = make_case(kind)
    page = reload(case.page)
    workflow = page.get_workflow()
    assert workflow is not None
    workflow.start(page, writer)

    def approve_task():
        task_state = reload(page).current_workflow_task_state
        task_state.task.specific.on_action(task_state, superuser, "approve")

    with pytest.raises((PublishBlocked, PermissionDenied, ValidationError)):
        approve_task()
    assert not reload(page).live
    case.fix()
    approve_task()  # the medical review: the page waits for the sign-off
    assert not reload(page).live
    approve_task()  # the editorial sign-off publishes
    assert reload(page).live


@pytest.mark.parametrize("kind", KINDS)
def test_scheduled_publish_unschedules_refused_and_publishes_the_rest(
    kind, make_case, article_index, writer, reviewer
):
    case = make_case(kind)
    good = make_article(
        article_index,
        body=[keyed(paragraph(sources=[SourceFactory()]))],
        owner=writer,
    )
    approve(good, reviewer)
    now = timezone.now()
    bad_rev = reload(case.page).get_latest_revision()
    good_rev = reload(good).get_latest_revision()
    Revision.objects.filter(pk=bad_rev.pk).update(
        approved_go_live_at=now - timedelta(minutes=2)
    )
    Revision.objects.filter(pk=good_rev.pk).update(
        approved_go_live_at=now - timedelta(minutes=1)
    )
    call_command("publish_scheduled")
    bad_rev.refresh_from_db()
    assert bad_rev.approved_go_live_at is None  # taken off the schedule
    assert not reload(case.page).live
    assert reload(good).live  # the queue after it was not stalled
    assert PageLogEntry.objects.filter(
        page=case.page, action="evidence.publish_refused"
    ).exists()
    [message] = mail.outbox
    assert case.page.owner.email in message.to
    assert RULE_WORDS[kind] in message.body
    case.fix()
    Revision.objects.filter(pk=reload(case.page).latest_revision_id).update(
        approved_go_live_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("publish_scheduled")
    assert reload(case.page).live


def test_scheduling_a_refused_version_is_refused(make_case, editor):
    case = make_case("unapproved_claim")
    version = latest(case.page)
    version.go_live_at = timezone.now() + timedelta(days=1)
    revision = version.save_revision(user=editor)
    with pytest.raises(PublishBlocked):
        revision.publish(user=editor)
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None


# --- copies and aliases --------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_copy_and_publish(kind, make_case, article_index, editor):
    case = make_case(kind)
    force_live(case.page)

    def copy():
        return reload(case.page).copy(
            to=article_index,
            update_attrs={"slug": "the-copy"},  # the title as reviewed
            keep_live=True,
            user=editor,
        )

    with pytest.raises(PublishBlocked) as refused:
        copy()
    assert kind in gate_rules(refused.value)
    assert not ArticlePage.objects.filter(slug="the-copy").exists()
    case.fix()
    publish_latest(case.page, editor)
    assert reload(copy()).live  # reviews travel with the copied passages


@pytest.mark.parametrize("kind", KINDS)
def test_alias(kind, make_case, editor):
    case = make_case(kind)
    force_live(case.page)
    with pytest.raises(PublishBlocked) as refused:
        reload(case.page).create_alias(update_slug="the-alias", user=editor)
    assert kind in gate_rules(refused.value)
    assert not ArticlePage.objects.filter(slug="the-alias").exists()
    case.fix()
    publish_latest(case.page, editor)
    alias = reload(case.page).create_alias(update_slug="the-alias", user=editor)
    assert reload(alias).live


def test_moving_a_live_page_that_no_longer_passes_is_allowed(make_case, editor):
    case = make_case("retracted_source")
    force_live(case.page)
    page = reload(case.page)
    page.title = page.title  # an unchanged live row saved again (a move, a lock)
    page.save()
    assert reload(page).live


# --- the lock and the byline ----------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publish_locks_the_page_row(make_case, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = make_case("unapproved_claim")
    case.fix()
    with CaptureQueriesContext(connection) as ctx:
        publish_latest(case.page, editor)
    locking = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locking and re.search(r'"wagtailcore_page"', locking[0])


def test_byline_comes_from_the_decisions_not_the_publish_date(
    make_case, editor, reviewer, second_reviewer
):
    case = make_case("self_approval")  # reviewer wrote it; second_reviewer approves
    case.fix()
    decision = ReviewDecision.objects.filter(reviewer=second_reviewer).latest(
        "created_at"
    )
    publish_latest(case.page, editor)
    page = reload(case.page)
    assert list(page.reviewed_by.all()) == [second_reviewer]
    assert page.last_reviewed_at == decision.created_at
    assert page.last_reviewed_at != page.last_published_at


# --- the demo -----------------------------------------------------------------


def test_demo_promo_draft_is_refused_listing_every_uncited_claim():
    from django.contrib.auth import get_user_model

    call_command("load_demo_content")
    promo = ArticlePage.objects.get(slug="nad-and-cellular-senescence")
    claims = [p for p in read_passages(latest(promo)) if p.is_claim]
    editor = get_user_model().objects.get(username="editor")
    with pytest.raises(PublishBlocked) as refused:
        publish_latest(promo, editor)
    uncited = [p for p in refused.value.problems if p.rule == "uncited_claim"]
    assert [p.block_id for p in uncited] == [
        p.block_id for p in claims if not p.usable_citations
    ]
    assert len(uncited) >= 3
    assert not reload(promo).live


def test_demo_article_is_reviewed_and_published_through_the_gate():
    from django.contrib.auth import get_user_model

    call_command("load_demo_content")
    article = ArticlePage.objects.get(slug="nad-iv-therapy-and-ageing")
    reviewer = get_user_model().objects.get(username="reviewer")
    assert article.live
    assert list(article.reviewed_by.all()) == [reviewer]
    assert reviewer.reviewer_profile.display_name == "Dr Rhea Okafor"
    assert article.last_reviewed_at <= article.last_published_at
    publish_latest(article, get_user_model().objects.get(username="editor"))


# --- the index pages -------------------------------------------------------------
# The home page and the article index are gated too (issue 12, rule 1): an
# introduction no medical reviewer read is refused on each path, and goes
# live once one decided it. (The editor's views and code:
# test_index_pages.py.)

INDEX_CLAIM = "Vitamin C cures the common cold."
INDEX_PATHS = ["publish_latest", "admin_api", "bulk_publish", "scheduled"]


@pytest.mark.parametrize("path", INDEX_PATHS)
@pytest.mark.parametrize("which", ["home", "article_index"])
def test_an_index_pages_unreviewed_intro_on_every_path(
    path, which, request, writer, reviewer, editor, admin_client
):
    from tests.factories import decide

    page = request.getfixturevalue(which)
    model = type(page)
    version = model.objects.get(pk=page.pk).get_latest_revision_as_object()
    version.intro = INDEX_CLAIM
    version.save_revision(user=writer)

    def publish():
        if path == "publish_latest":
            publish_latest(model.objects.get(pk=page.pk), editor)
        elif path == "admin_api":
            admin_client.post(
                f"/admin/api/main/pages/{page.pk}/action/publish/",
                {},
                content_type="application/json",
            )
        elif path == "bulk_publish":
            admin_client.post(bulk_publish_url(page))
        else:
            Revision.objects.filter(
                pk=model.objects.get(pk=page.pk).latest_revision_id
            ).update(approved_go_live_at=timezone.now() - timedelta(seconds=1))
            call_command("publish_scheduled")

    def live_intro():
        return model.objects.get(pk=page.pk).intro

    if path == "publish_latest":
        with pytest.raises(PublishBlocked) as refused:
            publish()
        assert {(p.block_id, p.rule) for p in refused.value.problems} == {
            ("intro", "approval_voided")
        }
    else:
        publish()
    assert live_intro() != INDEX_CLAIM
    decide(page, "intro", reviewer, "not_a_claim")
    publish()
    assert live_intro() == INDEX_CLAIM


def test_an_index_page_added_live_from_code_is_refused(home):
    from articles.models import ArticleIndexPage

    with pytest.raises(PublishBlocked) as refused:
        home.add_child(
            instance=ArticleIndexPage(title="Colds", slug="colds", intro=INDEX_CLAIM)
        )
    assert {p.block_id for p in refused.value.problems} == {"title", "intro"}
    assert not ArticleIndexPage.objects.filter(slug="colds").exists()
