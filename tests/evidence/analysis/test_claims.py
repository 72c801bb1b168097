import re
from pathlib import Path

import pytest

from evidence.analysis.claims import (
    detect_paragraphs,
    detect_sentences,
    format_report_text,
    has_claim,
    split_sentences,
)
from evidence.analysis.text import text_from_html

DATA = Path(__file__).resolve().parent / "data"
SEEDS = Path(__file__).resolve().parents[3] / ".." / "shared" / "seeds"
PROMOTIONAL_SEED = "002_16e52568080f6dbc.txt"
CITED_SEED = "000_e85b0fd0f587daf9.txt"

_SEED_BULLET = re.compile(r"^\s*(?:[-*•·▪◦]+\s*)+")


def seed_sentences(path: Path) -> list[str]:
    """The numbered sentences of a seed document, as the label file counts them.

    Lines are paragraphs; list bullets such as "- •" are stripped, empty lines
    are skipped, and each paragraph is split with split_sentences. Numbering
    runs across the whole document from 1.
    """
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = _SEED_BULLET.sub("", line).strip()
        if line:
            sentences.extend(text for text, _start, _end in split_sentences(line))
    return sentences


def verdict(sentence):
    (only,) = detect_sentences(sentence)
    return only


def cue_kinds(sentence):
    return {cue.kind for cue in verdict(sentence).cues}


def recall_precision(pairs):
    tp = sum(1 for label, found in pairs if label and found)
    fn = sum(1 for label, found in pairs if label and not found)
    fp = sum(1 for label, found in pairs if not label and found)
    recall = tp / (tp + fn) if tp + fn else 1.0
    precision = tp / (tp + fp) if tp + fp else 1.0
    return recall, precision, fn, fp


@pytest.mark.parametrize(
    "verb",
    [
        "reduces",
        "reduced",
        "reducing",
        "improves",
        "prevents",
        "extends",
        "reverses",
        "restores",
        "boosts",
        "protects",
        "lowers",
        "increases",
        "enhances",
        "cures",
        "treats",
        "slows",
    ],
)
def test_effect_verbs_in_any_inflection_make_a_claim(verb):
    sentence = f"Magnesium {verb} muscle cramps."
    found = verdict(sentence)
    assert found.is_claim
    assert any(c.kind == "effect" and c.text == verb for c in found.cues)
    assert found.strength in {"causal", "strong"}


def test_has_been_shown_is_a_strong_claim():
    found = verdict("NAD+ IV therapy has been shown to reduce inflammation.")
    assert found.is_claim
    assert found.strength == "strong"
    shown = [c for c in found.cues if c.kind == "shown"]
    assert shown[0].text == "has been shown"
    assert found.text[shown[0].start : shown[0].end] == "has been shown"


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("The trial enrolled n=24 adults aged 55-79.", "sample_size"),
        ("In 30 adults, fasting glucose fell slightly.", "sample_size"),
        ("Blood levels rose by ~60% after six weeks.", "percentage"),
        ("Walkers had 20 percent fewer falls.", "percentage"),
        ("The hazard ratio for stroke was 0.8 in the treated group.", "statistic"),
        ("About one in five adults has high blood pressure.", "statistic"),
        ("Runners slept longer than non-runners.", "comparison"),
        ("Statins were compared with placebo in older adults.", "comparison"),
        ("Smoking causes most lung cancers.", "causal"),
        ("Poor sleep leads to weight gain.", "causal"),
        ("Low vitamin D is linked to depression.", "causal"),
        ("Night shifts are associated with breast cancer.", "causal"),
        ("Studies suggest green tea lowers cholesterol.", "research"),
        ("Patients on warfarin have a contraindication to this drug.", "risk"),
        ("Take 400 mg twice a day with food.", "dosage"),
        ("NAD+ is required for DNA repair.", "mechanism"),
        ("NAD+ levels decline with age.", "mechanism"),
    ],
)
def test_cue_kinds(sentence, kind):
    assert verdict(sentence).is_claim
    assert kind in cue_kinds(sentence)


@pytest.mark.parametrize(
    ("sentence", "hedge"),
    [
        ("Creatine may improve memory in older adults.", "may"),
        ("NMN restored blood flow in mice.", "in mice"),
        ("Preliminary data show fewer headaches with riboflavin.", "Preliminary"),
        ("There is a theoretical risk that NAD+ feeds tumours.", "theoretical"),
        ("Turmeric might ease joint pain.", "might"),
        ("Studies in animals show longer lifespan.", "in animals"),
        ("The benefit is not yet proven in humans.", "not yet proven"),
    ],
)
def test_hedged_claims_are_still_claims(sentence, hedge):
    found = verdict(sentence)
    assert found.is_claim
    assert found.hedged
    assert found.strength == "hedged"
    assert hedge in [h.text for h in found.hedges]


def test_statistic_without_effect_wording_is_a_plain_claim():
    found = verdict("Normal resting heart rate is between 60 and 100 per minute.")
    assert found.is_claim
    assert found.strength == "plain"


