"""What a saved search finds, and how a search is suggested.

A saved search asks PubMed (``pubmed_search``) and ClinicalTrials.gov
(``clinicaltrials``) for what appeared since the last check. Each answer is
a ``SearchResult``: the total the service reported and a ``Candidate`` for
each record fetched, with what a reviewer needs to judge it beside the
claim: title, design, number of participants, date and link. A PubMed
candidate keeps its full record so it can be imported as a Source.

A search that fails raises ``SearchError``: it names the service and says
whether it could not be reached (offline, timed out) or answered badly.
The caller leaves the search as it was, so it is tried again next time.

Nothing here touches Django models.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import httpx

from evidence.library.ingest.records import IngestError, SourceRecord, _

PUBMED = "pubmed"
CLINICALTRIALS = "clinicaltrials"
REGISTRY_NAMES = {PUBMED: "PubMed", CLINICALTRIALS: "ClinicalTrials.gov"}

# MeSH headings that say who or what was studied, not what about: they
# would narrow a search to nothing useful.
CHECK_TAGS = frozenset(
    term.lower()
    for term in (
        "Humans",
        "Animals",
        "Male",
        "Female",
        "Adult",
        "Aged",
        "Aged, 80 and over",
        "Middle Aged",
        "Young Adult",
        "Adolescent",
        "Child",
        "Child, Preschool",
        "Infant",
        "Infant, Newborn",
        "Mice",
        "Rats",
        "Pregnancy",
        "Cells, Cultured",
        "Time Factors",
        "Treatment Outcome",
        "Double-Blind Method",
        "Cross-Over Studies",
        "Prospective Studies",
        "Retrospective Studies",
        "Follow-Up Studies",
        "Random Allocation",
    )
)
MAX_MESH_TERMS = 3


@dataclass
class Candidate:
    """One record a saved search found, as the reviewer will see it."""

    registry: str  # PUBMED or CLINICALTRIALS
    identifier: str  # a PMID or an NCT number
    title: str
    design: str = ""  # a StudyDesign value, or "" when the record names none
    design_label: str = ""  # what the registry says (publication types, phase)
    sample_size: int | None = None
    date: datetime.date | None = None
    doi: str = ""
    url: str = ""
    record: SourceRecord | None = None  # PubMed only: to import as a Source

    @property
    def registry_name(self) -> str:
        return REGISTRY_NAMES.get(self.registry, self.registry)


@dataclass
class SearchResult:
    """One service's answer to one search for one date window."""

    registry: str
    query: str  # the query as sent
    since: datetime.date | None
    until: datetime.date
    total: int = 0  # what the service counted
    candidates: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return self.total > len(self.candidates)


class SearchError(Exception):
    """A search that could not be run; nothing about it was kept.

    ``unreachable`` is true when the service could not be reached or did not
    answer in time (offline, DNS, timeouts), false when it answered with an
    error or with something unreadable.
    """

    def __init__(self, service: str, message: str, *, unreachable: bool = False):
        self.service = service
        self.message = message
        self.unreachable = unreachable
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


def search_failure(service: str, exc: IngestError) -> SearchError:
    """A SearchError in a saved search's words for an ``http.get`` failure."""
    cause = exc.__cause__
    if isinstance(cause, httpx.TimeoutException):
        return SearchError(
            service,
            _(
                "%(service)s did not answer in time; the search was not run and "
                "will be tried again at the next check."
            )
            % {"service": service},
            unreachable=True,
        )
    if isinstance(cause, httpx.TransportError):
        return SearchError(
            service,
            _(
                "%(service)s could not be reached (%(reason)s); the search was "
                "not run and will be tried again at the next check. Check the "
                "network connection."
            )
            % {"service": service, "reason": cause.__class__.__name__},
            unreachable=True,
        )
    return SearchError(
        service,
        _(
            "%(service)s could not run the search: %(reason)s The search will "
            "be tried again at the next check."
        )
        % {"service": service, "reason": exc.message},
    )


def answer_failure(service: str, response: httpx.Response) -> SearchError:
    return SearchError(
        service,
        _(
            "%(service)s answered with HTTP %(status)d; the search was not run "
            "and will be tried again at the next check."
        )
        % {"service": service, "status": response.status_code},
    )


def _quoted(term: str) -> str:
    """A PubMed phrase: quotes and brackets inside it would end the phrase."""
    return '"' + " ".join(re.sub(r'["\[\]]', " ", term).split()) + '"'


def common_mesh_terms(
    sources_mesh: Iterable[Iterable[str]], limit: int = MAX_MESH_TERMS
) -> list[str]:
    """The MeSH headings most cited Sources share, check tags left out.

    Ties go to the heading seen first, so the suggestion is stable.
    """
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for terms in sources_mesh:
        seen = set()
        for term in terms:
            key = " ".join(term.split()).lower()
            if not key or key in CHECK_TAGS or key in seen:
                continue
            seen.add(key)
            spelling.setdefault(key, " ".join(term.split()))
            counts[key] += 1
    ordered = sorted(counts, key=lambda k: (-counts[k], list(spelling).index(k)))
    return [spelling[k] for k in ordered[:limit]]


def suggest_pubmed_query(subject: str, sources_mesh: Iterable[Iterable[str]]) -> str:
    """A PubMed query for new evidence on a claim.

    The claim's subject (the article's intervention) is searched in titles
    and abstracts; the MeSH headings its cited Sources share narrow it to
    the same topic. With no subject, the two most shared headings must both
    match. Returns "" when there is nothing to search on.
    """
    subject = " ".join((subject or "").split())
    mesh = common_mesh_terms(sources_mesh)
    topic = " OR ".join(f"{_quoted(term)}[mh]" for term in mesh)
    if subject:
        subject_part = f"{_quoted(subject)}[tiab]"
        return f"{subject_part} AND ({topic})" if topic else subject_part
    if len(mesh) >= 2:
        return " AND ".join(f"{_quoted(term)}[mh]" for term in mesh[:2])
    return f"{_quoted(mesh[0])}[mh]" if mesh else ""


def suggest_trials_query(subject: str, sources_mesh: Iterable[Iterable[str]]) -> str:
    """A ClinicalTrials.gov search expression: the subject, else the most
    shared MeSH heading."""
    subject = " ".join((subject or "").split())
    if subject:
        return subject
    mesh = common_mesh_terms(sources_mesh, limit=1)
    return mesh[0] if mesh else ""
