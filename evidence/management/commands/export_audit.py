"""Write an article's audit bundle: its chain of events, the text of every
version that went live, and its Sources (also as FHIR R5 resources).

    manage.py export_audit 42 > article-42-audit.json
    manage.py export_audit /articles/nad-and-ageing/ --output audit.json

The article is named by its page id, its URL path or its slug. Verify a
bundle with `manage.py verify_audit FILE` (docs/audit.md).
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from wagtail.models import Page

from evidence.audit.bundle import build_bundle
from evidence.models import AuditEvent


def find_article(name: str):
    """The page named by an id, a URL path or a slug, or None."""
    name = name.strip()
    pages = Page.objects.all()
    if name.isdigit():
        return pages.filter(pk=int(name)).first()
    if "/" in name:
        path = "/" + name.strip("/") + "/"
        found = [p for p in pages.filter(url_path__endswith=path) if p.url_path]
        return found[0] if len(found) == 1 else None
    found = list(pages.filter(slug=name)[:2])
    return found[0] if len(found) == 1 else None


class Command(BaseCommand):
    help = _(
        "Write the audit bundle (JSON) of an article: its chain of events, "
        "its published versions' text and its Sources."
    )

    def add_arguments(self, parser):
        parser.add_argument("article", help=_("Page id, URL path or slug."))
        parser.add_argument(
            "--output", "-o", help=_("File to write (default: standard output).")
        )

    def handle(self, *args, **options):
        name = options["article"]
        page = find_article(name)
        if page is None:
            if name.isdigit() and AuditEvent.objects.filter(page_id=int(name)).exists():
                page = int(name)  # a deleted page: its trail remains
            else:
                raise CommandError(
                    _("No single article is named “%(name)s”: give its page id.")
                    % {"name": name}
                )
        if not isinstance(page, int):
            page = page.specific
        bundle = build_bundle(page)
        text = json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                out.write(text)
            self.stderr.write(
                _(
                    "Wrote %(events)d events and %(versions)d published "
                    "versions to %(file)s."
                )
                % {
                    "events": len(bundle["events"]),
                    "versions": len(bundle["versions"]),
                    "file": options["output"],
                }
            )
        else:
            sys.stdout.write(text)
