import pytest

from evidence.library.ingest.classify import (
    guess_population,
    guess_study_design,
    suggest_grade,
    with_suggestions,
)
from evidence.library.ingest.records import SourceRecord


@pytest.mark.parametrize(
    ("types", "mesh", "design"),
    [
        (["Journal Article", "Randomized Controlled Trial"], ["Humans"], "rct"),
        (["Meta-Analysis", "Systematic Review", "Review"], [], "meta_analysis"),
        (["Systematic Review", "Review"], [], "systematic_review"),
        (["Journal Article", "Review"], ["Humans"], "narrative_review"),
        (["Practice Guideline"], [], "guideline"),
        (["Guideline"], [], "guideline"),
        (["Case Reports"], ["Humans"], "case_series"),
        (["Journal Article"], ["Humans", "Cohort Studies"], "cohort"),
        (["Journal Article"], ["Humans", "Prospective Studies"], "cohort"),
        (["Journal Article"], ["Case-Control Studies"], "case_control"),
        (["Journal Article"], ["Cross-Sectional Studies"], "cross_sectional"),
        (["Editorial"], [], "expert_opinion"),
        (["Comment", "Letter"], [], "expert_opinion"),
        (["RANDOMIZED CONTROLLED TRIAL"], [], "rct"),
        (["Journal Article"], ["Animals", "Mice"], "animal"),
        (["Journal Article"], ["Cells, Cultured"], "in_vitro"),
        (["Journal Article"], ["In Vitro Techniques", "Humans"], "in_vitro"),
        (["Journal Article"], ["Humans"], ""),
        ([], [], ""),
    ],
)
def test_study_design_from_publication_types_and_mesh(types, mesh, design):
    assert guess_study_design(types, mesh) == design


def test_topic_headings_do_not_make_a_trial():
    mesh = ["Randomized Controlled Trials as Topic", "Humans"]
    assert guess_study_design(["Review"], mesh) == "narrative_review"


@pytest.mark.parametrize(
    ("mesh", "population"),
    [
        (["Humans"], "human"),
        (["Animals", "Humans"], "human"),
        (["Animals", "Rats"], "animal"),
        (["Mice"], "animal"),
        (["Cells, Cultured", "Humans"], "cell"),
        (["Cells, Cultured", "Animals", "Mice"], "animal"),
        ([], ""),
    ],
)
def test_population_from_mesh(mesh, population):
    assert guess_population(["Journal Article"], mesh) == population


def test_a_clinical_trial_studies_people_even_without_mesh():
    assert guess_population(["Randomized Controlled Trial"], []) == "human"


@pytest.mark.parametrize(
    ("design", "grade"),
    [
        ("meta_analysis", "A"),
        ("systematic_review", "A"),
        ("rct", "B"),
        ("cohort", "C"),
        ("case_control", "C"),
        ("cross_sectional", "C"),
        ("case_series", "D"),
        ("animal", "D"),
        ("in_vitro", "D"),
        ("narrative_review", "D"),
        ("guideline", "D"),
        ("expert_opinion", "D"),
    ],
)
def test_grade_starts_from_the_design(design, grade):
    suggested, rationale = suggest_grade(design)
    assert suggested == grade
    assert "suggestion awaiting a reviewer" in rationale


def test_unknown_design_gets_no_grade():
    assert suggest_grade("") == ("", "")


def test_suggestions_keep_what_a_reviewer_set():
    record = SourceRecord(
        publication_types=["Randomized Controlled Trial"],
        mesh_terms=["Humans"],
        grade="C",
        grade_rationale="Downgraded for risk of bias.",
    )
    suggested = with_suggestions(record)
    assert suggested.study_design == "rct"
    assert suggested.population == "human"
    assert suggested.grade == "C"
    assert suggested.grade_rationale == "Downgraded for risk of bias."
    assert record.study_design == ""


def test_suggestions_fill_an_empty_grade():
    record = with_suggestions(SourceRecord(publication_types=["Meta-Analysis"]))
    assert (record.study_design, record.grade) == ("meta_analysis", "A")
    assert "meta-analysis" in record.grade_rationale
