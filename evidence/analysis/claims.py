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

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from evidence.analysis import claim_model, lexicon
from evidence.analysis.sentences import sentence_spans, split_sentences
from evidence.analysis.text import normalise

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


__all__ = [
    "detect_paragraphs",
    "detect_sentences",
    "format_report_text",
    "has_claim",
    "split_sentences",
]


def _find_cues(sentence: str) -> list[Cue]:
    cues: list[Cue] = []
    seen: set[tuple[int, int]] = set()
    for match in lexicon.WORD_TOKEN_RE.finditer(sentence):
        if match.group(0).lower() in lexicon.EFFECT_WORDS:
            seen.add((match.start(), match.end()))
            cues.append(Cue("effect", match.group(0), match.start(), match.end()))
    for kind, regex in lexicon.CUE_REGEXES:
        for match in regex.finditer(sentence):
            span = (match.start(), match.end())
            if span[0] == span[1] or span in seen:
                continue
            seen.add(span)
            cues.append(Cue(kind, match.group(0), *span))
    health = lexicon.HEALTH_RE.search(sentence)
    if health:
        for kind, regex in lexicon.HEALTH_BOUND_REGEXES:
            for match in regex.finditer(sentence):
                span = (match.start(), match.end())
                if span[0] != span[1] and span not in seen:
                    seen.add(span)
                    cues.append(Cue(kind, match.group(0), *span))
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


def _reported(sentence: str) -> bool:
    """What others say, reported and left unanswered: "Some people say an
    apple a day keeps the doctor away." is not the page's claim."""
    return bool(
        lexicon.REPORTED_RE.search(sentence)
        and not lexicon.CONTRAST_RE.search(sentence)
    )


def _advertises(sentence: str, cues: list[Cue]) -> bool:
    """Clinic advertising ("Both our locations offer NAD+ infusions.") that
    states no effect, number, risk or proven result."""
    kinds = {cue.kind for cue in cues}
    return bool(lexicon.ADVERT_RE.search(sentence)) and not kinds & lexicon.HARD_KINDS


def _asserts_effect(cues: list[Cue], start: int) -> bool:
    """A heading that states what something does ("Turmeric Shrinks
    Tumours") is a sentence in Title Case; one that opens with the effect
    ("Reduced Inflammation") names a topic."""
    return any(cue.kind in lexicon.CAUSAL_KINDS and cue.start > start for cue in cues)


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
    if lexicon.NEVER_CLAIM_RE.search(stripped) or _reported(stripped):
        return False, cues, hedges
    if _is_heading(stripped) and not _asserts_effect(cues, offset):
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


def sentence_features(sentence: str) -> list[str]:
    """What the trained model reads in a sentence: its n-grams and shape
    (``claim_model.features``) and what the rules found in it."""
    return _model_features(sentence, *_classify(sentence))


def _model_features(
    sentence: str, rule: bool, cues: list[Cue], hedges: list[Cue]
) -> list[str]:
    found = set(claim_model.features(sentence))
    found.update(f"r:cue:{cue.kind}" for cue in cues)
    if hedges:
        found.add("r:hedge")
    if rule:
        found.add("r:claim")
    if lexicon.HEALTH_RE.search(sentence):
        found.add("r:health")
    return sorted(found)


def rules_find_claim(sentence: str) -> bool:
    """The rules' verdict alone (for training and evaluation)."""
    return _classify(sentence)[0]


def model_finds_claim(sentence: str) -> bool:
    """The trained model's verdict alone (for evaluation)."""
    model = claim_model.default_model()
    return model.probability(sentence_features(sentence)) >= model.threshold


def _model_cue(sentence: str, model: claim_model.ClaimModel) -> Cue:
    """Where the model's strongest words sit in the sentence, as a cue."""
    for words in model.strongest_words(sentence, count=3):
        pattern = r"\W+".join(re.escape(word) for word in words.split())
        match = re.search(rf"(?<!\w){pattern}(?!\w)", sentence, re.IGNORECASE)
        if match:
            return Cue("model", match.group(0), match.start(), match.end())
    stripped = sentence.strip()
    start = sentence.find(stripped)
    return Cue("model", stripped, start, start + len(stripped))


def _judge(sentence: str) -> tuple[bool, list[Cue], list[Cue]]:
    """The rules' verdict, or the model's where the rules find no claim.

    Either can make a sentence a claim. When only the model does, a cue of
    kind "model" quotes the words that weighed most. Neither counts what
    others are reported to say, left unanswered (``_reported``), nor clinic
    advertising that states no effect (``_advertises``).
    """
    rule, cues, hedges = _classify(sentence)
    if rule:
        return True, cues, hedges
    if _reported(sentence) or _advertises(sentence, cues):
        return False, cues, hedges
    model = claim_model.default_model()
    features = _model_features(sentence, rule, cues, hedges)
    if model.probability(features) < model.threshold:
        return False, cues, hedges
    cues = sorted([*cues, _model_cue(sentence, model)], key=lambda c: (c.start, c.end))
    return True, cues, hedges


def _shown(cue: Cue, display: str, offset: int) -> Cue:
    text = display[offset + cue.start : offset + cue.end]
    return cue if text == cue.text else Cue(cue.kind, text, cue.start, cue.end)


def detect_sentences(text: str) -> list[SentenceVerdict]:
    """Every sentence of a plain-text passage with its claim verdict.

    The passage is normalised first (``text.normalise``): sentence texts
    are as the page shows them, and offsets point into the normalised text
    (the same as the passage when it holds no invisible characters or
    compatibility forms). Look-alike letters are read as the Latin letters
    they imitate.
    """
    normalised = normalise(text)
    display, folded = normalised.text, normalised.folded
    verdicts = []
    for start, end in sentence_spans(folded):
        sentence = folded[start:end]
        is_claim, cues, hedges = _judge(sentence)
        if display is not folded:
            cues = [_shown(cue, display, start) for cue in cues]
            hedges = [_shown(hedge, display, start) for hedge in hedges]
        verdicts.append(
            SentenceVerdict(
                text=display[start:end],
                start=start,
                end=end,
                is_claim=is_claim,
                cues=tuple(cues),
                hedged=is_claim and bool(hedges),
                hedges=tuple(hedges),
                strength=_strength(sentence, is_claim, cues, hedges),
            )
        )
    return verdicts


def has_claim(text: str) -> bool:
    """True when any sentence of the passage is a factual health claim."""
    if not text or not text.strip():
        return False
    folded = normalise(text).folded
    return any(_judge(folded[start:end])[0] for start, end in sentence_spans(folded))


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
        _(
            "%(claims)s of %(total)s sentences make a claim that needs a source "
            "(%(paragraphs)s paragraphs)."
        )
        % {"claims": claims, "total": total, "paragraphs": len(paragraphs)},
    ]
    for number, paragraph in enumerate(paragraphs, start=1):
        status = _("CLAIM") if paragraph["is_claim"] else _("no claim")
        lines.append("")
        lines.append(
            _("Paragraph %(number)s: %(status)s") % {"number": number, "status": status}
        )
        for sentence in paragraph["sentences"]:
            if sentence["is_claim"]:
                mark = _("[claim, hedged]") if sentence["hedged"] else _("[claim]")
            else:
                mark = "[-]"
            lines.append(f"  {mark} {sentence['text']}")
            if sentence["is_claim"] and sentence["cues"]:
                cues = "; ".join(
                    f'{cue["kind"]}: "{cue["text"]}"' for cue in sentence["cues"]
                )
                lines.append("      " + _("because of %(cues)s") % {"cues": cues})
    return "\n".join(lines)