@pytest.mark.parametrize(
    "sentence",
    [
        "Does NAD+ slow ageing?",
        "Reduced Inflammation",
        "Related reading:",
        "Speak with a healthcare professional to discuss the optimal plan.",
        "Consult a licensed provider before starting any treatment.",
        "This article is for educational purposes only.",
        "In this article, we will explore how NAD+ supports healthy ageing.",
        "Both our locations in Austin and Dallas offer NAD+ infusions.",
        "Clinics promise reversed ageing and restored energy.",
    ],
)
def test_not_claims(sentence):
    found = verdict(sentence)
    assert not found.is_claim
    assert found.strength == "none"
    assert not found.hedged


def test_split_sentences_keeps_et_al_and_decimals():
    text = (
        "Martens et al. (2018) gave 1.5 mg of NR daily. "
        "E.g. Dr. Smith saw a 2.5% rise. Next sentence."
    )
    sentences = split_sentences(text)
    assert [s for s, _start, _end in sentences] == [
        "Martens et al. (2018) gave 1.5 mg of NR daily.",
        "E.g. Dr. Smith saw a 2.5% rise.",
        "Next sentence.",
    ]
    for sentence, start, end in sentences:
        assert text[start:end] == sentence


def test_text_from_html_separates_blocks_and_unescapes():
    html = (
        "<h2>Reduced Inflammation</h2><p>NAD+ &amp; sirtuins "
        "<b>reduce</b>&nbsp;inflammation.</p><ul><li>First</li></ul>"
    )
    text = text_from_html(html)
    assert (
        text == "Reduced Inflammation\n\nNAD+ & sirtuins reduce inflammation.\n\nFirst"
    )
    assert has_claim(text)
    assert not has_claim(text_from_html("<h2>Reduced Inflammation</h2>"))


def test_detect_paragraphs_shape():
    report = detect_paragraphs(
        "Does it work?\n\nExercise lowers blood pressure. Talk to your GP."
    )
    assert set(report) == {"paragraphs"}
    first, second = report["paragraphs"]
    assert set(first) == {"text", "is_claim", "sentences"}
    assert first["is_claim"] is False
    assert second["is_claim"] is True
    claim, cta = second["sentences"]
    assert set(claim) == {"text", "is_claim", "cues", "hedged"}
    assert claim["is_claim"] and not cta["is_claim"]
    assert {"kind": "effect", "text": "lowers", "start": 9, "end": 15} in claim["cues"]
    text = format_report_text(report)
    assert "1 of 3 sentences" in text
    assert "Exercise lowers blood pressure." in text


def test_has_claim_is_fast_enough_for_the_publish_gate():
    import time

    passages = [
        "NAD+ IV therapy has been shown to reduce inflammation.",
        "Speak with a healthcare professional.",
    ] * 250
    started = time.perf_counter()
    for passage in passages:
        has_claim(passage)
    per_passage = (time.perf_counter() - started) / len(passages)
    assert per_passage < 0.005, f"{per_passage * 1000:.2f} ms per passage"


def read_eval_set():
    rows = []
    for line in (DATA / "claims_eval.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sentence = line.split("\t")
        assert label in {"claim", "not_claim"}, line
        rows.append((label == "claim", sentence))
    return rows


def test_eval_set_recall_and_precision():
    rows = read_eval_set()
    assert len(rows) >= 220
    pairs = [(label, has_claim(sentence)) for label, sentence in rows]
    recall, precision, misses, false_alarms = recall_precision(pairs)
    figures = (
        f"recall {recall:.3f}, precision {precision:.3f} "
        f"({misses} missed, {false_alarms} false alarms, {len(rows)} sentences)"
    )
    assert recall >= 0.98, figures
    assert precision >= 0.80, figures


def read_seed_labels():
    labels = {}
    lines = (DATA / "seed_claim_labels.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        document, number, label = line.split("\t")
        labels[(document, int(number))] = label == "claim"
    return labels


@pytest.fixture
def seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents are not available at {SEEDS.resolve()}")
    return SEEDS


def test_seed_labels_recall_and_precision(seeds):
    labels = read_seed_labels()
    pairs = []
    for document in (CITED_SEED, PROMOTIONAL_SEED):
        sentences = seed_sentences(seeds / document)
        numbered = {n for d, n in labels if d == document}
        assert numbered == set(range(1, len(sentences) + 1)), document
        for number, sentence in enumerate(sentences, start=1):
            pairs.append((labels[(document, number)], has_claim(sentence)))
    recall, precision, misses, false_alarms = recall_precision(pairs)
    figures = (
        f"recall {recall:.3f}, precision {precision:.3f} "
        f"({misses} missed, {false_alarms} false alarms, {len(pairs)} sentences)"
    )
    assert recall >= 0.98, figures
    assert precision >= 0.80, figures


def test_promotional_seed_benefit_sentences_are_detected(seeds):
    sentences = seed_sentences(seeds / PROMOTIONAL_SEED)
    benefits = [
        s
        for s in sentences
        if "has been shown to reduce inflammation" in s
        or "neuroprotective effects" in s
        or "can extend lifespan" in s
        or "can support the repair of DNA damage" in s
    ]
    assert len(benefits) == 4
    for sentence in benefits:
        found = verdict(sentence)
        assert found.is_claim, sentence
    inflammation = next(s for s in benefits if "reduce inflammation" in s)
    assert verdict(inflammation).strength == "strong"
