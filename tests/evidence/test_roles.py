"""The role groups made by the migrations, and what each may do."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_editors_manage_workflows_and_tasks(client, editor):
    for perm in ("add_workflow", "change_workflow", "add_task", "change_task"):
        assert editor.has_perm(f"wagtailcore.{perm}")
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_workflows:index")).status_code == 200


@pytest.mark.parametrize("fixture", ["writer_in_group", "reviewer"])
def test_writers_and_reviewers_do_not_manage_workflows(request, client, fixture):
    user = request.getfixturevalue(fixture)
    assert not user.has_perm("wagtailcore.change_workflow")
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_workflows:index"))
    assert response.status_code in (302, 403)


# --- The medical reviewer role is one permission (issue 12, rule 7) --------


def test_the_reviewers_group_holds_the_review_permission(reviewer, editor):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Medical reviewers")
    assert group.permissions.filter(codename="review_passages").exists()
    assert reviewer.has_perm("evidence.review_passages")
    assert not editor.has_perm("evidence.review_passages")


def test_whoever_holds_the_permission_reviews_whatever_the_group_is_called(
    article_index, writer
):
    from django.contrib.auth.models import Group, Permission

    from evidence.review.data import ReviewData
    from evidence.roles import is_medical_reviewer
    from tests.factories import (
        SourceFactory,
        decide,
        make_article,
        paragraph,
        user_in_group,
    )

    panel = Group.objects.create(name="Cardiology panel")
    panel.permissions.add(Permission.objects.get(codename="review_passages"))
    cardiologist = user_in_group("Cardiology panel", username="cardio")
    assert is_medical_reviewer(cardiologist)
    page = make_article(
        article_index,
        body=[paragraph("NAD+ levels fall with age.", sources=[SourceFactory()])],
        owner=writer,
    )
    from evidence.passages import read_passages

    [passage] = read_passages(page.get_latest_revision_as_object())
    decision = decide(page, passage.block_id, cardiologist, "approve")
    data = ReviewData.load([passage], page.pk)
    [loaded] = data.decisions[passage.block_id]
    assert loaded.pk == decision.pk
    assert loaded.reviewer_counts


def test_a_group_named_medical_reviewers_without_the_permission_reviews_nothing(
    reviewer,
):
    from django.contrib.auth.models import Group, Permission

    from evidence.roles import is_medical_reviewer

    Group.objects.get(name="Medical reviewers").permissions.remove(
        Permission.objects.get(codename="review_passages")
    )
    from django.contrib.auth import get_user_model

    fresh = get_user_model().objects.get(pk=reviewer.pk)  # no permission cache
    assert not is_medical_reviewer(fresh)


def test_a_permission_on_the_account_itself_counts(db):
    from django.contrib.auth.models import Permission

    from evidence.roles import is_medical_reviewer
    from tests.factories import UserFactory

    user = UserFactory(username="solo")
    assert not is_medical_reviewer(user)
    user.user_permissions.add(Permission.objects.get(codename="review_passages"))
    from django.contrib.auth import get_user_model

    assert is_medical_reviewer(get_user_model().objects.get(pk=user.pk))
