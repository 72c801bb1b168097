"""The labelled sentences the claim detector is trained and measured on.

Written for nadsite, in its own words, across the kinds of pages health
sites publish (see docs/claims-and-certainty.md for the labelling rule).
Each line of a part is ``label<TAB>register<TAB>kind<TAB>form<TAB>text``:

- ``label``: ``claim`` or ``not_claim``;
- ``register``: the kind of page (clinic, product, explainer, news, faq,
  forum, recipe, fitness, mental_health, paediatrics, drug_info, mixed);
- ``kind``: what the sentence does (effect, risk, dosing, hedged, ... or
  navigation, cta, bio, logistics, question, disclaimer, hearsay, ...);
- ``form``: how it is written: ``s`` (a sentence), ``lower``, ``nostop``
  (no full stop), ``title`` (Title Case), ``list`` (a list item), ``table``
  (a table row: header cells, ``||``, the row's cells, both split by
  ``|``) or ``unicode`` (look-alike letters or invisible characters);
- ``text``: the words, with ``\\uXXXX`` standing for a character that
  cannot be seen or told apart in a text editor.

The corpus was split once, before any tuning, into a development part
(for writing rules and training the classifier) and a held-out part (for
measuring only). A sentence's part follows from its text alone (a hash
with a fixed seed), so adding sentences never moves existing ones.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEVELOPMENT = "development"
HELDOUT = "heldout"
PARTS = (DEVELOPMENT, HELDOUT)
SEED = "nadsite-claims-corpus-1"
FORMS = frozenset({"s", "lower", "nostop", "title", "list", "table", "unicode"})

_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True)
class Example:
    """One labelled sentence of the corpus."""

    is_claim: bool
    register: str
    kind: str
    form: str
    text: str

    @property
    def decoded(self) -> str:
        """The text with its ``\\uXXXX`` escapes turned into characters."""
        return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), self.text)

    @property
    def passage(self) -> str:
        """The text as the detector receives it from a page: a table row
        read with its header, other forms as written."""
        if self.form == "table":
            from evidence.analysis.text import table_row_text

            return table_row_text(*self.table)
        return self.decoded

    @property
    def table(self) -> tuple[list[str], list[str]] | None:
        """A table row's header cells and its own cells, or None."""
        if self.form != "table":
            return None
        header, row = self.decoded.split(" || ")
        return (
            [cell.strip() for cell in header.split("|")],
            [cell.strip() for cell in row.split("|")],
        )


def part_of(text: str) -> str:
    """The part a sentence belongs to: one in three is held out."""
    digest = hashlib.sha256(f"{SEED}\n{text}".encode()).digest()
    return HELDOUT if digest[0] % 3 == 0 else DEVELOPMENT


def path_of(part: str) -> Path:
    return HERE / f"{part}.tsv"


def parse_line(line: str) -> Example:
    label, register, kind, form, text = line.split("\t")
    if label not in {"claim", "not_claim"}:
        raise ValueError(f"Unknown label {label!r} in: {line}")
    if form not in FORMS:
        raise ValueError(f"Unknown form {form!r} in: {line}")
    return Example(label == "claim", register, kind, form, text)


def read_part(part: str) -> list[Example]:
    """The examples of one part, in file order."""
    lines = path_of(part).read_text(encoding="utf-8").splitlines()
    return [parse_line(line) for line in lines if line and not line.startswith("#")]


def format_line(example: Example) -> str:
    label = "claim" if example.is_claim else "not_claim"
    fields = (label, example.register, example.kind, example.form, example.text)
    return "\t".join(fields)
