"""The admin's "Export audit trail": the same bundle as `manage.py export_audit`.

Offered on the article's history (and in its header menu) to anyone who may
edit the page; each export is logged in the page's history.
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import log
from wagtail.models import Page

from evidence.audit.bundle import build_bundle
from evidence.page import is_gated

AUDIT_EXPORT_LOG_ACTION = "evidence.audit_export"


def export_view(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    bundle = build_bundle(page, request)
    log(
        instance=page,
        action=AUDIT_EXPORT_LOG_ACTION,
        user=request.user,
        data={"events": len(bundle["events"]), "head": bundle["head"]},
    )
    response = HttpResponse(
        json.dumps(bundle, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = f"audit-{page.slug}-{timezone.now():%Y%m%d-%H%M%S}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class AuditExportMenuItem(PageMenuItem):
    label = gettext_lazy("Export audit trail")
    icon_name = "download"
    url_name = "evidence_audit:export"

    def is_shown(self, user):
        return is_gated(self.page) and self.page.permissions_for_user(user).can_edit()


def register_log_actions(actions):
    actions.register_action(
        AUDIT_EXPORT_LOG_ACTION,
        gettext_lazy("Export audit trail"),
        gettext_lazy("Audit trail exported"),
    )


app_name = "evidence_audit"
urlpatterns = [path("audit/<int:page_id>/export/", export_view, name="export")]
