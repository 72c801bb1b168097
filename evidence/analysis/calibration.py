"""Does the wording of a passage match the evidence cited for it?

A reviewer sees these warnings next to the passage; they never block
publishing. Three mismatches are flagged:

- strong wording ("proven", "has been shown", "reverses", "cures", or a plain
  "reduces") resting only on low or very low certainty evidence, or only on
  animal or cell studies;
- causal wording ("reduces", "prevents") resting only on observational
  studies, which show that two things go together, not that one causes the
  other;
- indirect evidence: the article is about one intervention or route (for
  example intravenous NAD+) but every source studied another (for example
  oral nicotinamide riboside, a precursor of NAD+).

Only citations marked "supports" or "mentions" count as support, and a
retracted source supports nothing. This module is pure Python so the rules
can be tested without a database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from evidence.analysis.claims import CAUSAL, STRONG, SentenceVerdict, detect_sentences
from evidence.vocab import (
    LOW_GRADES,
    NON_HUMAN_POPULATIONS,
    OBSERVATIONAL_DESIGNS,
    PRECLINICAL_DESIGNS,
    ROUTE_WORDS,
    SAME_ROUTE,
    SUPPORTING_STANCES,
    UNSPECIFIED_ROUTES,
)

# Each intervention under one name, with the spellings writers use for it.
INTERVENTION_ALIASES: dict[str, tuple[str, ...]] = {
    "NAD+": (
        "nicotinamide adenine dinucleotide",
        "beta-nad",
        "β-nad",
        "nad+",
        "nad",
    ),
    "NR": ("nicotinamide riboside", "niagen", "nr"),
    "NMN": ("nicotinamide mononucleotide", "β-nmn", "beta-nmn", "nmn"),
    "niacin": ("nicotinic acid", "niacin"),
    "nicotinamide": ("nicotinamide", "niacinamide"),
}
PRECURSORS: dict[str, frozenset[str]] = {
    "NAD+": frozenset({"NR", "NMN", "niacin", "nicotinamide"}),
}

_ALIAS_RES = [
    (
        name,
        re.compile(
            r"(?<![\w+-])(?:"
            + "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
            + r")(?![\w+])",
            re.IGNORECASE,
        ),
    )
    for name, aliases in INTERVENTION_ALIASES.items()
]


@dataclass(frozen=True)
class EvidenceItem:
    """One cited source as the calibration rules see it.

    Values are those of the Source model's choices; ``label`` is how the
    source is named in messages, such as "Martens 2018".
    """

    study_design: str
    population: str
    grade: str
    route: str
    intervention: str
    stance: str
    sample_size: int | None
    retracted: bool = False
    label: str = ""


@dataclass(frozen=True)
class Subject:
    """What the article is about: an intervention and a route, either blank."""

    intervention: str
    route: str


@dataclass(frozen=True)
class CalibrationWarning:
    """A mismatch between wording and evidence, worded for a reviewer."""

    code: str
    message: str


def canonical_intervention(value: str) -> str:
    """The intervention's single name: "NAD", "NAD+" and "nicotinamide
    adenine dinucleotide" are all "NAD+"; unknown names come back tidied."""
    value = (value or "").strip()
    best: tuple[int, int, str] | None = None
    for name, regex in _ALIAS_RES:
        for match in regex.finditer(value):
            key = (-(match.end() - match.start()), match.start(), name)
            if best is None or key < best:
                best = key
    if best is not None:
        return best[2]
    return re.sub(r"\s+", " ", value).lower()


def intervention_counts(text: str) -> dict[str, tuple[int, int]]:
    """Each known intervention named in the text, by its single name: how
    many times, and where first. A longer name wins its words ("nicotinamide
    mononucleotide" is NMN, not also nicotinamide)."""
    spans: list[tuple[int, int, str]] = []
    for name, regex in _ALIAS_RES:
        spans += [(m.start(), m.end(), name) for m in regex.finditer(text or "")]
    spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    counts: dict[str, tuple[int, int]] = {}
    taken_to = -1
    for start, end, name in spans:
        if start < taken_to:
            continue  # inside a longer name already counted
        taken_to = end
        count, first = counts.get(name, (0, start))
        counts[name] = (count + 1, first)
    return counts


def mentioned_interventions(text: str) -> set[str]:
    """Every known intervention named in the text, by its single name."""
    return {name for name, regex in _ALIAS_RES if regex.search(text or "")}


def is_precursor(intervention: str, of: str) -> bool:
    """True when ``intervention`` is a precursor the body turns into ``of``."""
    return canonical_intervention(intervention) in PRECURSORS.get(
        canonical_intervention(of), frozenset()
    )


def supporting_evidence(evidence: list[EvidenceItem]) -> list[EvidenceItem]:
    """The sources that count as support: cited as supporting or mentioning,
    and not retracted."""
    return [
        item
        for item in evidence
        if item.stance in SUPPORTING_STANCES and not item.retracted
    ]


def _same_route(first: str, second: str) -> bool:
    return SAME_ROUTE.get(first, first) == SAME_ROUTE.get(second, second)


def is_direct(item: EvidenceItem, subject: Subject | None) -> bool:
    """True when the source studied the article's intervention by its route.

    A blank on either side is no evidence of a difference.
    """
    if subject is None:
        return True
    wanted = canonical_intervention(subject.intervention)
    studied = canonical_intervention(item.intervention)
    if wanted and studied and wanted != studied:
        return False
    return (
        subject.route in UNSPECIFIED_ROUTES
        or item.route in UNSPECIFIED_ROUTES
        or _same_route(subject.route, item.route)
    )


