"""The default workflow, "Medical review" then "Editorial sign-off": who may
approve each step, when, and what it does."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, TaskState, Workflow, WorkflowState

from evidence.gate import PublishBlocked
from evidence.models import EditorialSignOffTask, MedicalReviewTask
from tests.factories import (
    SourceFactory,
    approve,
    decide,
    heading,
    make_article,
    paragraph,
    set_passage_text,
    user_in_group,
)

pytestmark = pytest.mark.django_db


def submit(page, user):
    """Submit the page to its workflow, as the writer's "Submit" does."""
    page = page.specific
    return page.get_workflow().start(page, user)


def task_state_of(page) -> TaskState:
    return Page.objects.get(pk=page.pk).current_workflow_task_state.specific


def action_names(page, user):
    page = Page.objects.get(pk=page.pk).specific
    return [name for name, *_ in page.current_workflow_task.get_actions(page, user)]


@pytest.fixture
def article(article_index, writer_in_group):
    return make_article(
        article_index,
        body=[
            heading("What the trials found"),
            paragraph("NAD+ levels fall with age.", sources=[SourceFactory()]),
            paragraph("NR raises blood NAD+ in adults.", sources=[SourceFactory()]),
        ],
        owner=writer_in_group,
    )


def test_migration_makes_review_then_sign_off_the_default_workflow():
    workflow = Workflow.objects.get(name="Medical review")
    review, sign_off = [t.specific for t in workflow.tasks]
    assert isinstance(review, MedicalReviewTask)
    assert review.name == "Medical review"
    assert [g.name for g in review.groups.all()] == ["Medical reviewers"]
    assert isinstance(sign_off, EditorialSignOffTask)
    assert sign_off.name == "Editorial sign-off"
    assert [g.name for g in sign_off.groups.all()] == ["Editors"]
    root = Page.get_first_root_node()
    assert root.get_workflow() == workflow


def test_a_new_article_goes_through_medical_review(article_index, article):
    assert article.get_workflow().name == "Medical review"
    assert article_index.workflowpage.workflow.name == "Medical review"


def test_task_has_a_readable_name_and_description():
    assert MedicalReviewTask.get_verbose_name() == "Medical review"
    assert "every claim" in str(MedicalReviewTask.get_description())


def test_approve_is_hidden_until_every_passage_is_approved(
    article, writer_in_group, reviewer
):
    submit(article, writer_in_group)
    assert action_names(article, reviewer) == ["reject"]
    approve(article, reviewer)
    assert action_names(article, reviewer) == ["reject", "approve", "approve"]


def test_only_medical_reviewers_get_task_actions(
    article, writer_in_group, reviewer, editor
):
    submit(article, writer_in_group)
    approve(article, reviewer)
    assert action_names(article, writer_in_group) == []
    assert action_names(article, editor) == []


def sign_off(page, user):
    state = task_state_of(page)
    assert isinstance(state.task.specific, EditorialSignOffTask)
    state.task.specific.on_action(state, user, "approve")


def test_approving_the_review_passes_the_page_to_the_sign_off_unpublished(
    article, writer_in_group, reviewer
):
    submit(article, writer_in_group)
    approve(article, reviewer)
    state = task_state_of(article)
    state.task.specific.on_action(state, reviewer, "approve")
    article.refresh_from_db()
    assert not article.live
    assert task_state_of(article).task.name == "Editorial sign-off"
    assert task_state_of(article).status == TaskState.STATUS_IN_PROGRESS


def test_the_editors_sign_off_publishes_the_approved_revision(
    article, writer_in_group, reviewer, editor
):
    submit(article, writer_in_group)
    approve(article, reviewer)
    state = task_state_of(article)
    state.task.specific.on_action(state, reviewer, "approve")
    assert "approve" not in action_names(article, reviewer)
    assert "approve" not in action_names(article, writer_in_group)
    assert action_names(article, editor) == ["reject", "approve", "approve"]
    sign_off(article, editor)
    article.refresh_from_db()
    assert article.live
    assert article.live_revision_id == article.latest_revision_id
    assert WorkflowState.objects.get(object_id=str(article.pk)).status == "approved"
    assert list(article.specific.reviewed_by.all()) == [reviewer]


def test_sign_off_is_labelled_for_what_it_does(
    article, writer_in_group, reviewer, editor
):
    submit(article, writer_in_group)
    approve(article, reviewer)
    state = task_state_of(article)
    state.task.specific.on_action(state, reviewer, "approve")
    page = Page.objects.get(pk=article.pk).specific
    labels = [
        str(label)
        for _, label, _ in page.current_workflow_task.get_actions(page, editor)
    ]
    assert labels == [
        "Request changes",
        "Sign off and publish",
        "Sign off and publish with comment",
    ]


