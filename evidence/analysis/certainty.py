"""The suggested certainty of the evidence behind a claim, GRADE-style.

The suggestion helps a medical reviewer pick a grade; the reviewer decides.
It starts from the best supporting study design: randomised trials and
systematic reviews or meta-analyses start high, observational studies start
low, and case series, animal and cell studies, expert opinion and narrative
reviews start very low. A guideline starts moderate when it reports high or
moderate certainty itself (a panel has already graded the studies), and very
low otherwise.

It then steps down one level for each problem:

- indirectness: the best studies were not in people, or studied another
  intervention or route than the article's subject;
- imprecision: the largest supporting human study had fewer than 100
  participants, or its size is unknown;
- inconsistency: at least one cited source contradicts the claim.

It never goes below very low; with no supporting source it is very low.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from evidence.analysis.calibration import (
    EvidenceItem,
    Subject,
    describe_source,
    describe_subject,
    is_direct,
    supporting_evidence,
)
from evidence.vocab import (
    CERTAINTY_GRADE,
    CERTAINTY_LEVELS,
    CERTAINTY_WORDS,
    DESIGN_WORDS,
    POPULATION_WORDS,
    Certainty,
    Population,
    Stance,
    StudyDesign,
)

IMPRECISION_THRESHOLD = 100

DESIGN_START = {
    "meta_analysis": Certainty.HIGH,
    "systematic_review": Certainty.HIGH,
    "rct": Certainty.HIGH,
    "cohort": Certainty.LOW,
    "case_control": Certainty.LOW,
    "cross_sectional": Certainty.LOW,
    "case_series": Certainty.VERY_LOW,
    "animal": Certainty.VERY_LOW,
    "in_vitro": Certainty.VERY_LOW,
    "expert_opinion": Certainty.VERY_LOW,
    "narrative_review": Certainty.VERY_LOW,
}


@dataclass(frozen=True)
class CertaintySuggestion:
    """A suggested certainty level and the reasons for it, in plain words."""

    level: str
    reasons: tuple[str, ...]

    @property
    def grade(self) -> str:
        return CERTAINTY_GRADE[self.level]


def starting_level(item: EvidenceItem) -> Certainty:
    """Where a single source starts before any step down."""
    if item.study_design == StudyDesign.GUIDELINE:
        if item.grade in {"A", "B"}:
            return Certainty.MODERATE
        return Certainty.VERY_LOW
    return DESIGN_START.get(item.study_design, Certainty.VERY_LOW)


def _name(item: EvidenceItem) -> str:
    design = DESIGN_WORDS.get(item.study_design, item.study_design or _("source"))
    if not item.label:
        return str(design)
    return _("%(design)s (%(label)s)") % {"design": design, "label": item.label}


def _start_reason(item: EvidenceItem, level: Certainty) -> str:
    names = {"level": CERTAINTY_WORDS[level], "source": _name(item)}
    if item.study_design != StudyDesign.GUIDELINE:
        return _("Starts %(level)s: %(source)s") % names
    if level is Certainty.MODERATE:
        return _(
            "Starts %(level)s: %(source)s that reports grade %(grade)s evidence "
            "itself; a guideline panel has already weighed the studies, but the "
            "studies are not cited here"
        ) % {**names, "grade": item.grade}
    return (
        _(
            "Starts %(level)s: %(source)s without graded evidence of its own; "
            "cite the studies it relies on"
        )
        % names
    )


def _step_down(level: Certainty) -> Certainty:
    return CERTAINTY_LEVELS[max(0, CERTAINTY_LEVELS.index(level) - 1)]


def _indirectness(best: list[EvidenceItem], subject: Subject | None) -> str | None:
    if any(
        item.population == Population.HUMAN and is_direct(item, subject)
        for item in best
    ):
        return None
    item = best[0]
    if item.population != Population.HUMAN:
        population = POPULATION_WORDS.get(
            item.population, item.population or _("an unknown population")
        )
        return _("indirect — the best evidence is in %(population)s") % {
            "population": population
        }
    return _("indirect — %(studied)s, article is about %(subject)s") % {
        "studied": describe_source(item, subject),
        "subject": describe_subject(subject) if subject else _("another intervention"),
    }


def _imprecision(support: list[EvidenceItem]) -> str | None:
    human = [item for item in support if item.population == Population.HUMAN]
    sizes = [item.sample_size for item in human if item.sample_size]
    if not human:
        return None
    if not sizes:
        return _("imprecise — no supporting human study reports its size")
    largest = max(sizes)
    if largest < IMPRECISION_THRESHOLD:
        return _(
            "imprecise — the largest supporting human study had %(largest)s "
            "participants (fewer than %(threshold)s)"
        ) % {"largest": largest, "threshold": IMPRECISION_THRESHOLD}
    return None


def _inconsistency(evidence: list[EvidenceItem]) -> str | None:
    if any(
        item.stance == Stance.CONTRADICTS and not item.retracted for item in evidence
    ):
        return _("inconsistent — at least one cited source contradicts the claim")
    return None


def suggest_certainty(
    evidence: list[EvidenceItem], subject: Subject | None, text: str = ""
) -> CertaintySuggestion:
    """The certainty a reviewer would likely give the evidence for a claim.

    ``text`` is the passage; it is accepted so the suggestion can take the
    wording into account, and does not change the level today.
    """
    support = supporting_evidence(evidence)
    reasons: list[str] = [
        _("Not counted: retracted source (%(source)s)")
        % {"source": item.label or _name(item)}
        for item in evidence
        if item.retracted
    ]
    if not support:
        reasons.append(_("Very low: no supporting evidence is cited"))
        return CertaintySuggestion(Certainty.VERY_LOW.value, tuple(reasons))
    level = max((starting_level(item) for item in support), key=CERTAINTY_LEVELS.index)
    best = [item for item in support if starting_level(item) is level]
    best.sort(key=lambda item: (item.population != Population.HUMAN, item.label))
    reasons.append(_start_reason(best[0], level))
    steps = [
        _indirectness(best, subject),
        _imprecision(support),
        _inconsistency(evidence),
    ]
    for step in steps:
        if step is None:
            continue
        if level is Certainty.VERY_LOW:
            reasons.append(_("Already very low: %(reason)s") % {"reason": step})
            continue
        level = _step_down(level)
        reasons.append(_("Down one: %(reason)s") % {"reason": step})
    return CertaintySuggestion(level.value, tuple(reasons))
