"""What the publish gate decided for a version of a page when it went live.

Readers see what was approved for the version they read: the public page,
the API and the schema.org data show each unit's certainty and credits, and
the byline, from the snapshot of the live revision, never from the review
decisions as they stand now. A decision given after the version went live
shows once the page is published again (the dashboard lists the live pages
waiting for that). The gate writes the snapshot (`evidence.gate.publish`);
this module only stores and reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

# The review status readers are shown a certainty for; the statuses and the
# rules that give them are in `evidence.review.state` (models sit below it).
APPROVED = "approved"


@dataclass(frozen=True)
class Credit:
    """A medical reviewer as credited when the version went live."""

    user_id: int
    name: str
    credentials: str = ""

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True)
class UnitOutcome:
    """One reviewable unit as the gate found it when its version went live."""

    status: str
    certainty: str = ""
    reviewer_ids: tuple[int, ...] = ()
    decided_at: datetime | None = None
    fingerprint: str = ""

    @property
    def approved(self) -> bool:
        return self.status == APPROVED

    @property
    def recorded_certainty(self) -> str:
        """The certainty the approving reviewer recorded, or "" when the
        unit was not approved or none was recorded."""
        return self.certainty if self.approved else ""

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "certainty": self.certainty,
            "reviewers": list(self.reviewer_ids),
            "decided_at": self.decided_at,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_json(cls, data: dict) -> UnitOutcome:
        decided = data.get("decided_at")
        return cls(
            status=data.get("status") or "",
            certainty=data.get("certainty") or "",
            reviewer_ids=tuple(data.get("reviewers") or ()),
            decided_at=parse_datetime(decided) if decided else None,
            fingerprint=data.get("fingerprint") or "",
        )


class PublishSnapshotQuerySet(models.QuerySet):
    def live_for(self, page) -> PublishSnapshot | None:
        """The snapshot of the version of `page` that is live, if any."""
        if getattr(page, "pk", None) is None:
            return None
        return self.filter(_live_filter(page)).order_by("-pk").first()

    def live_for_pages(self, pages) -> dict[int, PublishSnapshot]:
        """Page id -> the snapshot of its live version, in one query."""
        pages = [p for p in pages if getattr(p, "pk", None) is not None]
        if not pages:
            return {}
        wanted = Q()
        for page in pages:
            wanted |= _live_filter(page)
        found = {}
        for snapshot in self.filter(wanted).order_by("pk"):
            found[snapshot.page_id] = snapshot
        return found


def _live_filter(page) -> Q:
    revision = page.live_revision_id
    if revision is None:
        return Q(page_id=page.pk, revision__isnull=True)
    return Q(page_id=page.pk, revision_id=revision)


class PublishSnapshot(models.Model):
    """The gate's verdict on one revision of a page, written as it went live.

    `units` maps each reviewable unit's id (a block id, or the name of a
    field the page type reviews) to its outcome: review status, the
    certainty the approving reviewer recorded, the reviewers credited (user
    ids), when the deciding decision was given and the unit's fingerprint
    then. `people` names every reviewer credited, as their profile named
    them then (a byline states who reviewed, as it was published).
    `reviewer_ids` and `last_reviewed_at` are the byline: the reviewers
    whose approvals counted, and when they last approved.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="publish_snapshots"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_(
            "The version that went live (none for a page saved live without "
            "a revision)."
        ),
    )
    units = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    people = models.JSONField(default=dict)
    reviewer_ids = models.JSONField(default=list)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PublishSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("publish snapshot")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "revision"], name="one_snapshot_per_revision"
            )
        ]

    def __str__(self):
        return f"{self.page_id} @ {self.revision_id}"

    def credit(self, user_id: int) -> Credit | None:
        """How reviewer `user_id` was credited, or None."""
        person = self.people.get(str(user_id))
        if person is None:
            return None
        return Credit(
            user_id, person.get("name") or "", person.get("credentials") or ""
        )

    def byline(self) -> list[Credit]:
        """The medical reviewers credited in the byline, in order."""
        credits = (self.credit(pk) for pk in self.reviewer_ids)
        return [credit for credit in credits if credit is not None]

    def outcome(self, unit_id: str) -> UnitOutcome | None:
        data = self.units.get(unit_id)
        return UnitOutcome.from_json(data) if data is not None else None

    def outcomes(self) -> dict[str, UnitOutcome]:
        return {key: UnitOutcome.from_json(data) for key, data in self.units.items()}

    def recorded_certainties(self) -> dict[str, str]:
        """Unit id -> the certainty recorded by its approving reviewer, for
        the approved units that have one."""
        found = {}
        for key, data in self.units.items():
            certainty = data.get("certainty")
            if certainty and data.get("status") == APPROVED:
                found[key] = certainty
        return found
