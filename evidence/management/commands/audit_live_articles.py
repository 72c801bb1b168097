"""List live articles that would no longer pass the publish gate.

A live article stays live when something changes under it (a cited source
is retracted, a reviewer leaves the medical reviewers); this lists every such
article with its problems, so an editor can fix and republish it. The exit
status is 1 when any article is listed, so a scheduled job can alert.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from wagtail.models import Page

from evidence.gate import publish_problems
from evidence.page import gated_page_models


def live_article_problems():
    """(page, problems) for every live gated page that fails the gate."""
    gated = Page.objects.live().type(*gated_page_models()).order_by("path")
    for page in gated.specific():
        if problems := publish_problems(page):
            yield page, problems


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
        failing = list(live_article_problems())
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    [
                        {
                            "id": page.pk,
                            "title": page.title,
                            "url": page.get_url() or page.url_path,
                            "problems": [p.as_dict() for p in problems],
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
        if failing:
            raise CommandError(
                _("%(count)d live article(s) no longer pass the publish gate.")
                % {"count": len(failing)},
                returncode=1,
            )
