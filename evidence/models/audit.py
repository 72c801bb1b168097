"""The audit trail of an article, and the versions readers were shown.

`AuditEvent` is one link of an append-only chain per page: every event
stores its content as canonical JSON (`payload`) and a SHA-256 hash that
covers that payload, which names the previous event's hash. Changing,
removing or reordering any event breaks every hash after it; the chain is
written and checked by `evidence.audit`, this module only stores it. The
page is named by its id, not a foreign key, so the trail outlives the page.

`PublishedVersion` is the text of each version that went live, with the
kind of change its editor said it made and their note: what the "Updates"
list and "see what changed" show readers, and what the audit bundle holds.
`ChangeNote` is that kind and note given before the publish (in the editor,
or to the API), for the revision about to go live.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from evidence.vocab import AuditKind, ChangeKind

GENESIS = "0" * 64  # the "previous hash" of a chain's first event


class AuditEvent(models.Model):
    """One event of a page's audit trail. Never edited, never deleted."""

    page_id = models.IntegerField(db_index=True)
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=AuditKind.choices)
    occurred_at = models.DateTimeField()
    payload = models.TextField(
        help_text=_("The event as canonical JSON; its hash covers exactly this.")
    )
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        ordering = ["page_id", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["page_id", "seq"], name="one_audit_event_per_seq"
            )
        ]

    def __str__(self):
        return f"{self.page_id} #{self.seq} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Audit events are append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Audit events are append-only."))


class ChangeNote(models.Model):
    """What an editor said of a version before publishing it."""

    page_id = models.IntegerField(db_index=True)
    revision = models.OneToOneField(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    note = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("change note")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.note}"


class PublishedVersionQuerySet(models.QuerySet):
    def of_page(self, page_id):
        return self.filter(page_id=page_id).order_by("published_at", "pk")

    def public(self):
        """Versions readers see an entry for: every one but minor edits."""
        return self.exclude(kind=ChangeKind.MINOR)


class PublishedVersion(models.Model):
    """A version of a page as it went live: its text, and why it changed.

    `text` holds the title and every reviewable unit (id, kind, role, plain
    text, fingerprint, citations, review status and certainty); its hash is
    recorded in the chain's publish event (`event_seq`).
    """

    page_id = models.IntegerField(db_index=True)
    revision_id = models.IntegerField(null=True, blank=True)
    event_seq = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    note = models.TextField(blank=True)
    editor_name = models.CharField(max_length=150, blank=True)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    text = models.JSONField(default=dict)
    text_hash = models.CharField(max_length=64)

    objects = PublishedVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("published version")
        ordering = ["page_id", "published_at", "pk"]
        indexes = [models.Index(fields=["page_id", "published_at"])]

    def __str__(self):
        return f"{self.page_id} @ {self.published_at:%Y-%m-%d} ({self.kind})"

    @property
    def substantive(self) -> bool:
        return self.kind != ChangeKind.MINOR
