from evidence.analysis.calibration import (
    CalibrationWarning,
    EvidenceItem,
    Subject,
    calibration_warnings,
    canonical_intervention,
)

IV_NAD = Subject("NAD+", "intravenous")


def item(**changes):
    values = {
        "study_design": "rct",
        "population": "human",
        "grade": "B",
        "route": "intravenous",
        "intervention": "NAD+",
        "stance": "supports",
        "sample_size": 200,
    }
    values.update(changes)
    return EvidenceItem(**values)


def codes(warnings):
    assert all(isinstance(w, CalibrationWarning) and w.message for w in warnings)
    return [w.code for w in warnings]


def test_intervention_spellings_are_one_intervention():
    names = {"NAD+", "NAD", "nicotinamide adenine dinucleotide", "IV NAD+ infusion"}
    assert {canonical_intervention(n) for n in names} == {"NAD+"}
    assert canonical_intervention("oral nicotinamide riboside") == "NR"
    assert canonical_intervention("NMN") == "NMN"


def test_strong_wording_on_low_certainty_evidence_warns():
    warnings = calibration_warnings(
        "NAD+ IV therapy has been shown to reduce inflammation.",
        [item(grade="C"), item(grade="D")],
        IV_NAD,
    )
    assert codes(warnings) == ["strong_wording_weak_evidence"]
    assert '"has been shown"' in warnings[0].message


def test_unhedged_causal_verb_on_weak_evidence_warns():
    warnings = calibration_warnings(
        "NAD+ infusions reduce fatigue.", [item(grade="C")], IV_NAD
    )
    assert "strong_wording_weak_evidence" in codes(warnings)


def test_strong_wording_on_one_good_source_does_not_warn():
    warnings = calibration_warnings(
        "NAD+ IV therapy has been shown to reduce inflammation.",
        [item(grade="C"), item(grade="A")],
        IV_NAD,
    )
    assert warnings == []


def test_hedged_wording_on_weak_evidence_does_not_warn():
    warnings = calibration_warnings(
        "NAD+ infusions may reduce fatigue.", [item(grade="D")], IV_NAD
    )
    assert warnings == []


def test_strong_wording_on_animal_studies_only_warns():
    evidence = [
        item(study_design="animal", population="animal", grade="B"),
        item(study_design="in_vitro", population="cell", grade="B"),
    ]
    warnings = calibration_warnings("NAD+ reverses ageing.", evidence, IV_NAD)
    assert codes(warnings) == ["strong_wording_preclinical"]
    assert "animal or cell" in warnings[0].message


def test_causal_wording_on_observational_evidence_warns():
    evidence = [
        item(study_design="cohort", route="dietary", intervention="coffee"),
        item(study_design="case_control", route="dietary", intervention="coffee"),
    ]
    warnings = calibration_warnings(
        "Coffee prevents liver disease.", evidence, Subject("coffee", "dietary")
    )
    assert codes(warnings) == ["causal_wording_observational"]
    assert "go together" in warnings[0].message


def test_association_wording_on_observational_evidence_does_not_warn():
    evidence = [item(study_design="cohort", route="dietary", intervention="coffee")]
    warnings = calibration_warnings(
        "Coffee may be linked to less liver disease.",
        evidence,
        Subject("coffee", "dietary"),
    )
    assert warnings == []


def test_oral_precursor_behind_intravenous_claim_is_indirect():
    evidence = [
        item(route="oral", intervention="nicotinamide riboside", label="Martens 2018"),
        item(route="oral", intervention="NMN", label="Yoshino 2021"),
    ]
    warnings = calibration_warnings(
        "IV NAD+ may raise blood NAD+ levels.", evidence, IV_NAD
    )
    assert codes(warnings) == ["indirect_evidence"]
    message = warnings[0].message
    assert "intravenous NAD+" in message
    assert "precursor" in message
    assert "Martens 2018" in message


def test_same_intervention_by_another_route_is_indirect():
    warnings = calibration_warnings(
        "This therapy may improve energy.", [item(route="oral")], IV_NAD
    )
    assert codes(warnings) == ["indirect_evidence"]
    assert "precursor" not in warnings[0].message


def test_one_direct_source_is_enough():
    evidence = [item(route="oral", intervention="NR"), item()]
    assert calibration_warnings("NAD+ may improve energy.", evidence, IV_NAD) == []


def test_claim_naming_the_studied_intervention_is_not_indirect():
    evidence = [item(route="oral", intervention="nicotinamide riboside")]
    warnings = calibration_warnings(
        "Oral nicotinamide riboside may raise NAD levels in older adults.",
        evidence,
        Subject("", "intravenous"),
    )
    assert "indirect_evidence" not in codes(warnings)


def test_contradicting_and_retracted_sources_are_not_support():
    evidence = [
        item(stance="contradicts"),
        item(retracted=True),
        item(grade="D", stance="mentions"),
    ]
    warnings = calibration_warnings("NAD+ cures fatigue.", evidence, IV_NAD)
    assert codes(warnings) == ["strong_wording_weak_evidence"]


def test_no_claim_or_no_support_gives_no_warnings():
    assert (
        calibration_warnings("Speak with your doctor.", [item(grade="D")], None) == []
    )
    assert calibration_warnings("NAD+ cures fatigue.", [], IV_NAD) == []
    assert calibration_warnings("NAD+ cures fatigue.", [item()], None) == []
