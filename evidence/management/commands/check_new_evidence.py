"""``manage.py check_new_evidence``: run the saved searches.

    manage.py check_new_evidence              # every saved search, now
    manage.py check_new_evidence --search 12  # one of them
    manage.py check_new_evidence --enqueue    # for cron: queue the task

Each search asks PubMed (and ClinicalTrials.gov when it has a trials query)
for what appeared since its last successful check, skips what is already
in the library or already screened, and flags the live claims it serves
when it finds something new. A search whose service fails is left exactly
as it was and tried again next time; the command then says which service
failed and exits with status 1.
"""

from django.core.management.base import BaseCommand, CommandError

from evidence.living import tasks, watch
from evidence.management.progress import Progress
from evidence.models import SavedSearch


class Command(BaseCommand):
    help = (
        "Run the saved searches for new evidence (PubMed, ClinicalTrials.gov) "
        "and flag the live claims with new candidates for re-review."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--search",
            type=int,
            action="append",
            default=[],
            metavar="ID",
            help="Run only this saved search (repeatable).",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the check as a background task instead of running it.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = tasks.check_new_evidence_task.enqueue()
            self.stdout.write(
                f"Queued new-evidence check {result.id} on the "
                f'"{watch.TASK_BACKEND}" backend ({result.status}).'
            )
            return
        searches = SavedSearch.objects.select_related("source").order_by(
            "last_checked_on", "pk"
        )
        if options["search"]:
            searches = searches.filter(pk__in=options["search"])
            missing = set(options["search"]) - set(
                searches.values_list("pk", flat=True)
            )
            if missing:
                raise CommandError(
                    "No saved search with id " + ", ".join(map(str, sorted(missing)))
                )
        progress = Progress(self.stderr._out, verb="searching")
        runs = watch.check_new_evidence(searches, progress=progress)
        progress.done()
        for run in runs:
            label = f"search {run.search.pk} ({str(run.search)[:50]})"
            if run.failed:
                self.stdout.write(self.style.ERROR(f"failed   {label}: {run.error}"))
            elif run.skipped:
                self.stdout.write(f"skipped  {label}: {run.skipped}")
            else:
                self.stdout.write(
                    f"checked  {label}: {run.candidates} new candidates for "
                    f"{len(run.claims)} claims, {len(run.flags)} flags raised"
                )
            for note in run.notes:
                self.stdout.write(f"note     {label}: {note}")
        failed = [run for run in runs if run.failed]
        summary = (
            f"{len(runs) - len(failed)} searches checked, {len(failed)} failed, "
            f"{sum(r.candidates for r in runs)} new candidates, "
            f"{sum(len(r.flags) for r in runs)} flags raised."
        )
        if failed:
            if all(run.error.unreachable for run in failed):
                summary += (
                    " The services could not be reached: check the network; "
                    "nothing was changed for the failed searches."
                )
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))
