"""The evidence app's models; their vocabularies are in `evidence.vocab`."""

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
from evidence.models.reviews import PassageAuthorship, ReviewDecision, ReviewerProfile
from evidence.models.sources import Source
from evidence.models.workflow import MedicalReviewTask

__all__ = [
    "CandidateStatus",
    "EvidenceCandidate",
    "EvidenceFlag",
    "FlagReason",
    "RateSlot",
    "ReviewSchedule",
    "ReviewScheduleSettings",
    "SavedSearch",
    "MedicalReviewTask",
    "PassageAuthorship",
    "ReviewDecision",
    "ReviewerProfile",
    "Source",
]
