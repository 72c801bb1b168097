"""Scheduled medical review of live articles.

Every live article is due for a new medical review a number of months
after its last one: the site's interval (Settings → Review schedule,
12 months unless changed) or the article's own, shorter for fast-moving
topics. ``ReviewSchedule`` keeps, per page, the last review, who gave it
and the next due date, so the dashboard and the report read them in a
fixed number of queries however many articles there are.

The "last reviewed" date is the article's public "medically reviewed on"
date. It moves when a reviewer re-confirms the article without changes
(``reconfirm``), or when a changed claim is approved and published; never
by itself, and never because the article was merely republished.

``send_review_reminders()`` (daily) emails the article's reviewers and the
editor who last published it 14 days before the due date, on the day, and
14 days after, each once.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry

from evidence.models import (
    EvidenceFlag,
    ReviewSchedule,
    ReviewScheduleSettings,
)
from evidence.page import gated_page_models, is_gated
from evidence.passages import keeps_byline, reviewable_units
from evidence.review.data import review_states
from evidence.review.decisions import ReviewRefused, record_decision
from evidence.review.state import Status
from evidence.roles import reviewer_credit
from evidence.vocab import Decision

logger = logging.getLogger(__name__)

REMINDER_DAYS = 14
# Stage -> days from the due date; checked latest first, so a missed day
# sends the reminder that applies now, not the ones before it.
REMINDER_STAGES = (("after", REMINDER_DAYS), ("due", 0), ("before", -REMINDER_DAYS))
EDITORS = "Editors"
RECONFIRM_LOG_ACTION = "evidence.reconfirmed"

# Sent after a re-confirmation moves an article's public review date, so
# the public site can drop stored copies of the page.
review_reconfirmed = Signal()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day if shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def site_interval() -> int:
    return ReviewScheduleSettings.load().interval_months


def _due(schedule: ReviewSchedule, interval: int) -> datetime.date | None:
    if schedule.last_reviewed_at is None:
        return None
    last = timezone.localtime(schedule.last_reviewed_at).date()
    return add_months(last, schedule.interval_months or interval)


def on_schedule(page) -> bool:
    """Whether `page` (its specific version) is re-reviewed on a schedule:
    a gated page that keeps a medical review byline."""
    return is_gated(page) and keeps_byline(page)


def sync_schedule(page, interval: int | None = None) -> ReviewSchedule | None:
    """Bring the page's schedule in line with its live byline.

    The last review is the page's "medically reviewed on" date (its first
    publication when it has none); the next due date follows from it and
    the interval. Returns None for pages that are not reviewed on a
    schedule: only gated pages that keep a byline are (articles; an index
    page's introduction is reviewed when it changes).
    """
    page = page.specific
    if not on_schedule(page):
        return None
    schedule, _created = ReviewSchedule.objects.get_or_create(page_id=page.pk)
    schedule.last_reviewed_at = page.last_reviewed_at or page.first_published_at
    if page.pk is not None:
        schedule.reviewer_names = ", ".join(
            reviewer_credit(user)
            for user in page.reviewed_by.select_related("reviewer_profile").order_by(
                "pk"
            )
        )[:500]
    schedule.next_review_due = _due(schedule, interval or site_interval())
    schedule.save()
    return schedule


def set_interval(page, months: int | None) -> ReviewSchedule:
    """Give the article its own interval (None: the site's)."""
    schedule = sync_schedule(page)
    if schedule is None:
        raise ValueError("This page is not reviewed on a schedule.")
    schedule.interval_months = months
    schedule.next_review_due = _due(schedule, site_interval())
    schedule.save(update_fields=["interval_months", "next_review_due", "updated_at"])
    return schedule


def recompute_due_dates(interval: int | None = None) -> int:
    """Work out every next due date again (after the site interval changed)."""
    interval = interval or site_interval()
    changed = []
    for schedule in ReviewSchedule.objects.filter(interval_months__isnull=True):
        due = _due(schedule, interval)
        if due != schedule.next_review_due:
            schedule.next_review_due = due
            changed.append(schedule)
    ReviewSchedule.objects.bulk_update(changed, ["next_review_due"], batch_size=500)
    return len(changed)


def sync_missing_schedules() -> int:
    """Create the schedule of every live article that has none yet."""
    interval = site_interval()
    count = 0
    for model in filter(keeps_byline, gated_page_models()):
        pages = model.objects.live().filter(review_schedule__isnull=True)
        for page in pages.iterator(chunk_size=200):
            sync_schedule(page, interval)
            count += 1
    return count


# Lists for the dashboard and the report: fixed query counts.


def live_schedules():
    """Schedules of live pages, with the page and its open flag count."""
    open_flags = (
        EvidenceFlag.objects.filter(page_id=OuterRef("page_id"), closed_at__isnull=True)
        .order_by()
        .values("page_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ReviewSchedule.objects.filter(page__live=True)
        .select_related("page")
        .annotate(open_flags=Subquery(open_flags))
    )


def month_end(today: datetime.date) -> datetime.date:
    return today.replace(day=calendar.monthrange(today.year, today.month)[1])


def overdue(today: datetime.date):
    return (
        live_schedules()
        .filter(next_review_due__lt=today)
        .order_by("next_review_due", "page_id")
    )


def due_this_month(today: datetime.date):
    return (
        live_schedules()
        .filter(next_review_due__gte=today, next_review_due__lte=month_end(today))
        .order_by("next_review_due", "page_id")
    )


@dataclass
class DueList:
    items: list
    total: int


def due_lists(today: datetime.date, limit: int = 10) -> dict[str, DueList]:
    """The "overdue" and "due this month" panels: four queries in all."""
    return {
        name: DueList(list(queryset[:limit]), queryset.count())
        for name, queryset in (
            ("overdue", overdue(today)),
            ("due_this_month", due_this_month(today)),
        )
    }


# Re-confirming without changes


class ReconfirmRefused(ReviewRefused):
    """The article cannot be re-confirmed as it stands; the reason says why."""


def reconfirm(page, reviewer, *, note: str = "") -> list:
    """Re-confirm a live article without changes: one decision per unit.

    Every unit the gate asks a reviewer about must be settled now
    (approved, or confirmed "not a claim"); each gets a new decision of the
    same kind, pinned to the live text and evidence as any decision is and
    keeping the certainty recorded before. The article's public review date
    and byline then move to this review. Refused, with nothing recorded,
    when the article has unpublished changes, an open re-review flag, a unit
    that is not settled, or a unit this reviewer wrote.
    """
    page = Page.objects.get(pk=page.pk).specific
    if not page.live or not on_schedule(page):
        raise ReconfirmRefused(_("Only a live article can be re-confirmed."))
    if page.has_unpublished_changes:
        raise ReconfirmRefused(
            _(
                "This article has unpublished changes. Review them claim by claim; "
                "re-confirming is for an article that has not changed."
            )
        )
    open_flags = EvidenceFlag.objects.filter(page=page, closed_at__isnull=True).count()
    if open_flags:
        raise ReconfirmRefused(
            _(
                "%(count)d re-review flags are open on this article. Decide on "
                "them first: the claims they name need a look, not a "
                "re-confirmation."
            )
            % {"count": open_flags}
        )
    states = review_states(page)
    wanted = {b: s for b, s in states.items() if s.needs_review}
    # What the reviewer re-confirms: the live text, as it reads now.
    fingerprints = {p.block_id: p.fingerprint for p in reviewable_units(page)}
    unsettled = [b for b, s in wanted.items() if not s.is_settled]
    if unsettled:
        raise ReconfirmRefused(
            _(
                "%(count)d units are not approved for their live text; review "
                "them one by one."
            )
            % {"count": len(unsettled)}
        )
    today = timezone.localdate()
    reason = note.strip() or _("Re-confirmed without changes on %(date)s.") % {
        "date": today.isoformat()
    }
    decisions = []
    with transaction.atomic():
        for block_id, state in wanted.items():
            if state.status == Status.APPROVED:
                decisions.append(
                    record_decision(
                        page,
                        block_id,
                        reviewer,
                        Decision.APPROVE,
                        certainty=state.certainty,
                        certainty_reason=reason,
                        fingerprint=fingerprints[block_id],
                    )
                )
            else:
                decisions.append(
                    record_decision(
                        page,
                        block_id,
                        reviewer,
                        Decision.NOT_A_CLAIM,
                        fingerprint=fingerprints[block_id],
                    )
                )
        _update_byline(page)
        log(
            instance=page,
            action=RECONFIRM_LOG_ACTION,
            user=reviewer,
            data={"units": len(decisions)},
        )
    review_reconfirmed.send(sender=type(page), page=page)
    return decisions


def _update_byline(page) -> None:
    """Set the live page's byline from the approvals that count now, on the
    page and in its live version's publish snapshot (what readers see): a
    re-confirmation reviews the live version as it stands."""
    from evidence.gate.publish import byline, record_snapshot
    from evidence.gate.rules import evaluate

    result = evaluate(page)
    reviewers, latest = byline(result)
    if latest is None:
        return
    page.last_reviewed_at = latest
    page.reviewed_by = reviewers
    page.save(update_fields=["last_reviewed_at", "reviewed_by"])
    record_snapshot(page.pk, page.live_revision_id, result)
    sync_schedule(page)


# Reminders


def reminder_stage(schedule: ReviewSchedule, today: datetime.date) -> str:
    """The reminder to send today, or "" (each stage goes once per due date)."""
    due = schedule.next_review_due
    if due is None:
        return ""
    sent = schedule.reminders_sent or {}
    for stage, offset in REMINDER_STAGES:
        if today >= due + datetime.timedelta(days=offset):
            return "" if sent.get(stage) == due.isoformat() else stage
    return ""


def recipients(page) -> list[str]:
    """The article's reviewers and the editor who last published it (all
    active Editors when nobody is on record), by email, once each."""
    User = get_user_model()
    users = list(page.reviewed_by.filter(is_active=True))
    publisher = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish")
        .exclude(user__isnull=True)
        .order_by("-timestamp", "-pk")
        .values_list("user_id", flat=True)
        .first()
    )
    editors = User.objects.filter(is_active=True)
    editors = (
        editors.filter(pk=publisher)
        if publisher
        else editors.filter(groups__name=EDITORS)
    )
    users += list(editors)
    emails = []
    for user in users:
        if user.email and user.email not in emails:
            emails.append(user.email)
    return emails


def _admin_url(name: str, *args) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{reverse(name, args=args)}"


def reminder_message(page, schedule: ReviewSchedule, stage: str, to: list[str]):
    due = schedule.next_review_due.strftime("%-d %B %Y")
    subjects = {
        "before": _("Medical review due in %(days)d days: %(title)s"),
        "due": _("Medical review due today: %(title)s"),
        "after": _("Medical review overdue by %(days)d days: %(title)s"),
    }
    values = {"days": REMINDER_DAYS, "title": page.title}
    last = (
        timezone.localtime(schedule.last_reviewed_at).strftime("%-d %B %Y")
        if schedule.last_reviewed_at
        else _("never")
    )
    body = _(
        "“%(title)s” is due for its scheduled medical review on %(due)s.\n\n"
        "Last medically reviewed: %(last)s%(by)s.\n\n"
        "A medical reviewer can re-confirm it without changes, or review its "
        "claims one by one, on the review screen:\n%(review)s\n\n"
        "The article: %(live)s\n"
    ) % {
        "title": page.title,
        "due": due,
        "last": last,
        "by": _(" by %(names)s") % {"names": schedule.reviewer_names}
        if schedule.reviewer_names
        else "",
        "review": _admin_url("evidence_review:page", page.pk),
        "live": page.get_full_url() or "",
    }
    return EmailMessage(subject=subjects[stage] % values, body=body, to=to)


def send_review_reminders(today: datetime.date | None = None) -> dict:
    """Send today's reminders; returns what was sent and to whom."""
    today = today or timezone.localdate()
    sync_missing_schedules()
    horizon = today + datetime.timedelta(days=REMINDER_DAYS)
    candidates = live_schedules().filter(next_review_due__lte=horizon)
    sent, skipped = [], []
    for schedule in candidates.iterator(chunk_size=200):
        stage = reminder_stage(schedule, today)
        if not stage:
            continue
        page = schedule.page.specific
        to = recipients(page)
        if not to:
            skipped.append(page.pk)
            logger.warning("Review reminder for page %s: nobody to email", page.pk)
            continue
        reminder_message(page, schedule, stage, to).send()
        schedule.reminders_sent = {
            **(schedule.reminders_sent or {}),
            stage: schedule.next_review_due.isoformat(),
        }
        schedule.save(update_fields=["reminders_sent", "updated_at"])
        sent.append({"page": page.pk, "stage": stage, "to": to})
    return {"sent": sent, "nobody_to_email": skipped}
