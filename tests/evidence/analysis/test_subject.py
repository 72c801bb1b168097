"""The subject proposed from an article's text (issue 14, item 9)."""

from evidence.analysis.calibration import intervention_counts
from evidence.analysis.subject import propose_subject


def test_the_most_named_intervention_and_route():
    proposed = propose_subject(
        "Oral nicotinamide mononucleotide (NMN) capsules. NMN by mouth. NAD+ once."
    )
    assert (proposed.intervention, proposed.route) == ("NMN", "oral")
    assert (proposed.intervention_mentions, proposed.route_mentions) == (3, 3)
    assert proposed.subject.intervention == "NMN"


def test_a_longer_name_is_counted_once():
    counts = intervention_counts("nicotinamide riboside and nicotinamide")
    assert {name: count for name, (count, _) in counts.items()} == {
        "NR": 1,
        "nicotinamide": 1,
    }


def test_ties_go_to_the_first_named():
    proposed = propose_subject("NR or NMN. NMN or NR. Taken orally or by IV drip.")
    assert proposed.intervention == "NR"
    assert proposed.route == "intravenous"  # IV and drip: two against one


def test_iv_is_a_route_only_in_capitals():
    assert propose_subject("NAD+ given IV.").route == "intravenous"
    assert propose_subject("Stage iv disease, vitamin C.").route == ""


def test_nothing_known_proposes_nothing():
    proposed = propose_subject("Walking lowers blood pressure.")
    assert not proposed
    assert (proposed.intervention, proposed.route) == ("", "")
