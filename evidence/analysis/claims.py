"""Finding the factual health claims in a passage, whatever role it is given.

A writer may mark a passage "context", but the publish gate does not take the
label on trust: any sentence that states something checkable about the body,
a disease, a substance, a treatment's effect, risk or dose, or about what
research found, is a claim and needs a source. Hedged wording ("may",
"in mice", "preliminary") still makes a claim; it only changes how strong the
claim is. Questions, headings, navigation, calls to action, disclaimers,
sentences about what the article will cover and clinic advertising are not
claims.

A missed claim is an uncited claim on a live page, so the rules lean towards
flagging: a reviewer can dismiss a false alarm, but cannot see a claim that
was never shown to them.

This module is pure Python: it imports nothing from Django or the models.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd

from evidence.analysis import lexicon

STRONG = "strong"
CAUSAL = "causal"
PLAIN = "plain"
HEDGED = "hedged"
NONE = "none"


@dataclass(frozen=True)
class Cue:
    """A stretch of a sentence that marks it as a claim or hedges it."""

    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class SentenceVerdict:
    """Whether one sentence is a claim, why, and how strongly it is worded."""

    text: str
    start: int
    end: int
    is_claim: bool
    cues: tuple[Cue, ...]
    hedged: bool
    hedges: tuple[Cue, ...]
    strength: str


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|blockquote|pre|table|tr|thead|tbody|"
    r"section|article|header|footer|figure|figcaption|hr)\b[^>]*>",
    re.IGNORECASE,
)
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_CELL_RE = re.compile(r"</?t[dh]\b[^>]*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]+>")
_SCRIPT_RE = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)


def html_to_text(html_text: str) -> str:
    """Plain text of a stored rich-text passage.

    Block elements (paragraphs, headings, list items) become paragraphs of
    their own so a heading is never run into the sentence after it; inline
    tags disappear and entities are decoded.
    """
    if not html_text:
        return ""
    text = _SCRIPT_RE.sub(" ", html_text)
    text = _BR_RE.sub("\n", text)
    text = _BLOCK_TAG_RE.sub("\n\n", text)
    text = _CELL_RE.sub(" | ", text)
    text = _TAG_RE.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _join_wrapped_lines(text: str) -> str:
    """Turns a line break inside a wrapped sentence into a space.

    The text keeps its length, so offsets still point into the original.
    """
    chars = list(text)
    for match in re.finditer(r"(?<=[^\s.!?:;])\n(?=[ \t]*[a-z(])", text):
        chars[match.start()] = " "
    return "".join(chars)


def split_sentences(text: str) -> list[tuple[str, int, int]]:
    """The sentences of a plain-text passage with their offsets in it.

    Line breaks end sentences; abbreviations such as "et al.", "e.g." and
    "Dr." and decimals such as "1.5 mg" do not.
    """
    if not text or not text.strip():
        return []
    prepared = _join_wrapped_lines(text)
    sentences: list[tuple[str, int, int]] = []
    position = 0
    for segment in _segmenter().segment(prepared):
        piece = segment.strip()
        if not piece:
            position += len(segment)
            continue
        start = prepared.find(piece, position)
        if start < 0:
            start = position
        end = start + len(piece)
        sentences.append((text[start:end], start, end))
        position = end
    return sentences


def _find_cues(sentence: str) -> list[Cue]:
    cues: list[Cue] = []
    seen: set[tuple[int, int]] = set()
    for kind, regex in lexicon.CUE_REGEXES:
        for match in regex.finditer(sentence):
            span = (match.start(), match.end())
            if span[0] == span[1] or span in seen:
                continue
            seen.add(span)
            cues.append(Cue(kind, match.group(0), *span))
    health = lexicon.HEALTH_RE.search(sentence)
    if health:
        for match in lexicon.MECHANISM_RE.finditer(sentence):
            span = (match.start(), match.end())
            if span not in seen:
                seen.add(span)
                cues.append(Cue("mechanism", match.group(0), *span))
    cues.sort(key=lambda cue: (cue.start, cue.end))
    return cues


def _find_hedges(sentence: str) -> list[Cue]:
    return [
        Cue("hedge", match.group(0), match.start(), match.end())
        for match in lexicon.HEDGE_RE.finditer(sentence)
    ]


def _is_heading(sentence: str) -> bool:
    """A title or a label rather than a sentence.

    Headings carry no end punctuation and are mostly capitalised words
    ("Reduced Inflammation"), or are a few words ending in a colon that
    introduce a list ("Key Human Studies:").
    """
    stripped = sentence.strip().strip("*_#\"'“”‘’ ")
    if not stripped:
        return True
    if stripped.startswith("|") and set(stripped) <= set("|-: "):
        return True
    words = lexicon.WORD_RE.findall(stripped)
    if not words:
        return True
    last = stripped[-1]
    if last in lexicon.TERMINAL:
        return False
    significant = [w for w in words if w.lower() not in lexicon.SMALL_WORDS]
    if not significant:
        return True
    capitalised = sum(1 for w in significant if w[0].isupper())
    if len(words) <= 14 and capitalised / len(significant) >= 0.8:
        return True
    return last == ":" and len(words) <= 5


def _classify(sentence: str) -> tuple[bool, list[Cue], list[Cue]]:
    body = lexicon.BULLET_RE.sub("", sentence)
    offset = len(sentence) - len(body)
    cues = [
        Cue(c.kind, c.text, c.start + offset, c.end + offset) for c in _find_cues(body)
    ]
    hedges = [
        Cue(h.kind, h.text, h.start + offset, h.end + offset)
        for h in _find_hedges(body)
    ]
    stripped = body.strip()
    if not cues or not stripped:
        return False, cues, hedges
    if stripped.rstrip("\"'”’)*_ ").endswith("?"):
        return False, cues, hedges
    if _is_heading(stripped) or lexicon.NEVER_CLAIM_RE.search(stripped):
        return False, cues, hedges
    kinds = {cue.kind for cue in cues}
    if (
        lexicon.SOFT_NOT_CLAIM_RE.search(stripped)
        and not kinds & lexicon.CTA_HARD_KINDS
    ):
        return False, cues, hedges
    if lexicon.ADVERT_RE.search(stripped) and not kinds & lexicon.HARD_KINDS:
        return False, cues, hedges
    return True, cues, hedges


def _strength(sentence: str, is_claim: bool, cues: list[Cue], hedges: list[Cue]) -> str:
    if not is_claim:
        return NONE
    if hedges:
        return HEDGED
    if lexicon.CERTAINTY_RE.search(sentence) and (
        any(cue.kind in lexicon.CAUSAL_KINDS for cue in cues)
        or any(cue.kind == "shown" for cue in cues)
    ):
        return STRONG
    if any(cue.kind in lexicon.CAUSAL_KINDS for cue in cues):
        return CAUSAL
    return PLAIN


def _verdict(sentence: str, start: int, end: int) -> SentenceVerdict:
    is_claim, cues, hedges = _classify(sentence)
    return SentenceVerdict(
        text=sentence,
        start=start,
        end=end,
        is_claim=is_claim,
        cues=tuple(cues),
        hedged=is_claim and bool(hedges),
        hedges=tuple(hedges),
        strength=_strength(sentence, is_claim, cues, hedges),
    )


def detect_sentences(text: str) -> list[SentenceVerdict]:
    """Every sentence of a plain-text passage with its claim verdict."""
    return [_verdict(*sentence) for sentence in split_sentences(text)]


def has_claim(text: str) -> bool:
    """True when any sentence of the passage is a factual health claim."""
    if not text or not text.strip():
        return False
    return any(
        _classify(sentence)[0] for sentence, _start, _end in split_sentences(text)
    )


_PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n")


def detect_paragraphs(text: str) -> dict:
    """A report of the claims in a document, paragraph by paragraph.

    Paragraphs are separated by blank lines; a paragraph is a claim when any
    of its sentences is.
    """
    paragraphs = []
    for block in _PARAGRAPH_BREAK_RE.split(text or ""):
        block = block.strip()
        if not block:
            continue
        sentences = [
            {
                "text": verdict.text,
                "is_claim": verdict.is_claim,
                "cues": [
                    {
                        "kind": cue.kind,
                        "text": cue.text,
                        "start": cue.start,
                        "end": cue.end,
                    }
                    for cue in verdict.cues
                ],
                "hedged": verdict.hedged,
            }
            for verdict in detect_sentences(block)
        ]
        paragraphs.append(
            {
                "text": block,
                "is_claim": any(s["is_claim"] for s in sentences),
                "sentences": sentences,
            }
        )
    return {"paragraphs": paragraphs}


def format_report_text(report: dict) -> str:
    """The claim report as text a writer or reviewer can read."""
    paragraphs = report.get("paragraphs", [])
    claims = sum(1 for p in paragraphs for s in p["sentences"] if s["is_claim"])
    total = sum(len(p["sentences"]) for p in paragraphs)
    lines = [
        f"{claims} of {total} sentences make a claim that needs a source "
        f"({len(paragraphs)} paragraphs).",
    ]
    for number, paragraph in enumerate(paragraphs, start=1):
        status = "CLAIM" if paragraph["is_claim"] else "no claim"
        lines.append("")
        lines.append(f"Paragraph {number}: {status}")
        for sentence in paragraph["sentences"]:
            if sentence["is_claim"]:
                mark = "[claim, hedged]" if sentence["hedged"] else "[claim]"
            else:
                mark = "[-]"
            lines.append(f"  {mark} {sentence['text']}")
            if sentence["is_claim"] and sentence["cues"]:
                cues = "; ".join(
                    f'{cue["kind"]}: "{cue["text"]}"' for cue in sentence["cues"]
                )
                lines.append(f"      because of {cues}")
    return "\n".join(lines)
