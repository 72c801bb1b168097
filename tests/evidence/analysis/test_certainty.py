import pytest

from evidence.analysis.calibration import EvidenceItem, Subject
from evidence.analysis.certainty import suggest_certainty
from evidence.vocab import CERTAINTY_GRADE, Certainty

IV_NAD = Subject("NAD+", "intravenous")


def item(**changes):
    values = {
        "study_design": "rct",
        "population": "human",
        "grade": "A",
        "route": "intravenous",
        "intervention": "NAD+",
        "stance": "supports",
        "sample_size": 400,
        "label": "Trial 2020",
    }
    values.update(changes)
    return EvidenceItem(**values)


def test_grade_mapping():
    assert CERTAINTY_GRADE == {
        "high": "A",
        "moderate": "B",
        "low": "C",
        "very_low": "D",
    }
    assert Certainty.VERY_LOW == "very_low"


def test_large_direct_trial_stays_high():
    suggestion = suggest_certainty([item()], IV_NAD)
    assert suggestion.level == "high"
    assert suggestion.grade == "A"
    assert suggestion.reasons == ("Starts high: randomised trial (Trial 2020)",)


@pytest.mark.parametrize(
    ("design", "level"),
    [
        ("meta_analysis", "high"),
        ("systematic_review", "high"),
        ("cohort", "low"),
        ("case_control", "low"),
        ("cross_sectional", "low"),
        ("case_series", "very_low"),
        ("expert_opinion", "very_low"),
        ("narrative_review", "very_low"),
    ],
)
def test_starting_level_follows_the_best_design(design, level):
    assert suggest_certainty([item(study_design=design)], IV_NAD).level == level


def test_guideline_starts_moderate_only_with_graded_evidence():
    graded = suggest_certainty([item(study_design="guideline", grade="B")], IV_NAD)
    assert graded.level == "moderate"
    assert "panel" in graded.reasons[0]
    ungraded = suggest_certainty([item(study_design="guideline", grade="D")], IV_NAD)
    assert ungraded.level == "very_low"


def test_best_design_wins():
    evidence = [item(study_design="cohort", label="Cohort 2019"), item()]
    suggestion = suggest_certainty(evidence, IV_NAD)
    assert suggestion.level == "high"
    assert suggestion.reasons[0] == "Starts high: randomised trial (Trial 2020)"


def test_oral_precursor_small_trial_for_iv_claim():
    martens = item(
        route="oral",
        intervention="nicotinamide riboside",
        sample_size=24,
        grade="B",
        label="Martens 2018",
    )
    suggestion = suggest_certainty([martens], IV_NAD)
    assert suggestion.level == "low"
    start, indirect, imprecise = suggestion.reasons
    assert start == "Starts high: randomised trial (Martens 2018)"
    assert indirect.startswith("Down one: indirect")
    assert "precursor" in indirect
    assert "intravenous NAD+" in indirect
    assert imprecise.startswith("Down one: imprecise")
    assert "24" in imprecise


def test_unknown_sample_size_is_imprecise():
    suggestion = suggest_certainty([item(sample_size=None)], IV_NAD)
    assert suggestion.level == "moderate"
    assert suggestion.reasons[-1].startswith("Down one: imprecise")


def test_contradicting_source_is_inconsistent():
    evidence = [item(), item(stance="contradicts", label="Null 2022")]
    suggestion = suggest_certainty(evidence, IV_NAD)
    assert suggestion.level == "moderate"
    assert suggestion.reasons[-1].startswith("Down one: inconsistent")


def test_animal_trial_is_indirect():
    evidence = [item(population="animal", sample_size=None)]
    suggestion = suggest_certainty(evidence, IV_NAD)
    assert suggestion.level == "moderate"
    assert "animals" in suggestion.reasons[1]


def test_never_below_very_low():
    evidence = [
        item(study_design="animal", population="animal", route="oral"),
        item(study_design="in_vitro", population="cell", stance="contradicts"),
    ]
    suggestion = suggest_certainty(evidence, IV_NAD)
    assert suggestion.level == "very_low"
    assert any(r.startswith("Already very low") for r in suggestion.reasons)


def test_three_problems_take_high_to_very_low():
    evidence = [
        item(route="oral", intervention="NMN", sample_size=40),
        item(stance="contradicts"),
    ]
    assert suggest_certainty(evidence, IV_NAD).level == "very_low"


def test_no_supporting_evidence_is_very_low():
    suggestion = suggest_certainty(
        [item(stance="contradicts"), item(retracted=True, label="Gone 2019")], IV_NAD
    )
    assert suggestion.level == "very_low"
    assert "Not counted: retracted source (Gone 2019)" in suggestion.reasons
    assert "no supporting evidence" in suggestion.reasons[-1]
    assert suggest_certainty([], None).level == "very_low"
