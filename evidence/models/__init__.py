"""The evidence app's models; their vocabularies are in `evidence.vocab`."""

from evidence.models.audit import (
    GENESIS,
    AuditEvent,
    ChangeNote,
    PublishedVersion,
)
from evidence.models.living import (
    CandidateStatus,
    EvidenceCandidate,
    EvidenceFlag,
    FlagReason,
    RateSlot,
    ReviewSchedule,
    ReviewScheduleSettings,
    SavedSearch,
)
from evidence.models.notes import PassageNote
from evidence.models.reviews import PassageAuthorship, ReviewDecision, ReviewerProfile
from evidence.models.snapshots import PublishSnapshot, UnitOutcome
from evidence.models.sources import EVIDENCE_FIELDS, Source
from evidence.models.workflow import EditorialSignOffTask, MedicalReviewTask

__all__ = [
    "GENESIS",
    "AuditEvent",
    "ChangeNote",
    "PublishedVersion",
    "EVIDENCE_FIELDS",
    "CandidateStatus",
    "EditorialSignOffTask",
    "EvidenceCandidate",
    "EvidenceFlag",
    "FlagReason",
    "RateSlot",
    "ReviewSchedule",
    "ReviewScheduleSettings",
    "SavedSearch",
    "MedicalReviewTask",
    "PassageAuthorship",
    "PassageNote",
    "PublishSnapshot",
    "ReviewDecision",
    "ReviewerProfile",
    "Source",
    "UnitOutcome",
]
