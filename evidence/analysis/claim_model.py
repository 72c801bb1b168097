"""The trained half of the claim detector: a small linear model over n-grams.

The rules in ``claims`` see the cue words they were written for; plain
statements such as "Spinach builds muscle." carry none. This model was
trained on the development part of the claim corpus (see
``evidence.analysis.corpus`` and docs/claims-and-certainty.md) to read a
sentence's words and word pieces instead: word unigrams and bigrams, the
letter trigrams to pentagrams of each word, and the sentence's shape (its
end mark, its length, Title Case, a list bullet). A logistic regression
weighs them; the weights ship in ``claim_model.json`` and are read here in
plain Python, so the site needs neither numpy nor scikit-learn and the
first sentence costs a few milliseconds, not seconds, of import.

``manage.py train_claim_model`` rebuilds the file from the corpus; the same
corpus and code always give the same file.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "claim_model.json"

_TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*|[%?!<>|:;+]")
_CASED_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")
_BULLET_RE = re.compile(r"^\s*(?:[-*•·▪◦‣–—✓✔>]+|\d+[.)]|[a-z][.)])\s+")
_SMALL_WORDS = frozenset(
    re.findall(r"\w+", "a an and as at by for from in into of on or the to with is are")
)


def _length_bucket(count: int) -> str:
    for limit, name in ((1, "1"), (2, "2"), (4, "3-4"), (8, "5-8"), (16, "9-16")):
        if count <= limit:
            return name
    return "17+"


def _shape(sentence: str, tokens: list[str]) -> list[str]:
    stripped = sentence.strip().rstrip("\"'”’)*_ ")
    end = stripped[-1] if stripped else ""
    shape = [
        "end:" + (end if end in ".?!:;" else "none"),
        "len:" + _length_bucket(len(tokens)),
    ]
    if _BULLET_RE.match(sentence):
        shape.append("bullet")
    words = [w for w in _CASED_WORD_RE.findall(sentence) if w not in _SMALL_WORDS]
    if len(words) >= 2 and sum(w[0].isupper() for w in words) * 5 >= len(words) * 4:
        shape.append("titlecase")
    if sentence.strip().startswith("<") and sentence.strip().endswith(">"):
        shape.append("angled")
    return shape


def features(sentence: str) -> list[str]:
    """The features of one sentence, each once, in a stable order.

    The sentence should already be normalised (``text.normalise``) with
    look-alike letters folded.
    """
    lowered = sentence.lower()
    tokens = ["<num>" if t[0].isdigit() else t for t in _TOKEN_RE.findall(lowered)]
    found = {f"s:{item}" for item in _shape(sentence, tokens)}
    previous = "<s>"
    for token in tokens:
        found.add(f"w:{token}")
        found.add(f"b:{previous} {token}")
        previous = token
        if len(token) > 2 and token.isalpha():
            padded = f" {token} "
            size = len(padded)
            for n in (3, 4, 5):
                for i in range(size - n + 1):
                    found.add("c:" + padded[i : i + n])
    found.add(f"b:{previous} </s>")
    return sorted(found)


@dataclass(frozen=True)
class ClaimModel:
    """A linear model: a weight per feature, a bias and a threshold.

    The score of a sentence is the probability the logistic regression
    gives it; at or above ``threshold`` the model calls it a claim.
    """

    weights: dict[str, float]
    bias: float
    threshold: float
    meta: dict

    def probability(self, found: list[str]) -> float:
        """The probability the model gives a sentence with these features."""
        margin = self.margin(found)
        if margin < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-margin))

    def margin(self, found: list[str]) -> float:
        if not found:
            return self.bias
        weights = self.weights
        total = sum(weights.get(feature, 0.0) for feature in found)
        return self.bias + total / math.sqrt(len(found))

    def strongest_words(self, sentence: str, count: int = 1) -> list[str]:
        """The words and word pairs that pushed hardest towards "claim",
        for telling a reviewer why the model flagged a sentence."""
        ranked = []
        for feature in features(sentence):
            if feature[:2] in {"w:", "b:"}:
                weight = self.weights.get(feature, 0.0)
                words = feature[2:].replace("<s>", "").replace("</s>", "").strip()
                if weight > 0 and words and "<num>" not in words:
                    ranked.append((-weight, words))
        ranked.sort()
        return [words for _weight, words in ranked[:count]]


def load_model(path: Path = MODEL_PATH) -> ClaimModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    return ClaimModel(
        weights=data["weights"],
        bias=data["bias"],
        threshold=data["threshold"],
        meta=data.get("meta", {}),
    )


@lru_cache(maxsize=1)
def default_model() -> ClaimModel:
    """The shipped model, read once per process."""
    return load_model()