def test_sign_off_is_hidden_and_refused_when_the_text_changed_after_review(
    article, writer_in_group, reviewer, editor, superuser
):
    submit(article, writer_in_group)
    approve(article, reviewer)
    state = task_state_of(article)
    state.task.specific.on_action(state, reviewer, "approve")
    set_passage_text(article, superuser, 1, "NAD+ levels fall sharply with age.")
    assert action_names(article, editor) == ["reject"]
    with pytest.raises(PublishBlocked):
        sign_off(article, editor)
    article.refresh_from_db()
    assert not article.live
    assert task_state_of(article).status == TaskState.STATUS_IN_PROGRESS


def test_a_workflow_without_sign_off_does_not_let_a_reviewer_publish(
    article, writer_in_group, reviewer
):
    """Only the sign-off publishes: a workflow of the review step alone ends
    approved, with the page still a draft for an editor to publish."""
    workflow = Workflow.objects.get(name="Medical review")
    workflow.workflow_tasks.filter(task__name="Editorial sign-off").delete()
    submit(article, writer_in_group)
    approve(article, reviewer)
    state = task_state_of(article)
    state.task.specific.on_action(state, reviewer, "approve")
    article.refresh_from_db()
    assert not article.live
    assert WorkflowState.objects.get(object_id=str(article.pk)).status == "approved"


def test_approving_with_an_unapproved_claim_is_refused_and_review_goes_on(
    article, writer_in_group, reviewer
):
    submit(article, writer_in_group)
    state = task_state_of(article)
    with pytest.raises(PublishBlocked) as refused:
        state.task.specific.on_action(state, reviewer, "approve")
    assert "unapproved_claim" in {p.rule for p in refused.value.problems}
    article.refresh_from_db()
    assert not article.live
    assert task_state_of(article).status == TaskState.STATUS_IN_PROGRESS


def test_an_edit_during_review_hides_approve_again(
    article, writer_in_group, reviewer, superuser
):
    submit(article, writer_in_group)
    approve(article, reviewer)
    set_passage_text(article, superuser, 1, "NAD+ levels fall sharply with age.")
    assert action_names(article, reviewer) == ["reject"]


def test_reviewer_who_saved_the_latest_revision_cannot_approve_the_task(
    article, writer_in_group, reviewer, second_reviewer
):
    submit(article, writer_in_group)
    approve(article, reviewer)
    # The reviewer saves a revision (here without changing any passage).
    article.specific.get_latest_revision_as_object().save_revision(user=reviewer)
    assert action_names(article, reviewer) == ["reject"]
    state = task_state_of(article)
    with pytest.raises(PermissionDenied):
        state.task.specific.on_action(state, reviewer, "approve")
    assert "approve" in action_names(article, second_reviewer)
    state.task.specific.on_action(state, second_reviewer, "approve")
    assert task_state_of(article).task.name == "Editorial sign-off"


def test_request_changes_returns_the_page_to_the_writer_with_the_notes(
    article, writer_in_group, reviewer
):
    submit(article, writer_in_group)
    version = article.specific.get_latest_revision_as_object()
    block_id = list(version.body.raw_data)[2]["id"]
    decide(
        article,
        block_id,
        reviewer,
        "request_changes",
        note="Say which precursor and what dose.",
    )
    state = task_state_of(article)
    state.task.specific.on_action(
        state, reviewer, "reject", comment="Two small fixes, please."
    )
    workflow_state = WorkflowState.objects.get(object_id=str(article.pk))
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert workflow_state.requested_by == writer_in_group
    comment = TaskState.objects.get(pk=state.pk).comment
    assert comment.splitlines() == [
        "Two small fixes, please.",
        "Passage 3 (“NR raises blood NAD+ in adults.”): "
        "Say which precursor and what dose.",
    ]
    entry = PageLogEntry.objects.get(page=article, action="wagtail.workflow.reject")
    assert "Say which precursor and what dose." in entry.data["comment"]


# Through the admin, as each role would.


def workflow_action_url(page, action):
    state = task_state_of(page)
    return reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, action, state.pk]
    )


@pytest.mark.parametrize("role", ["writer_in_group", "editor", "anonymous"])
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_only_reviewers_may_act_on_the_task_in_the_admin(
    request, client, article, writer_in_group, reviewer, role, action
):
    submit(article, writer_in_group)
    approve(article, reviewer)
    url = workflow_action_url(article, action)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post(url, {"comment": "Looks fine"})
    assert response.status_code in {302, 403}
    if role == "anonymous":
        assert "/admin/login/" in response["Location"]
    assert task_state_of(article).status == TaskState.STATUS_IN_PROGRESS
    article.refresh_from_db()
    assert not article.live


