"""The claim detector measured on text it was not tuned on.

The floors (issue 18): on the held-out part of the claim corpus, recall at
least 0.95 at precision at least 0.85; on the two older sets, recall at
least 0.98. ``bench/claims_eval.py`` prints the same figures with every miss.
"""

import pytest
from django.core.management import call_command

from evidence.analysis.claim_model import default_model
from evidence.analysis.claims import detect_sentences, has_claim
from evidence.analysis.corpus import PARTS, part_of, read_part
from tests.evidence.analysis.claim_sets import (
    SEEDS,
    corpus_part,
    eval_set,
    measure,
    seed_set,
)


def test_every_sentence_sits_in_the_part_its_hash_gives_it():
    seen = set()
    for part in PARTS:
        for example in read_part(part):
            assert part_of(example.text) == part, example.text
            assert example.text.lower() not in seen, example.text
            seen.add(example.text.lower())
    assert len(seen) >= 1500


def test_held_out_recall_and_precision():
    figures = measure("held-out", corpus_part("heldout"), has_claim)
    assert figures.total >= 500
    assert figures.recall >= 0.95, figures.summary()
    assert figures.precision >= 0.85, figures.summary()


def test_development_part_is_learnt():
    figures = measure("development", corpus_part("development"), has_claim)
    assert figures.recall >= 0.98, figures.summary()
    assert figures.precision >= 0.90, figures.summary()


def test_older_evaluation_set_keeps_its_recall():
    figures = measure("claims_eval.tsv", eval_set(), has_claim)
    assert figures.recall >= 0.98, figures.summary()
    assert figures.precision >= 0.85, figures.summary()


def test_seed_documents_keep_their_recall():
    if not SEEDS.is_dir():
        pytest.skip(f"seed documents are not available at {SEEDS}")
    figures = measure("seed documents", seed_set(), has_claim)
    assert figures.recall >= 0.98, figures.summary()
    assert figures.precision >= 0.80, figures.summary()


@pytest.mark.parametrize(
    "sentence",
    [
        "Coffee drinkers get fewer gallstones.",
        "Potassium lowers blood pressure in most adults.",
        "Kale builds strong bones.",
        "One man in nine develops prostate cancer.",
        "Antibiotics do nothing against a cold.",
        "garlic thins the blood",
        "Turmeric Shrinks Tumours",
        "- Reverses grey hair",
        "<Cures arthritis>",
        "Condition: Alzheimer's disease; Effect: Reversed.",
        "Ozone therapy \u0441ures Lyme disease.",
        "NAD+ re\u200bverses ageing.",
    ],
)
def test_plain_statements_and_odd_forms_are_claims(sentence):
    (found,) = detect_sentences(sentence)
    assert found.is_claim, sentence
    assert found.cues


def test_a_claim_only_the_model_sees_is_explained_by_its_words():
    (found,) = detect_sentences("Spinach makes children taller.")
    assert found.is_claim
    (cue,) = [cue for cue in found.cues if cue.kind == "model"]
    assert cue.text == found.text[cue.start : cue.end]
    assert cue.text


def test_look_alike_letters_are_shown_as_written():
    (found,) = detect_sentences("Vit\u0430min C \u0441ures colds.")
    assert found.is_claim
    assert found.text == "Vit\u0430min C \u0441ures colds."
    effect = next(cue for cue in found.cues if cue.kind == "effect")
    assert effect.text == "\u0441ures"


@pytest.mark.parametrize(
    "sentence",
    [
        "Some people say an apple a day keeps the doctor away.",
        "Companies claim their pills reverse ageing.",
        "Book your free consultation today.",
        "Is coffee bad for you?",
        "Blood Pressure Basics",
    ],
)
def test_reported_sayings_calls_to_action_questions_and_topics_are_not(sentence):
    assert not has_claim(sentence)


def test_a_reported_saying_that_is_answered_is_a_claim():
    assert has_claim("Companies claim NMN reverses ageing, but it does not.")


def test_shipped_model_is_small_and_has_a_threshold():
    model = default_model()
    assert 0 < model.threshold < 1
    assert 1_000 < len(model.weights) < 50_000
    assert model.meta["trained_on"].endswith("development.tsv")


def test_model_file_is_what_the_corpus_and_code_build():
    call_command("train_claim_model", "--check")
