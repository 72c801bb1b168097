"""What an importer hands back: a SourceRecord, or an IngestError.

A SourceRecord carries the Source fields filled from one outside record
(Crossref, PubMed, a BibTeX, RIS or CSL-JSON file) plus what the importer
saw on the way: publication types, MeSH terms, the abstract and every
retraction, correction or expression-of-concern notice. Nothing here touches
the database; saving, de-duplicating and merging belong to the caller.

A paper's standing follows its strongest notice: a retraction outweighs an
expression of concern, which outweighs a correction. Readers must never be
shown a retracted paper as support, so no importer may drop a notice it saw.

An IngestError is always a sentence a reviewer can act on, and an import
that raises one has imported nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from evidence.limits import without_control_characters
from evidence.vocab import RETRACTION_SEVERITY, RetractionStatus

ORIGINS = ("crossref", "pubmed", "bibtex", "ris", "csl-json")


SOURCE_FIELDS = (
    "title",
    "authors",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
    "publication_type",
    "study_design",
    "population",
    "sample_size",
    "intervention",
    "route",
    "grade",
    "grade_rationale",
    "retraction_status",
    "retraction_notice_url",
    "retraction_date",
    "mesh_terms",
)


def _(message: str) -> str:
    """The message in the reviewer's language once Django is configured."""
    from django.conf import settings

    if not settings.configured:
        return message
    from django.utils.translation import gettext

    return gettext(message)


class IngestError(Exception):
    """An import that could not be done; nothing from it was kept.

    ``message`` says what went wrong and what to do; ``problems`` lists each
    bad record when a file held more than one.
    """

    def __init__(self, message: str, problems: Sequence[str] = ()):
        self.message = message
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"- {p}" for p in self.problems)])


def _without_control_characters(value):
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, list):
        return [without_control_characters(v) for v in value if isinstance(v, str)]
    return value


def doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}" if doi else ""


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else ""


@dataclass(frozen=True)
class RetractionNotice:
    """A notice that changes a paper's standing.

    ``status`` is a retraction_status value; ``source`` says who reported it
    ("publisher", "retraction-watch", "pubmed", "title" when only the title
    says RETRACTED). ``doi``/``pmid`` identify the notice itself.
    """

    status: str
    doi: str = ""
    pmid: str = ""
    url: str = ""
    date: datetime.date | None = None
    source: str = ""
    label: str = ""

    @property
    def link(self) -> str:
        """Where a reader can see the notice."""
        return self.url or doi_url(self.doi) or pubmed_url(self.pmid)


@dataclass(frozen=True)
class NoticeTarget:
    """The paper a notice record retracts, corrects or raises concern about."""

    status: str
    doi: str = ""
    pmid: str = ""
    date: datetime.date | None = None
    source: str = ""


def strongest_notice(
    notices: Iterable[RetractionNotice],
) -> RetractionNotice | None:
    """The notice that decides a paper's standing: the most severe status,
    and among equals the earliest dated one."""
    best = None
    for notice in notices:
        if (
            notice.status not in RETRACTION_SEVERITY
            or notice.status == RetractionStatus.NONE
        ):
            continue
        if best is None:
            best = notice
            continue
        rank, best_rank = (
            RETRACTION_SEVERITY[notice.status],
            RETRACTION_SEVERITY[best.status],
        )
        earlier = notice.date and (best.date is None or notice.date < best.date)
        if rank > best_rank or (rank == best_rank and earlier):
            best = notice
    return best


@dataclass
class SourceRecord:
    """One bibliographic record, ready to become or update a Source."""

    title: str = ""
    authors: str = ""
    journal: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    publication_type: str = ""
    study_design: str = ""
    population: str = ""
    sample_size: int | None = None
    intervention: str = ""
    route: str = ""
    grade: str = ""
    grade_rationale: str = ""
    retraction_status: str = RetractionStatus.NONE
    retraction_notice_url: str = ""
    retraction_date: datetime.date | None = None
    publication_types: list[str] = field(default_factory=list)
    mesh_terms: list[str] = field(default_factory=list)
    abstract: str = ""
    origin: str = ""
    retraction_notices: list[RetractionNotice] = field(default_factory=list)
    notice_of: list[NoticeTarget] = field(default_factory=list)

    def model_fields(self, *, skip_empty: bool = False) -> dict:
        """The Source fields only, as keyword arguments for the model.

        Control characters (a NUL no database stores, invisible ones) are
        dropped. An empty string or None means the outside record did not say; with
        ``skip_empty`` those fields are left out, so merging into an existing
        Source (or relying on a model default such as route) keeps what is
        there. retraction_status is always given, since "none" is a finding.
        """
        fields = {
            name: _without_control_characters(value)
            for name in SOURCE_FIELDS
            for value in [getattr(self, name)]
        }
        if skip_empty:
            fields = {
                name: value
                for name, value in fields.items()
                if value not in ("", None, []) or name == "retraction_status"
            }
        return fields

    @property
    def is_notice(self) -> bool:
        """True when this record is itself a retraction or correction notice.

        A notice is evidence about another paper, never a source for a claim.
        """
        return bool(self.notice_of)

    def add_notice(self, notice: RetractionNotice) -> None:
        """Record a notice and let the strongest one set the standing."""
        if notice not in self.retraction_notices:
            self.retraction_notices.append(notice)
        self.apply_notices()

    def apply_notices(self) -> None:
        """Set retraction_status, notice URL and date from the notices."""
        best = strongest_notice(self.retraction_notices)
        if best is None:
            self.retraction_status = RetractionStatus.NONE
            self.retraction_notice_url = ""
            self.retraction_date = None
            return
        self.retraction_status = best.status
        self.retraction_notice_url = best.link
        self.retraction_date = best.date

    def replace(self, **changes) -> SourceRecord:
        return dataclasses.replace(self, **changes)
