"""The daily living-evidence jobs, on the "retractions" task backend.

Queued from cron (``check_new_evidence --enqueue``,
``send_review_reminders --enqueue``) and run by
``manage.py db_worker --backend retractions``, like the retraction check.
"""

import logging

from django_tasks import task

from evidence.living import schedule, watch

logger = logging.getLogger(__name__)


@task(backend=watch.TASK_BACKEND)
def check_new_evidence_task() -> dict:
    """Run every saved search; flag live claims with new candidates."""
    result = watch.summarise(watch.check_new_evidence())
    logger.info(
        "New-evidence check: %d searches, %d failed, %d candidates, %d flags",
        result["searches"],
        len(result["failed"]),
        result["candidates"],
        result["flags_raised"],
    )
    return result


@task(backend=watch.TASK_BACKEND)
def send_review_reminders_task() -> dict:
    """Email the reminders due today for scheduled medical reviews."""
    result = schedule.send_review_reminders()
    logger.info("Review reminders: %d sent", len(result["sent"]))
    return result
