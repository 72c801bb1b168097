"""``manage.py check_retractions``: refresh Sources' retraction status.

    manage.py check_retractions               # not checked for 7 days
    manage.py check_retractions --stale-days 30
    manage.py check_retractions --all
    manage.py check_retractions --enqueue     # for cron: queue the task

With ``--enqueue`` the check is queued on the "retractions" task backend and
run by ``manage.py db_worker --backend retractions``; otherwise it runs now,
with a progress display and a summary. The exit status is 1 when any check
failed (the Sources concerned are left as they were).
"""

from django.core.management.base import BaseCommand, CommandError

from evidence.library import retractions
from evidence.management.progress import Progress
from evidence.vocab import RetractionStatus


class Command(BaseCommand):
    help = (
        "Refresh the retraction status of Sources from Crossref (updated-by "
        "and update-to) and PubMed (Retracted Publication)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help="Check every Source.")
        which.add_argument(
            "--stale-days",
            type=int,
            default=retractions.DEFAULT_STALE_DAYS,
            help="Check Sources not checked for this many days (default 7).",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the check as a background task instead of running it.",
        )

    def handle(self, *args, **options):
        stale_days = None if options["all"] else options["stale_days"]
        if stale_days is not None and stale_days < 0:
            raise CommandError("--stale-days must be 0 or more.")
        if options["enqueue"]:
            result = retractions.check_retractions_task.enqueue(stale_days=stale_days)
            self.stdout.write(
                f"Queued retraction check {result.id} on the "
                f'"{retractions.TASK_BACKEND}" backend ({result.status}).'
            )
            return
        sources = list(retractions.sources_due(stale_days))
        progress = Progress(self.stderr._out, verb="checking")
        checks = retractions.check_sources(sources, progress=progress)
        progress.done()
        for check in checks:
            if check.failed:
                self.stdout.write(
                    self.style.ERROR(f"failed   {check.source}: {check.error}")
                )
            elif check.changed:
                style = (
                    self.style.ERROR
                    if check.after == RetractionStatus.RETRACTED
                    else self.style.WARNING
                )
                self.stdout.write(
                    style(
                        f"changed  {check.source}: {check.before} -> {check.after} "
                        f"{check.source.retraction_notice_url}"
                    )
                )
            if check.note:
                self.stdout.write(f"note     {check.source}: {check.note}")
        failed = sum(c.failed for c in checks)
        changed = sum(c.changed for c in checks)
        summary = f"{len(checks) - failed} checked, {changed} changed, {failed} failed."
        if failed:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))
