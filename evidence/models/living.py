"""Living evidence: review schedules, saved searches and re-review flags.

A live claim is true on the day it was reviewed. These models keep it
watched: a next-review date per article (``ReviewSchedule``, from the
interval in ``ReviewScheduleSettings`` or the article's own), saved
searches per claim or per Source (``SavedSearch``), the records those
searches found (``EvidenceCandidate``) and the flags that ask a medical
reviewer to look at a claim again (``EvidenceFlag``), raised by new
evidence or by a cited Source being retracted or corrected.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

DEFAULT_INTERVAL_MONTHS = 12
MAX_INTERVAL_MONTHS = 60


def interval_validators():
    return [MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_MONTHS)]


@register_setting(icon="date")
class ReviewScheduleSettings(BaseGenericSetting):
    """How often every live article is medically reviewed again."""

    interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"),
        default=DEFAULT_INTERVAL_MONTHS,
        validators=interval_validators(),
        help_text=_(
            "Each live article is due for a new medical review this many months "
            "after its last one, unless the article sets its own interval."
        ),
    )

    panels = [FieldPanel("interval_months")]

    class Meta:
        verbose_name = _("review schedule")


class ReviewSchedule(models.Model):
    """When a live article was last medically reviewed and is next due.

    ``last_reviewed_at`` follows the article's public "medically reviewed
    on" date: it moves only when a reviewer re-confirms the article or
    approves a changed claim that is then published, never by itself.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="review_schedule",
    )
    interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"),
        null=True,
        blank=True,
        validators=interval_validators(),
        help_text=_(
            "Leave empty to use the site's interval. Shorter for fast-moving topics."
        ),
    )
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True)
    reviewer_names = models.CharField(_("reviewed by"), max_length=500, blank=True)
    next_review_due = models.DateField(_("next review due"), null=True, db_index=True)
    # Reminder stage -> the due date it was sent for, so each goes once.
    reminders_sent = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review schedule")
        ordering = ["next_review_due", "page_id"]

    def __str__(self):
        return f"{self.page_id}: {self.next_review_due}"


class SavedSearch(models.Model):
    """A search for new evidence on one claim, or on every claim citing a
    Source, run by ``check_new_evidence``."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    block_id = models.CharField(max_length=64, blank=True)
    source = models.ForeignKey(
        "evidence.Source",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("source"),
    )
    pubmed_query = models.TextField(
        _("PubMed query"),
        blank=True,
        help_text=_(
            "PubMed search syntax. Only randomised controlled trials, systematic "
            "reviews, meta-analyses and guidelines added since the last check "
            "are looked at."
        ),
    )
    trials_query = models.CharField(
        _("ClinicalTrials.gov query"),
        max_length=500,
        blank=True,
        help_text=_(
            "Optional: studies whose results were posted since the last check."
        ),
    )
    last_checked_on = models.DateField(_("checked up to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(page__isnull=False, source__isnull=True) & ~Q(block_id=""))
                | Q(page__isnull=True, source__isnull=False, block_id=""),
                name="saved_search_on_a_claim_or_a_source",
            )
        ]

    def __str__(self):
        return self.pubmed_query or self.trials_query

    def clean(self):
        super().clean()
        self.pubmed_query = self.pubmed_query.strip()
        self.trials_query = self.trials_query.strip()
        if self.page_id is None and self.source_id is None:
            raise ValidationError(
                {
                    "source": _(
                        "Choose the Source whose citing claims this search "
                        "watches (searches on one claim are added from the "
                        "review screen)."
                    )
                }
            )
        if self.page_id is not None and self.source_id is not None:
            raise ValidationError(
                {"source": _("This search watches one claim; it has no Source.")}
            )
        if not (self.pubmed_query or self.trials_query):
            raise ValidationError(
                {
                    "pubmed_query": _(
                        "Give a PubMed query, a ClinicalTrials.gov one, or both."
                    )
                }
            )


class FlagReason(models.TextChoices):
    NEW_EVIDENCE = "new_evidence", _("New evidence")
    RETRACTED = "retracted", _("Cited source retracted")
    EXPRESSION_OF_CONCERN = (
        "expression_of_concern",
        _("Expression of concern on a cited source"),
    )
    CORRECTED = "correction", _("Cited source corrected")


class EvidenceFlag(models.Model):
    """A live claim a medical reviewer must look at again.

    Raised by ``check_new_evidence`` (candidates found) or by a cited
    Source's retraction status rising. It closes only with a reviewer's
    decision: a review decision on the claim, or a decision on each of its
    candidates.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="evidence_flags"
    )
    block_id = models.CharField(max_length=64)
    excerpt = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=32, choices=FlagReason.choices)
    source = models.ForeignKey(
        "evidence.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_at = models.DateTimeField(default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closing_decision = models.ForeignKey(
        "evidence.ReviewDecision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closing_note = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("re-review flag")
        ordering = ["raised_at", "pk"]
        indexes = [models.Index(fields=["page", "block_id", "closed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "block_id", "reason"],
                condition=Q(closed_at__isnull=True, source__isnull=True),
                name="one_open_flag_per_claim_and_reason",
            ),
            models.UniqueConstraint(
                fields=["page", "block_id", "reason", "source"],
                condition=Q(closed_at__isnull=True, source__isnull=False),
                name="one_open_flag_per_claim_and_source",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} · {self.page_id}/{self.block_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("To screen")
    IMPORTED = "imported", _("Imported and cited")
    NOT_RELEVANT = "not_relevant", _("Not relevant")
    REVIEWED = "reviewed", _("Seen when the claim was re-reviewed")


class EvidenceCandidate(models.Model):
    """A record a saved search found for one claim.

    One row per claim and record, whatever its status, so a record screened
    once (and above all one dismissed as not relevant) is never shown again
    for that claim.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    block_id = models.CharField(max_length=64)
    flag = models.ForeignKey(
        EvidenceFlag,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidates",
    )
    search = models.ForeignKey(
        SavedSearch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidates",
    )
    registry = models.CharField(max_length=16)
    identifier = models.CharField(max_length=32)
    title = models.CharField(max_length=500)
    design = models.CharField(max_length=32, blank=True)
    design_label = models.CharField(max_length=255, blank=True)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    doi = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=500, blank=True)
    record = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    imported_source = models.ForeignKey(
        "evidence.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence candidate")
        ordering = ["-published_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "block_id", "registry", "identifier"],
                name="one_candidate_per_claim_and_record",
            )
        ]

    def __str__(self):
        return f"{self.identifier}: {self.title}"


class RateSlot(models.Model):
    """A claimed request slot of a limiter shared by every process
    (``evidence.ingest.ratelimit``)."""

    name = models.CharField(max_length=32)
    slot = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="unique_rate_slot")
        ]

    def __str__(self):
        return f"{self.name}:{self.slot}"
