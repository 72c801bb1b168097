"""The evidence app's models; their vocabularies are in `evidence.vocab`."""

from evidence.models.reviews import PassageAuthorship, ReviewDecision, ReviewerProfile
from evidence.models.sources import Source
from evidence.models.workflow import MedicalReviewTask

__all__ = [
    "MedicalReviewTask",
    "PassageAuthorship",
    "ReviewDecision",
    "ReviewerProfile",
    "Source",
]
