"""Every vocabulary of the evidence app, once, and the small tables built on them.

Sources are graded with StudyDesign, Population, Route, Grade and
RetractionStatus; passages carry a PassageRole and cite with a Stance;
medical reviewers record a Decision and a Certainty. Stored values are the
choices' values, so renaming a label never touches the data.

The identifiers a Source may carry are spelt here too. A DOI is
case-insensitive (the DOI Handbook, section 2.4), so it is stored in lower
case without any resolver prefix; two spellings of one DOI must compare
equal or the library fills with duplicates. A PMID is a positive integer.
"""

import re
from functools import lru_cache

from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


class StudyDesign(models.TextChoices):
    META_ANALYSIS = "meta_analysis", _("Meta-analysis")
    SYSTEMATIC_REVIEW = "systematic_review", _("Systematic review")
    RCT = "rct", _("Randomised controlled trial")
    COHORT = "cohort", _("Cohort study")
    CASE_CONTROL = "case_control", _("Case-control study")
    CROSS_SECTIONAL = "cross_sectional", _("Cross-sectional study")
    CASE_SERIES = "case_series", _("Case series or report")
    ANIMAL = "animal", _("Animal study")
    IN_VITRO = "in_vitro", _("In-vitro study")
    NARRATIVE_REVIEW = "narrative_review", _("Narrative review")
    GUIDELINE = "guideline", _("Guideline")
    EXPERT_OPINION = "expert_opinion", _("Expert opinion")


PRECLINICAL_DESIGNS = frozenset({StudyDesign.ANIMAL, StudyDesign.IN_VITRO})
OBSERVATIONAL_DESIGNS = frozenset(
    {
        StudyDesign.COHORT,
        StudyDesign.CASE_CONTROL,
        StudyDesign.CROSS_SECTIONAL,
        StudyDesign.CASE_SERIES,
    }
)
# A design in a reviewer's note ("Starts high: randomised trial").
DESIGN_WORDS = {
    StudyDesign.META_ANALYSIS: _("meta-analysis"),
    StudyDesign.SYSTEMATIC_REVIEW: _("systematic review"),
    StudyDesign.RCT: _("randomised trial"),
    StudyDesign.COHORT: _("cohort study (observational)"),
    StudyDesign.CASE_CONTROL: _("case-control study (observational)"),
    StudyDesign.CROSS_SECTIONAL: _("cross-sectional study (observational)"),
    StudyDesign.CASE_SERIES: _("case series"),
    StudyDesign.ANIMAL: _("animal study"),
    StudyDesign.IN_VITRO: _("cell or laboratory study"),
    StudyDesign.EXPERT_OPINION: _("expert opinion"),
    StudyDesign.NARRATIVE_REVIEW: _("narrative review"),
    StudyDesign.GUIDELINE: _("guideline"),
}


class Population(models.TextChoices):
    HUMAN = "human", _("Humans")
    ANIMAL = "animal", _("Animals")
    CELL = "cell", _("Cells")
    NONE = "none", _("Not applicable")


# Evidence that is not from people: animal and cell studies.
NON_HUMAN_POPULATIONS = frozenset({Population.ANIMAL, Population.CELL})
# What the best evidence was studied in, as a reviewer's note says it.
POPULATION_WORDS = {
    Population.HUMAN: _("people"),
    Population.ANIMAL: _("animals"),
    Population.CELL: _("cells in a laboratory"),
    Population.NONE: _("no study population"),
}


class Route(models.TextChoices):
    ORAL = "oral", _("Oral")
    INTRAVENOUS = "intravenous", _("Intravenous")
    INTRAMUSCULAR = "intramuscular", _("Intramuscular")
    SUBCUTANEOUS = "subcutaneous", _("Subcutaneous")
    TOPICAL = "topical", _("Topical")
    INHALED = "inhaled", _("Inhaled")
    DIETARY = "dietary", _("Dietary")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


UNSPECIFIED_ROUTES = frozenset({"", Route.NOT_APPLICABLE})
# A route in a sentence ("intravenous NAD+"); dietary intake counts as oral.
ROUTE_WORDS = {
    Route.ORAL: _("oral"),
    Route.INTRAVENOUS: _("intravenous"),
    Route.INTRAMUSCULAR: _("intramuscular"),
    Route.SUBCUTANEOUS: _("subcutaneous"),
    Route.TOPICAL: _("topical"),
    Route.INHALED: _("inhaled"),
    Route.DIETARY: _("dietary"),
}
SAME_ROUTE = {Route.DIETARY: Route.ORAL}


class Grade(models.TextChoices):
    """GRADE certainty of a body of evidence, as a letter."""

    A = "A", _("A: high certainty")
    B = "B", _("B: moderate certainty")
    C = "C", _("C: low certainty")
    D = "D", _("D: very low certainty")


GRADE_WORDS = {"A": _("high"), "B": _("moderate"), "C": _("low"), "D": _("very low")}
GRADE_ORDER = (Grade.A, Grade.B, Grade.C, Grade.D)  # strongest first
LOW_GRADES = frozenset({Grade.C, Grade.D})


