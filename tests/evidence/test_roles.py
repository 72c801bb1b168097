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
