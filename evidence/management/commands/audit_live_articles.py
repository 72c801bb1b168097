"""List live articles that would no longer pass the publish gate.

A live article stays live when something changes under it (a cited source
is retracted, a reviewer leaves the medical reviewers); this lists every such
article with its problems, so an editor can fix and republish it. The exit
status is 1 when any article is listed, so a scheduled job can alert.

Readers see the review decisions recorded in the live version's publish
snapshot. Each listed article also names the units whose review changed
since it went live, and articles that pass but show outdated decisions are
named at the end (they do not change the exit status).
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from wagtail.models import Page

from evidence.gate.publish import changed_units
from evidence.gate.rules import evaluate
from evidence.models import PublishSnapshot
from evidence.page import gated_page_models


def live_article_audit():
    """(page, problems, units decided since it went live) for every live
    gated page."""
    gated = Page.objects.live().type(*gated_page_models()).order_by("path")
    for page in gated.specific():
        result = evaluate(page)
        snapshot = PublishSnapshot.objects.live_for(page)
        yield page, result.problems, changed_units(page, snapshot, result)


class Command(BaseCommand):
    help = _(
        "List live articles that no longer pass the publish gate, with their "
        "problems. Exits with status 1 when any is found."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help=_("Output as readable text (default) or JSON."),
        )

    def handle(self, *args, **options):
        audited = list(live_article_audit())
        failing = [(page, problems) for page, problems, _ in audited if problems]
        decided = {page.pk: units for page, _, units in audited}
        outdated = [page for page, problems, units in audited if units and not problems]
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    [
                        {
                            "id": page.pk,
                            "title": page.title,
                            "url": page.get_url() or page.url_path,
                            "problems": [p.as_dict() for p in problems],
                            "decided_since_live": decided[page.pk],
                        }
                        for page, problems in failing
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
            )
        elif not failing:
            self.stdout.write(_("Every live article passes the publish gate."))
        else:
            for page, problems in failing:
                url = page.get_url() or page.url_path
                self.stdout.write(f"{page.title} (id {page.pk}, {url})")
                for problem in problems:
                    self.stdout.write(f"  - [{problem.rule}] {problem.message}")
                if units := decided[page.pk]:
                    self.stdout.write(
                        "  "
                        + _("%(count)d review(s) changed since it went live: %(units)s")
                        % {"count": len(units), "units": ", ".join(units)}
                    )
        if outdated and options["format"] != "json":
            self.stdout.write(
                _(
                    "Live articles showing review decisions older than their "
                    "current ones (publish them again to show the new ones):"
                )
            )
            for page in outdated:
                units = decided[page.pk]
                self.stdout.write(
                    f"  {page.title} (id {page.pk}): "
                    + _("%(count)d review(s) changed") % {"count": len(units)}
                )
        if failing:
            raise CommandError(
                _("%(count)d live article(s) no longer pass the publish gate.")
                % {"count": len(failing)},
                returncode=1,
            )
