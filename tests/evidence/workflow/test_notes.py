"""A reviewer's "request changes" note reaches the writer in the editor, as
a Wagtail comment on the passage, resolved when the writer changes it
(issue 14, item 2)."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Comment, Page, PageLogEntry

from tests.factories import (
    SourceFactory,
    approve,
    decide,
    heading,
    make_article,
    paragraph,
    set_passage_text,
)

pytestmark = pytest.mark.django_db

NOTE = "Say which precursor, and at what dose."


@pytest.fixture
def article(article_index, writer_in_group):
    return make_article(
        article_index,
        title="NAD+ and ageing",
        body=[
            heading("What the trials found"),
            paragraph("NAD+ levels fall with age.", sources=[SourceFactory()]),
            paragraph("NR raises blood NAD+ in adults.", sources=[SourceFactory()]),
        ],
        owner=writer_in_group,
    )


def block_ids(page):
    version = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
    return [block["id"] for block in version.body.raw_data]


def request_changes(page, reviewer, index=2, note=NOTE):
    return decide(page, block_ids(page)[index], reviewer, "request_changes", note=note)


def test_requesting_changes_leaves_a_comment_on_the_passage(article, reviewer):
    request_changes(article, reviewer)
    [comment] = Comment.objects.filter(page=article)
    assert comment.text == NOTE
    assert comment.user == reviewer
    assert comment.contentpath == f"body.{block_ids(article)[2]}.text"
    assert comment.resolved_at is None
    assert comment.revision_created_id == article.specific.latest_revision_id
    # Wagtail's editor only shows comments whose path leads to a field.
    version = Page.objects.get(pk=article.pk).specific.get_latest_revision_as_object()
    assert comment.has_valid_contentpath(version)
    assert PageLogEntry.objects.filter(
        page=article, action="wagtail.comments.create"
    ).exists()


def test_a_note_on_the_title_is_a_comment_on_the_title_field(article, reviewer):
    """A field unit's note sits on its field ("title"), where Wagtail's
    editor shows it, not inside the body ("body.title" leads nowhere)."""
    decide(article, "title", reviewer, "request_changes", note="Say NR, not NAD+.")
    [comment] = Comment.objects.filter(page=article)
    assert comment.contentpath == "title"
    version = Page.objects.get(pk=article.pk).specific.get_latest_revision_as_object()
    assert comment.has_valid_contentpath(version)


def edit_page_comments(client, user, page) -> list[dict]:
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content
    html = html.decode()
    marker = 'id="comments-data"'
    assert marker in html, "the editor carries no comments"
    start = html.index(">", html.index(marker)) + 1
    data = json.loads(html[start : html.index("</script>", start)])
    return data["comments"]


def test_the_writer_sees_the_note_in_the_editor_beside_the_passage(
    client, article, reviewer, writer_in_group
):
    request_changes(article, reviewer)
    comments = edit_page_comments(client, writer_in_group, article)
    [comment] = comments
    assert comment["text"] == NOTE
    assert comment["contentpath"] == f"body.{block_ids(article)[2]}.text"
    assert comment["resolved"] is False


def test_changing_the_passage_resolves_the_note_in_the_writers_name(
    django_capture_on_commit_callbacks, article, reviewer, writer_in_group
):
    request_changes(article, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        set_passage_text(article, writer_in_group, 1, "NAD+ falls with age, too.")
    assert Comment.objects.get(page=article).resolved_at is None  # another passage
    with django_capture_on_commit_callbacks(execute=True):
        set_passage_text(
            article,
            writer_in_group,
            2,
            "Nicotinamide riboside, 1 g a day, raised NAD+.",
        )
    comment = Comment.objects.get(page=article)
    assert comment.resolved_at is not None
    assert comment.resolved_by == writer_in_group
    assert PageLogEntry.objects.filter(
        page=article, action="wagtail.comments.resolve"
    ).exists()


def test_approving_the_passage_later_resolves_the_note(
    article, reviewer, second_reviewer
):
    request_changes(article, reviewer)
    approve(article, second_reviewer)
    assert Comment.objects.get(page=article).resolved_by == second_reviewer


def test_the_editor_shows_the_overall_message_at_the_top(
    client, article, reviewer, writer_in_group
):
    page = Page.objects.get(pk=article.pk).specific
    page.get_workflow().start(page, writer_in_group)
    request_changes(article, reviewer)
    page = Page.objects.get(pk=article.pk).specific
    state = page.current_workflow_task_state.specific
    state.task.specific.on_action(state, reviewer, "reject", comment="Nearly there.")
    client.force_login(writer_in_group)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content
    html = html.decode()
    top = html.index("review-notes")
    assert top < html.index('name="title"')  # above the first field
    panel = html[top : html.index("</ul>", top)]
    assert "asked for changes at “Medical review”" in panel
    assert "Nearly there." in panel
    assert "Passage 3" in panel and NOTE in panel


def test_the_writers_save_in_the_editor_resolves_the_note_and_keeps_it_resolved(
    django_capture_on_commit_callbacks, client, article, reviewer, writer_in_group
):
    """Through the editor's form, whose comments formset saves the page's
    comments as the editor loaded them."""
    from tests.evidence.admin_forms import page_form_data

    request_changes(article, reviewer)
    [comment] = edit_page_comments(client, writer_in_group, article)
    version = Page.objects.get(pk=article.pk).specific.get_latest_revision_as_object()
    blocks = list(version.body.raw_data)
    blocks[2]["value"]["text"] = "<p>Nicotinamide riboside, 1 g a day, raised NAD+.</p>"
    version.body = json.dumps(blocks)
    from wagtail.test.utils.form_data import inline_formset

    data = page_form_data(
        version,
        comments=inline_formset(
            [
                {
                    "id": comment["pk"],
                    "contentpath": comment["contentpath"],
                    "text": comment["text"],
                    "position": comment["position"],
                    "resolved": "",
                    "replies": inline_formset([]),
                }
            ],
            initial=1,
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[article.pk]), data
        )
    assert response.status_code == 302
    assert Comment.objects.get(page=article).resolved_by == writer_in_group
    assert edit_page_comments(client, writer_in_group, article) == []


def test_no_review_notes_panel_without_notes(client, article, writer_in_group):
    client.force_login(writer_in_group)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content
    assert b"review-notes" not in html
