"""How medical reviews are shown: reviewer bylines and the review screen's rows.

Nothing here decides whether a page may go live; that is the publish gate's
job (`evidence.publishing`) and the review states come from
`evidence.reviews`. This module only puts what they say next to each
passage, with the evidence a reviewer needs to judge it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from evidence.calibration import CalibrationWarning
from evidence.certainty import LEVEL_NAMES, CertaintySuggestion, suggest_certainty
from evidence.evaluation import analyse_passages, page_subject
from evidence.models import ReviewerProfile
from evidence.passages import Passage
from evidence.reviews import PassageReview


def has_passages(page) -> bool:
    """Pages with a passage body (articles) are the ones medically reviewed."""
    page_class = page.specific_class
    return page_class is not None and any(
        field.name == "body" for field in page_class._meta.get_fields()
    )


def _profile(user) -> ReviewerProfile | None:
    if user is None or isinstance(user, AnonymousUser):
        return None
    try:
        return user.reviewer_profile
    except ReviewerProfile.DoesNotExist:
        return None


def reviewer_name(user) -> str:
    """The reviewer's display name, else their full name, else username."""
    profile = _profile(user)
    if profile is not None and profile.display_name:
        return profile.display_name
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def reviewer_byline(user) -> str:
    """How a medical reviewer is credited: "Jane Doe, MD, PhD (cardiology)".

    The name and credentials come from the reviewer's profile; without a
    profile, the account's full name is used. The conflict-of-interest
    statement is separate: see `reviewer_disclosure()`.
    """
    profile = _profile(user)
    name = reviewer_name(user)
    if profile is None:
        return name
    byline = f"{name}, {profile.credentials}" if profile.credentials else name
    return f"{byline} ({profile.specialty})" if profile.specialty else byline


def reviewer_disclosure(user) -> str:
    """The reviewer's conflict-of-interest statement, or "" without one."""
    profile = _profile(user)
    return profile.conflict_of_interest if profile is not None else ""


@dataclass
class ReviewRow:
    """One passage on the review screen, with what the reviewer needs."""

    passage: Passage
    state: PassageReview
    suggestion: CertaintySuggestion
    warnings: tuple[CalibrationWarning, ...]
    form: object = None  # the decision form the review screen shows

    @property
    def suggested_name(self) -> str:
        return LEVEL_NAMES.get(self.suggestion.level, self.suggestion.level)

    @property
    def block_id(self) -> str:
        return self.passage.block_id

    @property
    def status(self) -> str:
        return self.state.status

    @property
    def is_context(self) -> bool:
        return not self.passage.is_claim

    @property
    def is_approved(self) -> bool:
        return self.state.is_settled

    @property
    def is_changed(self) -> bool:
        return self.status == "changed_since_approval"

    @property
    def decision(self):
        return self.state.decision


def review_rows(version, states: dict) -> list[ReviewRow]:
    """The passages a medical reviewer must look at, in page order.

    Every claim needs a reviewer; so does a passage marked as context in
    which the claim detector finds a claim (the reviewer confirms it is not
    one, or asks the writer to cite it). `version` is the page as its latest
    revision has it; `states` is `evidence.reviews.review_states(version)`.
    """
    rows = []
    for analysis in analyse_passages(version):
        passage = analysis.passage
        state = states.get(passage.block_id)
        if state is None or not state.needs_review:
            continue
        rows.append(
            ReviewRow(
                passage=passage,
                state=state,
                suggestion=analysis.suggestion
                or suggest_certainty([], page_subject(version), passage.text),
                warnings=analysis.warnings,
            )
        )
    return rows
