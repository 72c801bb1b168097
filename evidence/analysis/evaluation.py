"""What the claim detector and the calibration rules say about each passage.

The editor panel, the review screen, the readiness report and the API all
show the same analysis, so they all ask `analyse()` (through
`evidence.passages.analyse_passages(page)`): for every
passage of a page version, the sentences that make a claim (with the words
that made them one and any hedges), whether a passage marked "context"
nevertheless makes a claim (a medical reviewer must then confirm "not a
claim" before the page can go live), the warnings where the wording is
stronger than the cited evidence, and the certainty those sources would
suggest.

The analysis never blocks anything on its own; the publish gate decides.
It runs no query: the passages are read (with their cited sources) first.
The detector's verdict depends only on the text, so it is kept for the
last few thousand texts: a text that appears in several passages, or again
on the next editor load, is split and read once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from evidence.analysis.calibration import (
    CalibrationWarning,
    EvidenceItem,
    Subject,
    calibration_warnings,
)
from evidence.analysis.certainty import CertaintySuggestion, suggest_certainty
from evidence.analysis.claims import SentenceVerdict, detect_sentences
from evidence.vocab import PassageRole

if TYPE_CHECKING:
    from evidence.passages import Passage


@dataclass(frozen=True)
class PassageAnalysis:
    """The detector's and the calibration rules' verdict on one passage."""

    passage: Passage
    sentences: tuple[SentenceVerdict, ...]
    warnings: tuple[CalibrationWarning, ...]
    suggestion: CertaintySuggestion | None

    @property
    def block_id(self) -> str:
        return self.passage.block_id

    @property
    def claims(self) -> tuple[SentenceVerdict, ...]:
        """The sentences that state a fact about health and need a source."""
        return tuple(sentence for sentence in self.sentences if sentence.is_claim)

    @property
    def has_claim(self) -> bool:
        return any(sentence.is_claim for sentence in self.sentences)

    @property
    def claim_in_context(self) -> bool:
        """Marked "context", yet the detector finds a claim in it.

        Such a passage goes live only once a medical reviewer has confirmed
        that it is not a claim, or the writer cites a source and marks it a
        claim. A unit that cannot cite sources is `claim_cannot_be_cited`
        instead.
        """
        return (
            self.passage.role == PassageRole.CONTEXT
            and self.has_claim
            and self.passage.can_cite
        )

    @property
    def claim_cannot_be_cited(self) -> bool:
        """The detector finds a claim in a unit that cannot carry citations
        (the title, the standfirst, an SEO field, a heading).

        A claim needs a confirmed supporting citation, so one there can
        never be approved: the writer moves it into the body, where it can
        be cited, or rewords it (or a medical reviewer confirms it states
        no claim).
        """
        return self.has_claim and not self.passage.can_cite

    @property
    def uncited_claim(self) -> bool:
        """Makes a claim (by its role or by its words) with no usable source,
        in a unit that can cite one."""
        makes_claim = self.passage.is_claim or self.has_claim
        return (
            makes_claim and self.passage.can_cite and not self.passage.usable_citations
        )

    def as_dict(self) -> dict:
        """The analysis as plain data, for JSON and templates."""
        return {
            "block_id": self.passage.block_id,
            "position": self.passage.position,
            "kind": self.passage.kind,
            "role": self.passage.role,
            "excerpt": self.passage.excerpt,
            "has_claim": self.has_claim,
            "claim_in_context": self.claim_in_context,
            "claim_cannot_be_cited": self.claim_cannot_be_cited,
            "uncited_claim": self.uncited_claim,
            "sentences": [
                {
                    "text": sentence.text,
                    "is_claim": sentence.is_claim,
                    "hedged": sentence.hedged,
                    "strength": sentence.strength,
                    "cues": [
                        {"kind": cue.kind, "text": cue.text} for cue in sentence.cues
                    ],
                    "hedges": [hedge.text for hedge in sentence.hedges],
                }
                for sentence in self.sentences
            ],
            "warnings": [
                {"code": warning.code, "message": warning.message}
                for warning in self.warnings
            ],
            "suggested_certainty": (
                {
                    "level": self.suggestion.level,
                    "grade": self.suggestion.grade,
                    "reasons": list(self.suggestion.reasons),
                }
                if self.suggestion
                else None
            ),
        }


@lru_cache(maxsize=4096)
def sentence_verdicts(text: str) -> tuple[SentenceVerdict, ...]:
    """The detector's verdict on each sentence of a passage's plain text."""
    return tuple(detect_sentences(text))


def evidence_items(passage: Passage) -> list[EvidenceItem]:
    """The passage's cited sources as the calibration rules see them.

    A citation whose source no longer exists is left out: it supports
    nothing, and the publish gate reports it.
    """
    items = []
    for citation in passage.citations:
        source = citation.source
        if source is None:
            continue
        items.append(
            EvidenceItem(
                study_design=source.study_design or "",
                population=source.population or "",
                grade=source.grade or "",
                route=source.route or "",
                intervention=source.intervention or "",
                stance=citation.stance,
                sample_size=source.sample_size,
                retracted=source.is_retracted,
                label=f"{source.first_author} {source.year or ''}".strip(),
            )
        )
    return items


def page_subject(page) -> Subject | None:
    """The intervention and route the page declares, if it declares any
    (`evidence.page.GatedPage.evidence_subject`)."""
    declared = getattr(page, "evidence_subject", None)
    subject = declared() if declared is not None else None
    if subject is None or not (subject.intervention.strip() or subject.route):
        return None
    return subject


def analyse(passages: list[Passage], subject: Subject | None) -> list[PassageAnalysis]:
    """The analysis of every passage of a page version, in body order.

    `passages` come from `evidence.passages.read_passages`; `subject` is what
    the article is about (`page_subject`). Pure: no query.
    """
    calibrated: dict[tuple, tuple[CalibrationWarning, ...]] = {}
    analyses = []
    for passage in passages:
        sentences = sentence_verdicts(passage.text)
        evidence = evidence_items(passage)
        makes_claim = passage.is_claim or any(s.is_claim for s in sentences)
        warnings: tuple[CalibrationWarning, ...] = ()
        suggestion = None
        if makes_claim and evidence:
            key = (passage.text, tuple(evidence))
            if key not in calibrated:
                calibrated[key] = tuple(
                    calibration_warnings(passage.text, evidence, subject, sentences)
                )
            warnings = calibrated[key]
        if makes_claim:
            suggestion = suggest_certainty(evidence, subject, passage.text)
        analyses.append(PassageAnalysis(passage, sentences, warnings, suggestion))
    return analyses