def test_reviewer_approves_then_editor_signs_off_in_the_admin_and_it_goes_live(
    client, article, writer_in_group, reviewer, editor
):
    submit(article, writer_in_group)
    approve(article, reviewer)
    client.force_login(reviewer)
    response = client.post(workflow_action_url(article, "approve"), {"comment": ""})
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.live
    client.force_login(editor)
    response = client.post(workflow_action_url(article, "approve"), {"comment": ""})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live


def test_reviewer_cannot_force_an_approval_while_claims_are_unapproved(
    client, article, writer_in_group, reviewer
):
    submit(article, writer_in_group)
    client.force_login(reviewer)
    response = client.post(workflow_action_url(article, "approve"), {"comment": ""})
    assert response.status_code in {302, 403}
    assert task_state_of(article).status == TaskState.STATUS_IN_PROGRESS
    article.refresh_from_db()
    assert not article.live


def test_reviewer_opens_the_editor_and_preview_of_a_page_in_their_task(
    client, article, writer_in_group, reviewer
):
    client.force_login(reviewer)
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert client.get(edit_url).status_code == 302  # not in review yet
    submit(article, writer_in_group)
    assert client.get(edit_url).status_code == 200
    state = task_state_of(article)
    preview = reverse(
        "wagtailadmin_pages:workflow_preview", args=[article.pk, state.task_id]
    )
    response = client.get(preview)
    assert response.status_code == 200
    assert b"NAD+ levels fall with age." in response.content


def test_review_decisions_show_in_the_page_history(
    client, article, reviewer, superuser
):
    approve(article, reviewer, certainty="moderate", reason="Small trials only.")
    client.force_login(superuser)
    response = client.get(reverse("wagtailadmin_pages:history", args=[article.pk]))
    html = response.content.decode()
    assert "Approved passage 2 (“NAD+ levels fall with age.”)" in html
    assert "certainty: Moderate" in html


# --- Only medical reviewers moderate the task (issue 12, rule 7) ----------


def test_an_editor_cannot_put_writers_in_the_review_tasks_group(client, editor):
    task = MedicalReviewTask.objects.get(name="Medical review")
    writers = Group.objects.get(name="Writers")
    client.force_login(editor)
    url = reverse("wagtailadmin_workflows:edit_task", args=[task.pk])
    client.post(url, {"name": task.name, "groups": [writers.pk]})
    assert writers not in task.groups.all()


def test_a_review_task_cannot_be_given_a_group_without_the_role_from_code():
    task = MedicalReviewTask.objects.get(name="Medical review")
    writers = Group.objects.get(name="Writers")
    with pytest.raises(ValidationError, match="“Writers” do not"), transaction.atomic():
        task.groups.add(writers)
    with pytest.raises(ValidationError), transaction.atomic():
        writers.medicalreviewtask_set.add(task)
    assert writers not in task.groups.all()


def test_a_group_holding_the_permission_may_be_given_the_task_whatever_its_name(
    client, editor
):
    cardiology = Group.objects.create(name="Cardiology panel")
    cardiology.permissions.add(Permission.objects.get(codename="review_passages"))
    task = MedicalReviewTask.objects.get(name="Medical review")
    client.force_login(editor)
    url = reverse("wagtailadmin_workflows:edit_task", args=[task.pk])
    client.post(url, {"name": task.name, "groups": [cardiology.pk]})
    assert list(task.groups.all()) == [cardiology]


def test_a_member_of_a_task_group_that_lost_the_role_cannot_approve(
    article, reviewer, editor
):
    """Whatever was configured: a writer who did not save the latest
    revision, in a group the task was given before the group lost the
    medical reviewer permission, still may not approve a page that passes
    the gate."""
    approve(article, reviewer)
    panel = Group.objects.create(name="Panel")
    permission = Permission.objects.get(codename="review_passages")
    panel.permissions.add(permission)
    task = MedicalReviewTask.objects.get(name="Medical review")
    task.groups.add(panel)
    panel.permissions.remove(permission)
    other_writer = user_in_group("Panel", username="writer3")
    page = Page.objects.get(pk=article.pk).specific
    page.get_workflow().start(page, editor)
    page = Page.objects.get(pk=page.pk).specific
    actions = [name for name, *_ in task.get_actions(page, other_writer)]
    assert "approve" not in actions
    assert not task.user_can_access_editor(page, other_writer)
    state = page.current_workflow_task_state.specific
    with pytest.raises(PermissionDenied):
        task.on_action(state, other_writer, "approve")
    assert not Page.objects.get(pk=page.pk).live
