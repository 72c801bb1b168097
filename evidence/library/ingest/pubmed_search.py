"""New evidence in PubMed: esearch for a date window, efetch for what is new.

A saved search is run as NCBI's E-utilities documentation describes:

1. ``esearch`` with the reviewer's query, restricted to the publication
   types that can change a claim (randomized controlled trials, systematic
   reviews, meta-analyses, guidelines) and to the records that entered
   PubMed in the window (``datetype=edat``, ``mindate``/``maxdate``, whole
   days, both ends included);
2. the PMIDs the caller already knows (in the library, already screened for
   every claim the search serves) are dropped;
3. ``efetch`` reads the rest as full records, so a reviewer sees title,
   publication types and date, and can import one as a Source.

Every request carries the tool name and contact email NCBI asks for
(``http.ncbi_params``) and waits for the given limiter, which the caller
shares with every other process talking to NCBI
(``ratelimit.SharedRateLimiter``). Any failure raises ``SearchError``.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import httpx

from evidence.library.ingest import classify, http, pubmed
from evidence.library.ingest.records import IngestError, _
from evidence.library.ingest.searches import (
    PUBMED,
    Candidate,
    SearchError,
    SearchResult,
    answer_failure,
    search_failure,
)

SERVICE = "PubMed"
EUTILS = pubmed.EUTILS
PUBLICATION_TYPES = (
    "Randomized Controlled Trial",
    "Systematic Review",
    "Meta-Analysis",
    "Guideline",
    "Practice Guideline",
)
# At most this many records are fetched per search and run; more means
# the query is too broad to screen, and the result says so.
MAX_RECORDS = 100


@dataclass
class Esearch:
    """What esearch answered: the total and the first ``retmax`` PMIDs."""

    count: int
    ids: list[str]
    query_translation: str = ""
    phrases_not_found: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def search_term(query: str) -> str:
    """The reviewer's query limited to the publication types that matter."""
    types = " OR ".join(f'"{name}"[pt]' for name in PUBLICATION_TYPES)
    return f"({query.strip()}) AND ({types})"


def _day(value: datetime.date) -> str:
    return value.strftime("%Y/%m/%d")


def esearch_params(query: str, since: datetime.date, until: datetime.date) -> dict:
    return {
        "db": "pubmed",
        "term": search_term(query),
        "datetype": "edat",
        "mindate": _day(since),
        "maxdate": _day(until),
        "retmax": str(MAX_RECORDS),
        "retmode": "xml",
        **http.ncbi_params(),
    }


def _text(element, path: str) -> str:
    found = element.find(path)
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def parse_esearch(xml_bytes: bytes) -> Esearch:
    """Read an ``eSearchResult``; an ``<ERROR>`` reply raises SearchError."""
    try:
        root = pubmed._root(xml_bytes)
    except IngestError as exc:
        raise SearchError(
            SERVICE,
            _(
                "PubMed sent a search answer that is not readable XML; the "
                "search will be tried again at the next check."
            ),
        ) from exc
    error = _text(root, "ERROR")
    if root.tag != "eSearchResult" or error:
        raise SearchError(
            SERVICE,
            _("PubMed refused the search: %(error)s Check the saved query.")
            % {"error": error or root.tag},
        )
    try:
        count = int(_text(root, "Count") or "0")
    except ValueError as exc:
        raise SearchError(
            SERVICE, _("PubMed sent a search answer without a count.")
        ) from exc
    return Esearch(
        count=count,
        ids=[i.text.strip() for i in root.findall("IdList/Id") if i.text],
        query_translation=_text(root, "QueryTranslation"),
        phrases_not_found=[
            _text(e, ".") for e in root.findall("ErrorList/PhraseNotFound")
        ],
        warnings=[_text(e, ".") for e in root.findall("WarningList/OutputMessage")],
    )


def _entrez_date(element) -> datetime.date | None:
    """When the record entered PubMed (its "pubmed" or "entrez" history date)."""
    for status in ("pubmed", "entrez"):
        for date in element.findall("PubmedData/History/PubMedPubDate"):
            if date.get("PubStatus") != status:
                continue
            try:
                return datetime.date(
                    int(_text(date, "Year")),
                    int(_text(date, "Month") or 1),
                    int(_text(date, "Day") or 1),
                )
            except ValueError:
                continue
    return None


