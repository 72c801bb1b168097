"""What an article is about, proposed from its text for the writer to confirm.

The Subject (intervention and route) lets the calibration rules warn that
every cited source studied another intervention or route than the article's
("the article is about intravenous NAD+; the sources gave oral NR"). An
imported article proposes it: the known intervention the text names most,
and the route it names most. Ties go to whichever the text names first.
Pure Python: no models, no ORM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evidence.analysis.calibration import Subject, intervention_counts

# The words that name each route (values of evidence.vocab.Route).
ROUTE_WORDS: dict[str, re.Pattern] = {
    "intravenous": re.compile(
        r"(?i:\bintravenous(?:ly)?\b|\binfus(?:ion|ions|ed|ing)\b|\bdrips?\b)"
        r"|\bIVs?\b"
    ),
    "oral": re.compile(
        r"(?i:\boral(?:ly)?\b|\bby mouth\b|\bcapsules?\b|\btablets?\b|\bpills?\b)"
    ),
    "intramuscular": re.compile(r"(?i:\bintramuscular(?:ly)?\b)|\bIM\b"),
    "subcutaneous": re.compile(r"(?i:\bsubcutaneous(?:ly)?\b|\bunder the skin\b)"),
    "topical": re.compile(r"(?i:\btopical(?:ly)?\b|\bskin creams?\b)"),
    "inhaled": re.compile(r"(?i:\binhal(?:ed|er|ers|ation)\b|\bnasal sprays?\b)"),
    "dietary": re.compile(r"(?i:\bdietary\b|\bin (?:the|their) diet\b)"),
}


@dataclass(frozen=True)
class ProposedSubject:
    """A subject proposed from a text, with how often each part was named."""

    intervention: str = ""
    intervention_mentions: int = 0
    route: str = ""
    route_mentions: int = 0

    @property
    def subject(self) -> Subject:
        return Subject(self.intervention, self.route)

    def __bool__(self) -> bool:
        return bool(self.intervention or self.route)


def _most_named(counts: dict[str, tuple[int, int]]) -> tuple[str, int]:
    if not counts:
        return "", 0
    name, (count, _first) = min(
        counts.items(), key=lambda item: (-item[1][0], item[1][1])
    )
    return name, count


def propose_subject(text: str) -> ProposedSubject:
    """The intervention and the route `text` names most (blank when none)."""
    intervention, intervention_mentions = _most_named(intervention_counts(text))
    routes = {}
    for route, regex in ROUTE_WORDS.items():
        found = list(regex.finditer(text or ""))
        if found:
            routes[route] = (len(found), found[0].start())
    route, route_mentions = _most_named(routes)
    return ProposedSubject(intervention, intervention_mentions, route, route_mentions)
