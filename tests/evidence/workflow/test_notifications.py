"""Email as a page moves through "Medical review" then "Editorial sign-off"
(issue 14, item 4), sent through Django's real locmem backend."""

import logging
import socket

import pytest
from django.core import mail
from wagtail.models import Page

from evidence.gate import PublishBlocked
from tests.factories import (
    SourceFactory,
    approve,
    decide,
    heading,
    make_article,
    paragraph,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(article_index, writer_in_group):
    return make_article(
        article_index,
        title="NAD+ and ageing",
        body=[
            heading("What the trials found"),
            paragraph("NR raises blood NAD+ in adults.", sources=[SourceFactory()]),
        ],
        owner=writer_in_group,
    )


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the emails), as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def current(page):
    return Page.objects.get(pk=page.pk).specific


def act(page, user, action, **kwargs):
    page = current(page)
    state = page.current_workflow_task_state.specific
    return state.task.specific.on_action(state, user, action, **kwargs)


def sent_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_submitting_tells_the_medical_reviewers_only(
    commits, article, writer_in_group, reviewer, second_reviewer, editor
):
    commits(current(article).get_workflow().start, current(article), writer_in_group)
    assert sorted(m.to[0] for m in mail.outbox) == [
        reviewer.email,
        second_reviewer.email,
    ]
    message = sent_to(reviewer.email)[0]
    assert message.subject == "Medical review: “NAD+ and ageing” is waiting for you"
    assert f"/admin/evidence/review/{article.pk}/" in message.body
    assert "submitted “NAD+ and ageing” for medical review" in message.body
    assert message.extra_headers.get("Auto-Submitted") == "auto-generated"


def test_review_approved_tells_the_writer_and_the_editors(
    commits, article, writer_in_group, reviewer, editor
):
    current(article).get_workflow().start(current(article), writer_in_group)
    approve(article, reviewer)
    mail.outbox.clear()
    commits(act, article, reviewer, "approve", comment="Clear and well sourced.")
    [to_writer] = sent_to(writer_in_group.email)
    assert to_writer.subject == "Medical review approved: “NAD+ and ageing”"
    assert "Clear and well sourced." in to_writer.body
    assert "Editorial sign-off" in to_writer.body
    [to_editor] = sent_to(editor.email)
    assert to_editor.subject == "Ready to sign off: “NAD+ and ageing”"
    assert f"/admin/evidence/sign-off/{article.pk}/" in to_editor.body
    assert not sent_to(reviewer.email)  # who acted is not told


def test_sign_off_tells_the_writer_it_is_published(
    commits, article, writer_in_group, reviewer, editor
):
    current(article).get_workflow().start(current(article), writer_in_group)
    approve(article, reviewer)
    act(article, reviewer, "approve")
    mail.outbox.clear()
    commits(act, article, editor, "approve")
    [message] = mail.outbox
    assert message.to == [writer_in_group.email]
    assert message.subject == "Published: “NAD+ and ageing”"
    assert "it is live" in message.body
    assert "/articles/" in message.body


def test_changes_requested_sends_the_writer_every_passage_note(
    commits, article, writer_in_group, reviewer
):
    current(article).get_workflow().start(current(article), writer_in_group)
    version = current(article).get_latest_revision_as_object()
    block_id = list(version.body.raw_data)[1]["id"]
    decide(
        article,
        block_id,
        reviewer,
        "request_changes",
        note="Which precursor, what dose?",
    )
    mail.outbox.clear()
    commits(act, article, reviewer, "reject", comment="One fix, please.")
    [message] = mail.outbox
    assert message.to == [writer_in_group.email]
    assert message.subject == "Changes requested: “NAD+ and ageing”"
    assert "One fix, please." in message.body
    assert "Which precursor, what dose?" in message.body
    assert f"/admin/pages/{article.pk}/edit/" in message.body


def test_a_refused_sign_off_mails_nobody(
    commits, article, writer_in_group, reviewer, editor, superuser
):
    from tests.factories import set_passage_text

    current(article).get_workflow().start(current(article), writer_in_group)
    approve(article, reviewer)
    act(article, reviewer, "approve")
    set_passage_text(article, superuser, 1, "NR doubles blood NAD+ in everyone.")
    mail.outbox.clear()
    with pytest.raises(PublishBlocked):
        commits(act, article, editor, "approve")
    assert mail.outbox == []


def test_wagtails_submitted_email_never_goes_to_the_superuser_who_submitted(
    commits, settings, article, superuser, reviewer
):
    """With `WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS` on (it is off by
    default), Wagtail's own "submitted to workflow" email goes to the
    superusers, but not to the one who submitted: the same rule as ours."""
    from tests.factories import UserFactory

    settings.WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = True
    other = UserFactory(username="root2", is_staff=True, is_superuser=True)
    commits(current(article).get_workflow().start, current(article), superuser)
    assert not sent_to(superuser.email)
    [to_other] = sent_to(other.email)
    assert "NAD+ and ageing" in to_other.subject
    assert "submitted" in to_other.subject
    assert sent_to(reviewer.email)  # our own email to the medical reviewers


def test_wagtails_submitted_email_waits_for_the_commit(
    django_capture_on_commit_callbacks, settings, article, superuser
):
    from tests.factories import UserFactory

    settings.WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = True
    other = UserFactory(username="root2", is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        current(article).get_workflow().start(current(article), superuser)
    assert not sent_to(other.email)  # not before the commit
    for callback in callbacks:
        callback()
    assert len(sent_to(other.email)) == 1


def test_notification_preferences_are_honoured(
    commits, article, writer_in_group, reviewer
):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(reviewer)
    profile.submitted_notifications = False
    profile.save()
    commits(current(article).get_workflow().start, current(article), writer_in_group)
    assert not sent_to(reviewer.email)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_mail_server_is_one_log_line_and_the_action_stands(
    commits, settings, caplog, article, writer_in_group, reviewer
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2
    with caplog.at_level(logging.ERROR):
        commits(
            current(article).get_workflow().start, current(article), writer_in_group
        )
    assert current(article).current_workflow_task.name == "Medical review"
    [record] = [r for r in caplog.records if r.name == "evidence.admin.notifications"]
    assert "Could not send the “review_submitted” email" in record.getMessage()
    assert record.exc_info is None
    assert not any(r.exc_info for r in caplog.records)
