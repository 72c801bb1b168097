"""The admin offers the audit export on the article's history (issue 17, item 2)."""

import json

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from evidence.audit.bundle import verify_bundle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_history_offers_the_export_and_it_verifies(client, live_article, editor):
    client.force_login(editor)
    history = client.get(reverse("wagtailadmin_pages:history", args=[live_article.pk]))
    export_url = reverse("evidence_audit:export", args=[live_article.pk])
    assert history.status_code == 200
    assert export_url in history.content.decode()
    response = client.get(export_url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    bundle = json.loads(response.content)
    assert verify_bundle(bundle) is None
    assert bundle["article"]["url"].endswith(live_article.url_path.split("/home")[-1])
    assert PageLogEntry.objects.filter(
        page=live_article, action="evidence.audit_export", user=editor
    ).exists()


def test_the_edit_view_menu_offers_it(client, live_article, editor):
    client.force_login(editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[live_article.pk]))
    assert (
        reverse("evidence_audit:export", args=[live_article.pk])
        in edit.content.decode()
    )


def test_someone_who_may_not_edit_the_page_cannot_export(client, live_article):
    from django.contrib.auth.models import Permission

    outsider = UserFactory(username="outsider", is_staff=True)
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    response = client.get(reverse("evidence_audit:export", args=[live_article.pk]))
    assert response.status_code in (302, 403)
    assert not PageLogEntry.objects.filter(action="evidence.audit_export").exists()
