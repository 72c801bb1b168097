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

from evidence.analysis.calibration import (
    EvidenceItem,
    Subject,
    describe_source,
    describe_subject,
    is_direct,
    supporting_evidence,
)
from evidence.vocab import CERTAINTY_GRADE, Certainty

LEVELS = (Certainty.VERY_LOW, Certainty.LOW, Certainty.MODERATE, Certainty.HIGH)
LEVEL_NAMES = {
    Certainty.HIGH: "high",
    Certainty.MODERATE: "moderate",
    Certainty.LOW: "low",
    Certainty.VERY_LOW: "very low",
}

CERTAINTY_FOR_GRADE = {grade: level for level, grade in CERTAINTY_GRADE.items()}

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
DESIGN_NAMES = {
    "meta_analysis": "meta-analysis",
    "systematic_review": "systematic review",
    "rct": "randomised trial",
    "cohort": "cohort study (observational)",
    "case_control": "case-control study (observational)",
    "cross_sectional": "cross-sectional study (observational)",
    "case_series": "case series",
    "animal": "animal study",
    "in_vitro": "cell or laboratory study",
    "expert_opinion": "expert opinion",
    "narrative_review": "narrative review",
    "guideline": "guideline",
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
    if item.study_design == "guideline":
        if item.grade in {"A", "B"}:
            return Certainty.MODERATE
        return Certainty.VERY_LOW
    return DESIGN_START.get(item.study_design, Certainty.VERY_LOW)


def _name(item: EvidenceItem) -> str:
    design = DESIGN_NAMES.get(item.study_design, item.study_design or "source")
    return f"{design} ({item.label})" if item.label else design


def _start_reason(item: EvidenceItem, level: Certainty) -> str:
    reason = f"Starts {LEVEL_NAMES[level]}: {_name(item)}"
    if item.study_design == "guideline":
        if level is Certainty.MODERATE:
            reason += (
                f" that reports grade {item.grade} evidence itself; a guideline "
                "panel has already weighed the studies, but the studies are "
                "not cited here"
            )
        else:
            reason += (
                " without graded evidence of its own; cite the studies it relies on"
            )
    return reason


def _step_down(level: Certainty) -> Certainty:
    return LEVELS[max(0, LEVELS.index(level) - 1)]


def _indirectness(best: list[EvidenceItem], subject: Subject | None) -> str | None:
    if any(item.population == "human" and is_direct(item, subject) for item in best):
        return None
    item = best[0]
    if item.population != "human":
        population = {
            "animal": "animals",
            "cell": "cells in a laboratory",
            "none": "no study population",
        }.get(item.population, item.population or "an unknown population")
        return f"Down one: indirect — the best evidence is in {population}"
    studied = describe_source(item, subject)
    return (
        f"Down one: indirect — {studied}, article is about "
        f"{describe_subject(subject) if subject else 'another intervention'}"
    )


def _imprecision(support: list[EvidenceItem]) -> str | None:
    human = [item for item in support if item.population == "human"]
    sizes = [item.sample_size for item in human if item.sample_size]
    if not human:
        return None
    if not sizes:
        return "Down one: imprecise — no supporting human study reports its size"
    largest = max(sizes)
    if largest < IMPRECISION_THRESHOLD:
        return (
            f"Down one: imprecise — the largest supporting human study had "
            f"{largest} participants (fewer than {IMPRECISION_THRESHOLD})"
        )
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
        f"Not counted: retracted source ({item.label or _name(item)})"
        for item in evidence
        if item.retracted
    ]
    if not support:
        reasons.append("Very low: no supporting evidence is cited")
        return CertaintySuggestion(Certainty.VERY_LOW.value, tuple(reasons))
    level = max((starting_level(item) for item in support), key=LEVELS.index)
    best = [item for item in support if starting_level(item) is level]
    best.sort(key=lambda item: (item.population != "human", item.label))
    reasons.append(_start_reason(best[0], level))
    steps = [
        _indirectness(best, subject),
        _imprecision(support),
        (
            "Down one: inconsistent — at least one cited source contradicts the claim"
            if any(
                item.stance == "contradicts" and not item.retracted for item in evidence
            )
            else None
        ),
    ]
    for step in steps:
        if step is None:
            continue
        if level is Certainty.VERY_LOW:
            reasons.append(step.replace("Down one", "Already very low"))
            continue
        level = _step_down(level)
        reasons.append(step)
    return CertaintySuggestion(level.value, tuple(reasons))