def _route_words(route: str) -> str:
    return "" if route in UNSPECIFIED_ROUTES else str(ROUTE_WORDS.get(route, route))


def _named(route: str, intervention: str) -> str:
    """ "intravenous NAD+": a route and an intervention, either blank."""
    if route and intervention:
        return _("%(route)s %(intervention)s") % {
            "route": route,
            "intervention": intervention,
        }
    return route or intervention


def describe_subject(subject: Subject) -> str:
    """The subject in words, such as "intravenous NAD+"."""
    route = _route_words(subject.route)
    intervention = subject.intervention.strip()
    if not intervention:
        return _("%(route)s use") % {"route": route} if route else _("its subject")
    return _named(route, intervention)


def describe_source(item: EvidenceItem, subject: Subject | None) -> str:
    """What a source studied, such as "oral NR (a precursor of NAD+)"."""
    text = _named(_route_words(item.route), item.intervention.strip())
    text = text or _("an unnamed intervention")
    if subject and is_precursor(item.intervention, subject.intervention):
        text = _("%(studied)s (a precursor of %(subject)s)") % {
            "studied": text,
            "subject": canonical_intervention(subject.intervention),
        }
    if item.label:
        text += f" [{item.label}]"
    return text


def _claims(text: str, sentences=None) -> list[SentenceVerdict]:
    if sentences is None:
        sentences = detect_sentences(text)
    return [verdict for verdict in sentences if verdict.is_claim]


def _strongly_worded(claims: list[SentenceVerdict]) -> list[SentenceVerdict]:
    return [claim for claim in claims if claim.strength in {STRONG, CAUSAL}]


def _quote(claim: SentenceVerdict) -> str:
    words = [cue.text for cue in claim.cues if cue.kind in {"shown", "effect"}]
    if not words:
        return _("definite wording")
    return _('"%(word)s"') % {"word": words[0]}


def calibration_warnings(
    text: str,
    evidence: list[EvidenceItem],
    subject: Subject | None,
    sentences: Sequence[SentenceVerdict] | None = None,
) -> list[CalibrationWarning]:
    """Warnings for a reviewer where the passage says more than its sources.

    An empty list means the wording and the evidence agree, or there is no
    claim to check. Passages without any supporting source are left to the
    publish gate, which refuses uncited claims. `sentences` are the claim
    detector's verdicts on `text` when the caller already has them.
    """
    claims = _claims(text, sentences)
    support = supporting_evidence(evidence)
    if not claims or not support:
        return []
    warnings: list[CalibrationWarning] = []
    strong = _strongly_worded(claims)
    if strong:
        quote = _quote(strong[0])
        if all(item.grade in LOW_GRADES for item in support):
            warnings.append(
                CalibrationWarning(
                    "strong_wording_weak_evidence",
                    _(
                        "The passage says %(quote)s, but every source behind it "
                        "is low or very low certainty (grade C or D). Soften the "
                        'wording (for example "may") or cite stronger evidence.'
                    )
                    % {"quote": quote},
                )
            )
        if all(
            item.population in NON_HUMAN_POPULATIONS
            or item.study_design in PRECLINICAL_DESIGNS
            for item in support
        ):
            warnings.append(
                CalibrationWarning(
                    "strong_wording_preclinical",
                    _(
                        "The passage says %(quote)s, but the only evidence comes "
                        "from animal or cell studies. Say so in the text (for "
                        'example "in mice") or cite human studies.'
                    )
                    % {"quote": quote},
                )
            )
        causal = [
            c for c in strong if any(q.kind in {"effect", "causal"} for q in c.cues)
        ]
        if causal and all(
            item.study_design in OBSERVATIONAL_DESIGNS for item in support
        ):
            warnings.append(
                CalibrationWarning(
                    "causal_wording_observational",
                    _(
                        "The passage says %(quote)s, which states a cause, but "
                        "the sources are observational studies only: they show "
                        "that two things go together, not that one causes the "
                        'other. Use wording such as "is linked to".'
                    )
                    % {"quote": _quote(causal[0])},
                )
            )
    indirect = _indirect_warning(claims, support, subject)
    if indirect:
        warnings.append(indirect)
    return warnings


def _is_about_subject(text: str, wanted: str, studied: set[str]) -> bool:
    """A claim is about the subject when it names it, or names no
    intervention at all."""
    named = mentioned_interventions(text)
    lowered = text.lower()
    named |= {name for name in studied if name.lower() in lowered}
    return not named or bool(wanted and wanted in named)


def _indirect_warning(
    claims: list[SentenceVerdict],
    support: list[EvidenceItem],
    subject: Subject | None,
) -> CalibrationWarning | None:
    if subject is None or not (subject.intervention.strip() or subject.route):
        return None
    if subject.route in UNSPECIFIED_ROUTES and not subject.intervention.strip():
        return None
    wanted = canonical_intervention(subject.intervention)
    studied = {canonical_intervention(item.intervention) for item in support}
    studied.discard("")
    if not any(_is_about_subject(claim.text, wanted, studied) for claim in claims):
        return None
    if any(is_direct(item, subject) for item in support):
        return None
    sources = "; ".join(describe_source(item, subject) for item in support)
    parts = [
        _(
            "The article is about %(subject)s, but every supporting source "
            "studied something else: %(sources)s."
        )
        % {"subject": describe_subject(subject), "sources": sources}
    ]
    if any(is_precursor(item.intervention, subject.intervention) for item in support):
        parts.append(
            _(
                "A precursor is not the same as the substance itself: the body "
                "has to convert it, and the amount that arrives differs."
            )
        )
    parts.append(_("Say what was studied, or cite direct evidence."))
    return CalibrationWarning("indirect_evidence", " ".join(parts))
