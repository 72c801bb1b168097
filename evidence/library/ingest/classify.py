"""First guesses at study design, population and grade for a new Source.

The guesses come from the PubMed publication types and MeSH headings a
record carries. They only prefill the form: a reviewer reads the paper and
confirms or changes them, and the grade rationale says so.

Design: the strongest design named wins, in the order of DESIGN_ORDER, so a
meta-analysis of trials is a meta-analysis, not a trial. Publication types
and MeSH study-type headings ("Cohort Studies") both count; "... as Topic"
headings describe what a paper is about, not what it is, and are ignored.

Population: a clinical design (trial, cohort, case-control, cross-sectional,
case reports) means people. Otherwise "Humans" means people; animal headings
without "Humans" mean animals; cell-culture headings mean cells unless animal
headings are also present (mostly in-vivo work with a culture step). A
record with no population signal gets none; "none" is for a reviewer to set.
With no design named, an animal population suggests an animal study and a
cell population an in-vitro study.

Grade follows GRADE's starting points: systematic reviews and meta-analyses
A, randomised trials B, observational designs C, everything else D. Risk of
bias, inconsistency, imprecision and indirectness can move it, which only a
reviewer can judge; no design, no suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable

from evidence.library.ingest.records import SourceRecord, _

META_ANALYSIS = "meta_analysis"
SYSTEMATIC_REVIEW = "systematic_review"
RCT = "rct"
COHORT = "cohort"
CASE_CONTROL = "case_control"
CROSS_SECTIONAL = "cross_sectional"
CASE_SERIES = "case_series"
ANIMAL = "animal"
IN_VITRO = "in_vitro"
NARRATIVE_REVIEW = "narrative_review"
GUIDELINE = "guideline"
EXPERT_OPINION = "expert_opinion"

HUMAN = "human"
ANIMAL_POPULATION = "animal"
CELL = "cell"

DESIGN_ORDER = (
    META_ANALYSIS,
    SYSTEMATIC_REVIEW,
    GUIDELINE,
    RCT,
    COHORT,
    CASE_CONTROL,
    CROSS_SECTIONAL,
    CASE_SERIES,
    NARRATIVE_REVIEW,
    EXPERT_OPINION,
)
CLINICAL_DESIGNS = {RCT, COHORT, CASE_CONTROL, CROSS_SECTIONAL, CASE_SERIES}

_DESIGN_TERMS = {
    META_ANALYSIS: {"meta-analysis", "network meta-analysis"},
    SYSTEMATIC_REVIEW: {"systematic review"},
    GUIDELINE: {
        "guideline",
        "practice guideline",
        "consensus development conference",
        "consensus development conference, nih",
    },
    RCT: {
        "randomized controlled trial",
        "randomised controlled trial",
        "pragmatic clinical trial",
        "equivalence trial",
        "random allocation",
    },
    COHORT: {
        "cohort studies",
        "prospective studies",
        "longitudinal studies",
        "retrospective studies",
        "follow-up studies",
    },
    CASE_CONTROL: {"case-control studies", "matched-pair analysis"},
    CROSS_SECTIONAL: {"cross-sectional studies", "health surveys"},
    CASE_SERIES: {"case reports", "case report"},
    NARRATIVE_REVIEW: {"review", "scoping review"},
    EXPERT_OPINION: {"editorial", "comment", "letter"},
}
_HUMAN_TERMS = {"humans"}
_ANIMAL_TERMS = {
    "animals",
    "mice",
    "rats",
    "guinea pigs",
    "rabbits",
    "dogs",
    "cats",
    "swine",
    "cattle",
    "sheep",
    "zebrafish",
    "macaca mulatta",
    "primates",
    "mice, inbred c57bl",
    "mice, knockout",
    "mice, transgenic",
    "rats, sprague-dawley",
    "rats, wistar",
    "disease models, animal",
    "randomized controlled trial, veterinary",
}
_CELL_TERMS = {
    "cells, cultured",
    "in vitro techniques",
    "cell line",
    "cell line, tumor",
    "primary cell culture",
}

GRADE_FOR_DESIGN = {
    META_ANALYSIS: "A",
    SYSTEMATIC_REVIEW: "A",
    RCT: "B",
    COHORT: "C",
    CASE_CONTROL: "C",
    CROSS_SECTIONAL: "C",
}
_GRADE_WORDS = {"A": "high", "B": "moderate", "C": "low", "D": "very low"}
_DESIGN_WORDS = {
    META_ANALYSIS: "meta-analysis",
    SYSTEMATIC_REVIEW: "systematic review",
    RCT: "randomised controlled trial",
    COHORT: "cohort study",
    CASE_CONTROL: "case-control study",
    CROSS_SECTIONAL: "cross-sectional study",
    CASE_SERIES: "case report or case series",
    ANIMAL: "animal study",
    IN_VITRO: "in-vitro study",
    NARRATIVE_REVIEW: "narrative review",
    GUIDELINE: "guideline",
    EXPERT_OPINION: "expert opinion",
}


def _terms(values: Iterable[str]) -> set[str]:
    return {" ".join(v.split()).lower() for v in values if v}


def _named_design(terms: set[str]) -> str:
    for design in DESIGN_ORDER:
        if terms & _DESIGN_TERMS[design]:
            return design
    return ""


def guess_population(
    publication_types: Iterable[str], mesh_terms: Iterable[str]
) -> str:
    """The population the paper studied, or "" when nothing says."""
    terms = _terms(publication_types) | _terms(mesh_terms)
    if _named_design(terms) in CLINICAL_DESIGNS:
        return HUMAN
    has_animals = bool(terms & _ANIMAL_TERMS)
    if terms & _CELL_TERMS and not has_animals:
        return CELL
    if terms & _HUMAN_TERMS:
        return HUMAN
    if has_animals:
        return ANIMAL_POPULATION
    return ""


def guess_study_design(
    publication_types: Iterable[str], mesh_terms: Iterable[str]
) -> str:
    """The study design the record names, or "" when it names none."""
    publication_types, mesh_terms = list(publication_types), list(mesh_terms)
    design = _named_design(_terms(publication_types) | _terms(mesh_terms))
    if design:
        return design
    population = guess_population(publication_types, mesh_terms)
    return {ANIMAL_POPULATION: ANIMAL, CELL: IN_VITRO}.get(population, "")


def suggest_grade(study_design: str) -> tuple[str, str]:
    """A GRADE certainty to start from and the sentence explaining it.

    Returns ("", "") when the design is unknown.
    """
    if study_design not in _DESIGN_WORDS:
        return "", ""
    grade = GRADE_FOR_DESIGN.get(study_design, "D")
    rationale = _(
        "Suggested from the study design (%(design)s): GRADE starts this "
        "design at %(certainty)s certainty. This is a suggestion awaiting a "
        "reviewer, who must check risk of bias, consistency, precision and "
        "directness before confirming it."
    ) % {"design": _DESIGN_WORDS[study_design], "certainty": _GRADE_WORDS[grade]}
    return grade, rationale


def with_suggestions(record: SourceRecord) -> SourceRecord:
    """A copy of the record with empty design, population and grade guessed.

    Values already on the record (a reviewer's or a file's) are kept.
    """
    design = record.study_design or guess_study_design(
        record.publication_types, record.mesh_terms
    )
    population = record.population or guess_population(
        record.publication_types, record.mesh_terms
    )
    changes = {"study_design": design, "population": population}
    if not record.grade:
        grade, rationale = suggest_grade(design)
        changes.update(grade=grade, grade_rationale=rationale)
    return record.replace(**changes)
