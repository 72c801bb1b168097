"""Each role's dashboard panel (issue 14, item 3): the editor's "Ready to
sign off", the writer's "Changes requested", the reviewer's "Waiting for
your medical review", oldest first, each shown only to its role."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from evidence.admin.team import changes_requested_for, ready_to_sign_off
from tests.factories import SourceFactory, approve, make_article, paragraph

pytestmark = pytest.mark.django_db


def article(index, title, owner):
    return make_article(
        index,
        title=title,
        body=[paragraph("NR raises blood NAD+ in adults.", sources=[SourceFactory()])],
        owner=owner,
    )


def act(page, user, action, **kwargs):
    page = Page.objects.get(pk=page.pk).specific
    state = page.current_workflow_task_state.specific
    state.task.specific.on_action(state, user, action, **kwargs)


def submit(page, user):
    page = Page.objects.get(pk=page.pk).specific
    page.get_workflow().start(page, user)


def dashboard(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_ready_to_sign_off_lists_reviewed_pages_oldest_first(
    client, article_index, writer_in_group, reviewer, editor
):
    first = article(article_index, "First", writer_in_group)
    second = article(article_index, "Second", writer_in_group)
    for page in (first, second):
        submit(page, writer_in_group)
        approve(page, reviewer)
        act(page, reviewer, "approve")
    assert [item.page.pk for item in ready_to_sign_off()] == [first.pk, second.pk]
    assert ready_to_sign_off()[0].review.finished_by == reviewer
    html = dashboard(client, editor)
    assert "Ready to sign off" in html
    assert reverse("evidence_review:sign_off", args=[first.pk]) in html
    assert "Ready to sign off" not in dashboard(client, writer_in_group)
    assert "Ready to sign off" not in dashboard(client, reviewer)


def test_the_writer_sees_their_articles_sent_back(
    client, article_index, writer_in_group, reviewer, editor
):
    page = article(article_index, "Sent back", writer_in_group)
    submit(page, writer_in_group)
    act(page, reviewer, "reject", comment="Cite the dose.")
    [item] = changes_requested_for(writer_in_group)
    assert item.page.pk == page.pk and item.task_state.comment == "Cite the dose."
    html = dashboard(client, writer_in_group)
    assert "Changes requested on your articles" in html and "Cite the dose." in html
    assert "Waiting for your medical review" not in html
    assert changes_requested_for(editor) == []


def test_the_reviewer_sees_what_waits_for_them(
    client, article_index, writer_in_group, reviewer
):
    page = article(article_index, "To review", writer_in_group)
    submit(page, writer_in_group)
    html = dashboard(client, reviewer)
    assert "Waiting for your medical review" in html
    assert reverse("evidence_review:page", args=[page.pk]) in html
