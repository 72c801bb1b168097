"""The labelled sets the claim detector is measured on, and the measuring.

Three sets: the claim corpus (``evidence.analysis.corpus``: development and
held-out parts), the older evaluation set ``data/claims_eval.tsv`` and the
sentence labels of the two seed documents (``data/seed_claim_labels.tsv``,
the documents themselves in ../shared/seeds). The tests assert floors on
them; ``bench/claims_eval.py`` prints the same figures with every miss.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from evidence.analysis.corpus import read_part
from evidence.analysis.sentences import split_sentences

DATA = Path(__file__).resolve().parent / "data"
SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
PROMOTIONAL_SEED = "002_16e52568080f6dbc.txt"
CITED_SEED = "000_e85b0fd0f587daf9.txt"

_SEED_BULLET = re.compile(r"^\s*(?:[-*•·▪◦]+\s*)+")


@dataclass(frozen=True)
class Labelled:
    text: str
    is_claim: bool
    group: str = ""


@dataclass
class Figures:
    """Recall and precision of a detector on a labelled set."""

    name: str
    total: int = 0
    claims: int = 0
    found: int = 0
    flagged: int = 0
    misses: list[Labelled] = field(default_factory=list)
    false_alarms: list[Labelled] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.claims if self.claims else 1.0

    @property
    def precision(self) -> float:
        return self.found / self.flagged if self.flagged else 1.0

    def summary(self) -> str:
        return (
            f"{self.name}: recall {self.recall:.3f}, precision "
            f"{self.precision:.3f} ({len(self.misses)} missed, "
            f"{len(self.false_alarms)} false alarms, {self.total} sentences, "
            f"{self.claims} claims)"
        )


def measure(
    name: str, items: Iterable[Labelled], detector: Callable[[str], bool]
) -> Figures:
    figures = Figures(name)
    for item in items:
        flagged = detector(item.text)
        figures.total += 1
        figures.claims += item.is_claim
        figures.flagged += flagged
        figures.found += flagged and item.is_claim
        if item.is_claim and not flagged:
            figures.misses.append(item)
        elif flagged and not item.is_claim:
            figures.false_alarms.append(item)
    return figures


def corpus_part(part: str) -> list[Labelled]:
    return [
        Labelled(
            example.passage, example.is_claim, f"{example.register}/{example.form}"
        )
        for example in read_part(part)
    ]


def eval_set() -> list[Labelled]:
    rows = []
    for line in (DATA / "claims_eval.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sentence = line.split("\t")
        if label not in {"claim", "not_claim"}:
            raise ValueError(line)
        rows.append(Labelled(sentence, label == "claim"))
    return rows


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


def seed_labels() -> dict[tuple[str, int], bool]:
    labels = {}
    lines = (DATA / "seed_claim_labels.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        document, number, label = line.split("\t")
        labels[(document, int(number))] = label == "claim"
    return labels


def seed_set(seeds: Path = SEEDS) -> list[Labelled]:
    labels = seed_labels()
    rows = []
    for document in (CITED_SEED, PROMOTIONAL_SEED):
        sentences = seed_sentences(seeds / document)
        numbered = {n for d, n in labels if d == document}
        if numbered != set(range(1, len(sentences) + 1)):
            raise ValueError(f"{document}: the labels do not number its sentences")
        for number, sentence in enumerate(sentences, start=1):
            rows.append(Labelled(sentence, labels[(document, number)], document))
    return rows