class RetractionStatus(models.TextChoices):
    NONE = "none", _("None")
    CORRECTION = "correction", _("Correction")
    EXPRESSION_OF_CONCERN = "expression_of_concern", _("Expression of concern")
    RETRACTED = "retracted", _("Retracted")


# How serious each retraction status is: a more serious one replaces a
# lesser one, never the reverse.
RETRACTION_SEVERITY = {
    RetractionStatus.NONE: 0,
    RetractionStatus.CORRECTION: 1,
    RetractionStatus.EXPRESSION_OF_CONCERN: 2,
    RetractionStatus.RETRACTED: 3,
}


class Stance(models.TextChoices):
    """How a cited source bears on the passage that cites it."""

    SUPPORTS = "supports", _("Supports")
    CONTRADICTS = "contradicts", _("Contradicts")
    MENTIONS = "mentions", _("Mentions")


# The locator an import gives the citations it suggests (a study the text
# names by author and year, matched in the library). Such a citation is not
# support until a medical reviewer confirms it: stance "supports", this
# locator replaced by where in the source the claim is found.
SUGGESTED_BY_IMPORT = "suggested by import"

# The stances that count as support for a passage.
SUPPORTING_STANCES = frozenset({Stance.SUPPORTS, Stance.MENTIONS})


class PassageRole(models.TextChoices):
    CLAIM = "claim", _("Claim: states a fact and needs a source")
    CONTEXT = "context", _("Context: framing, transition or disclaimer")


class Certainty(models.TextChoices):
    """How sure a reviewer is of a claim, in GRADE's four levels."""

    HIGH = "high", _("High")
    MODERATE = "moderate", _("Moderate")
    LOW = "low", _("Low")
    VERY_LOW = "very_low", _("Very low")


CERTAINTY_GRADE = {"high": "A", "moderate": "B", "low": "C", "very_low": "D"}
CERTAINTY_LEVELS = (
    Certainty.VERY_LOW,
    Certainty.LOW,
    Certainty.MODERATE,
    Certainty.HIGH,
)  # weakest first
CERTAINTY_WORDS = {
    Certainty.HIGH: _("high"),
    Certainty.MODERATE: _("moderate"),
    Certainty.LOW: _("low"),
    Certainty.VERY_LOW: _("very low"),
}


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    NOT_A_CLAIM = "not_a_claim", _("Confirm: not a claim")


# Identifiers


@lru_cache(maxsize=1024)
def _translated(language: str | None, message: str) -> str:
    return gettext(message)


def translate(message: str) -> str:
    """`gettext`, kept per active language and message: the gate words a
    message for each unit of a long page, the public page labels every
    marker and badge, and Django looks a message up through each of its
    catalogues in turn."""
    return _translated(get_language(), message)


def label(choices: type[models.Choices], value) -> str:
    """The label of `value` in `choices`, translated (the value itself when
    it is not one of them, as Django's `get_FOO_display` answers).

    Django's `get_FOO_display` builds a dictionary of every choice on each
    call, translating every label to hash it: a Source's facts (design,
    population, route) cost about 30 translations that way, one each here.
    """
    try:
        return str(choices(value).label)
    except ValueError:
        return value


DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIXES = re.compile(
    r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|info:doi/)", re.IGNORECASE
)


def normalize_doi(value: str) -> str:
    """The DOI in its stored form: no resolver prefix, trimmed, lower case."""
    value = (value or "").strip()
    value = _DOI_PREFIXES.sub("", value).strip()
    return value.lower()


def is_valid_doi(value: str) -> bool:
    """True for a normalised DOI of the form 10.<registrant>/<suffix>."""
    return bool(DOI_PATTERN.match(value or ""))


def normalize_pmid(value) -> str:
    """The PMID as a string of digits, without a "PMID:" label."""
    value = str(value or "").strip()
    return re.sub(r"^pmid:\s*", "", value, flags=re.IGNORECASE)


def is_valid_pmid(value: str) -> bool:
    """True for a PMID: digits only, not starting with zero, at most 9."""
    return bool(re.fullmatch(r"[1-9]\d{0,8}", value or ""))


def normalize_title(value: str) -> str:
    """A title reduced for duplicate matching: lower case, letters and digits."""
    value = re.sub(r"^\s*retracted(?: article)?\s*:\s*", "", value or "", flags=re.I)
    return " ".join(re.findall(r"[a-z0-9]+", value.lower()))


class ChangeKind(models.TextChoices):
    """What kind of change a published version of a page made, as its editor
    said when publishing it (readers see updates and corrections)."""

    FIRST = "first", _("First published")
    MINOR = "minor", _("Minor edit")
    UPDATE = "update", _("Update")
    CORRECTION = "correction", _("Correction")


class AuditKind(models.TextChoices):
    """The events of an article's audit trail (`evidence.audit`)."""

    SAVE = "save", _("Version saved")
    DECISION = "decision", _("Medical review decision")
    PUBLISH = "publish", _("Published")
    UNPUBLISH = "unpublish", _("Unpublished")
    SOURCE_CHANGE = "source_change", _("Source changed")
