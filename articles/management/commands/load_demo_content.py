from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.demo import DEMO_ACCOUNTS, load_demo_content


class Command(BaseCommand):
    help = (
        "Create the demo site: the page tree, the demo sources, an evidence-based "
        "article (live), a promotional draft and the demo accounts. Safe to run "
        "twice: what exists is left unchanged."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError(
                "Demo content and its accounts are for local sites only. "
                "Set DEBUG=1 (or NADSITE_DEMO=1) to load them."
            )
        report = load_demo_content()
        for label in report.created:
            self.stdout.write(f"  created  {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(report.created)} created, "
                f"{len(report.existing)} already present."
            )
        )
        self.stdout.write("Demo accounts (sign in at /admin/):")
        for account in DEMO_ACCOUNTS:
            role = account.group or "superuser"
            self.stdout.write(f"  {account.username:<9} {account.password:<20} {role}")