def parse_candidates(xml_bytes: bytes) -> list[Candidate]:
    """A Candidate for each article of an efetch ``PubmedArticleSet``."""
    try:
        root = pubmed._root(xml_bytes)
    except IngestError as exc:
        raise SearchError(SERVICE, exc.message) from exc
    error = _text(root, "ERROR")
    if error or root.tag != "PubmedArticleSet":
        raise SearchError(
            SERVICE,
            _("PubMed could not send the records found: %(error)s")
            % {"error": error or root.tag},
        )
    candidates = []
    for element in root.iter("PubmedArticle"):
        try:
            record = classify.with_suggestions(pubmed.parse_article(element))
        except IngestError as exc:
            raise SearchError(SERVICE, exc.message) from exc
        candidates.append(
            Candidate(
                registry=PUBMED,
                identifier=record.pmid,
                title=record.title,
                design=record.study_design,
                design_label=record.publication_type,
                sample_size=record.sample_size,
                date=_entrez_date(element)
                or (datetime.date(record.year, 1, 1) if record.year else None),
                doi=record.doi,
                url=record.url,
                record=record,
            )
        )
    return candidates


def _get(c, name, params, *, sleep, limiter) -> httpx.Response:
    try:
        response = http.get(
            c,
            f"{EUTILS}/{name}.fcgi",
            service=SERVICE,
            params=params,
            sleep=sleep,
            limiter=limiter,
        )
    except IngestError as exc:
        raise search_failure(SERVICE, exc) from exc
    if response.status_code != 200:
        raise answer_failure(SERVICE, response)
    return response


def search_new(
    query: str,
    since: datetime.date,
    until: datetime.date,
    *,
    client: httpx.Client | None = None,
    limiter=None,
    sleep: http.Sleep = time.sleep,
    known: Callable[[Iterable[str]], set[str]] | None = None,
) -> SearchResult:
    """The records matching ``query`` that entered PubMed from ``since`` to
    ``until``, less those ``known`` says the caller has seen.

    ``known(pmids)`` returns the PMIDs to skip. Raises SearchError; a
    result is returned only when every request succeeded.
    """
    limiter = limiter or http.ncbi_limiter()
    result = SearchResult(PUBMED, query, since, until)
    with http.client_scope(client) as c:
        answer = parse_esearch(
            _get(
                c,
                "esearch",
                esearch_params(query, since, until),
                sleep=sleep,
                limiter=limiter,
            ).content
        )
        result.total = answer.count
        if answer.phrases_not_found:
            result.notes.append(
                _("PubMed did not find these words and left them out: %(words)s.")
                % {"words": ", ".join(answer.phrases_not_found)}
            )
        if answer.count > len(answer.ids):
            result.notes.append(
                _(
                    "PubMed found %(count)d records; only the first %(fetched)d "
                    "were screened. Narrow the query."
                )
                % {"count": answer.count, "fetched": len(answer.ids)}
            )
        skip = known(answer.ids) if known and answer.ids else set()
        new_ids = [pmid for pmid in answer.ids if pmid not in skip]
        if not new_ids:
            return result
        params = {
            "db": "pubmed",
            "id": ",".join(new_ids),
            "retmode": "xml",
            **http.ncbi_params(),
        }
        response = _get(c, "efetch", params, sleep=sleep, limiter=limiter)
        asked = set(new_ids)
        # Only the records asked for: anything else in the answer is not a
        # match of this search, and a PMID PubMed no longer holds is said.
        result.candidates = [
            candidate
            for candidate in parse_candidates(response.content)
            if candidate.identifier in asked
        ]
        missing = asked - {c.identifier for c in result.candidates}
        if missing:
            result.notes.append(
                _("PubMed sent no record for PMID %(pmids)s.")
                % {"pmids": ", ".join(p for p in new_ids if p in missing)}
            )
    return result
