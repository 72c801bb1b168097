"""``manage.py send_review_reminders``: email today's scheduled-review reminders.

    manage.py send_review_reminders            # now
    manage.py send_review_reminders --enqueue  # for cron: queue the task

Each live article's reviewers and the editor who last published it are
emailed 14 days before its next review is due, on the day and 14 days
after; each reminder goes once.
"""

from django.core.management.base import BaseCommand

from evidence.living import schedule, tasks, watch


class Command(BaseCommand):
    help = "Email the reminders due today for scheduled medical reviews."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the reminders as a background task instead.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = tasks.send_review_reminders_task.enqueue()
            self.stdout.write(
                f"Queued review reminders {result.id} on the "
                f'"{watch.TASK_BACKEND}" backend ({result.status}).'
            )
            return
        result = schedule.send_review_reminders()
        for item in result["sent"]:
            self.stdout.write(
                f"sent     page {item['page']} ({item['stage']}): "
                + ", ".join(item["to"])
            )
        for page_id in result["nobody_to_email"]:
            self.stdout.write(
                self.style.WARNING(f"nobody   page {page_id}: no reviewer or editor")
            )
        self.stdout.write(self.style.SUCCESS(f"{len(result['sent'])} reminders sent."))
