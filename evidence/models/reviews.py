"""Medical review records: decisions, passage authorship, reviewer profiles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from evidence.vocab import Certainty, Decision


class ReviewDecision(models.Model):
    """A medical reviewer's decision on one passage, as it read then.

    Decisions are never edited or deleted: each one is pinned to the
    fingerprint (text and citations) of the passage the reviewer saw, so any
    later edit leaves the passage without a current approval.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="review_decisions"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    block_id = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    excerpt = models.CharField(max_length=200, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices)
    certainty = models.CharField(max_length=16, choices=Certainty.choices, blank=True)
    suggested_certainty = models.CharField(
        max_length=16, choices=Certainty.choices, blank=True
    )
    certainty_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("review decision")
        ordering = ["created_at", "pk"]
        # The medical reviewer role (`evidence.roles`): whoever holds it
        # records decisions and moderates the Medical review task.
        permissions = [
            ("review_passages", _("Can review passages as a medical reviewer"))
        ]
        indexes = [models.Index(fields=["page", "block_id", "created_at"])]

    def __str__(self):
        return f"{self.get_decision_display()} · {self.block_id} · {self.reviewer}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Review decisions are append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Review decisions are append-only."))


class PassageAuthorship(models.Model):
    """Who first saved a passage's current text, and in which revision.

    The publish gate reads this to refuse self-approval: an approval does not
    count when the reviewer wrote the text it approves.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    block_id = models.CharField(max_length=64)
    text_hash = models.CharField(max_length=64)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page", "block_id", "text_hash"], name="unique_passage_text"
            )
        ]

    def __str__(self):
        return f"{self.block_id} by {self.author}"


class ReviewerProfile(models.Model):
    """How a medical reviewer is credited in bylines and review history."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
    )
    display_name = models.CharField(_("display name"), max_length=120)
    credentials = models.CharField(
        _("credentials"), max_length=120, blank=True, help_text=_("e.g. MD, PhD, RD")
    )
    specialty = models.CharField(_("specialty"), max_length=120, blank=True)
    conflict_of_interest = models.TextField(
        _("conflict-of-interest statement"),
        blank=True,
        help_text=_('Shown with every review; write "None declared" if none.'),
    )
    conflict_of_interest_declared_on = models.DateField(
        _("declared on"),
        null=True,
        blank=True,
        help_text=_("The date the statement was declared (or last renewed)."),
    )

    panels = [
        FieldPanel("user"),
        FieldPanel("display_name"),
        FieldPanel("credentials"),
        FieldPanel("specialty"),
        FieldPanel("conflict_of_interest"),
        FieldPanel("conflict_of_interest_declared_on"),
    ]

    class Meta:
        verbose_name = _("reviewer profile")

    def __str__(self):
        return (
            f"{self.display_name}, {self.credentials}"
            if self.credentials
            else self.display_name
        )
