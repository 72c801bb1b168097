"""Receivers keeping schedules and re-review flags in step with the site."""

from django.db.models.signals import post_save, pre_save
from wagtail.signals import page_published

from evidence.living import schedule, watch
from evidence.models import ReviewDecision, ReviewScheduleSettings, Source
from evidence.vocab import RETRACTION_SEVERITY


def page_went_live(sender, instance, **kwargs):
    schedule.sync_schedule(instance)


def interval_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule.recompute_due_dates(instance.interval_months)


def source_saving(sender, instance, raw=False, **kwargs):
    """Remember the status before the save, to see whether it rose."""
    if raw or instance.pk is None:
        instance._status_before = None
        return
    instance._status_before = (
        Source.objects.filter(pk=instance.pk)
        .values_list("retraction_status", flat=True)
        .first()
    )


def source_saved(sender, instance, raw=False, created=False, **kwargs):
    before = getattr(instance, "_status_before", None)
    if raw or created or before is None:
        return
    if RETRACTION_SEVERITY.get(instance.retraction_status, 0) > RETRACTION_SEVERITY.get(
        before, 0
    ):
        watch.raise_source_flags(instance)


def decision_recorded(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        watch.close_flags_for_decision(instance)


def connect():
    page_published.connect(page_went_live, dispatch_uid="evidence.living.published")
    post_save.connect(
        interval_changed,
        sender=ReviewScheduleSettings,
        dispatch_uid="evidence.living.interval",
    )
    pre_save.connect(source_saving, sender=Source, dispatch_uid="evidence.living.src0")
    post_save.connect(source_saved, sender=Source, dispatch_uid="evidence.living.src1")
    post_save.connect(
        decision_recorded,
        sender=ReviewDecision,
        dispatch_uid="evidence.living.decision",
    )
