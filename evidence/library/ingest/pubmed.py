"""Records from PubMed, looked up by PMID through NCBI E-utilities.

``fetch_pmids(pmids)`` returns one SourceRecord per PMID, in the order
asked, or raises if PubMed lacks any of them. ``parse_efetch(xml)`` reads an
efetch ``PubmedArticleSet`` (the 2011 DTD and the current one alike) and
``parse_esummary(xml)`` reads an esummary ``eSummaryResult`` (DocSum) or
``DocumentSummarySet`` (version 2.0).

The XML is parsed with defusedxml: a reply declaring entities or referring
to external ones is refused (its DOCTYPE line is read, never fetched), so a
hostile reply cannot read files, make requests or expand into gigabytes
("billion laughs").

Retraction as PubMed records it: the publication type "Retracted
Publication" marks a retracted paper, and its "RetractionIn" comment names
the notice. A record typed "Retraction of Publication" is the notice itself:
it is never a retracted paper, and its "RetractionOf" comment names the paper
it retracts (``notice_of``). Expressions of concern and errata follow the
same pattern. PubMed does not date notices precisely, so notice dates are
taken from the notice citation only when it gives year, month and day.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Iterable
from xml.etree.ElementTree import Element, ParseError

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from evidence.library.ingest import http
from evidence.library.ingest.records import (
    IngestError,
    NoticeTarget,
    RetractionNotice,
    SourceRecord,
    _,
    pubmed_url,
)
from evidence.vocab import (
    RetractionStatus,
    is_valid_pmid,
    normalize_doi,
    normalize_pmid,
)

EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
SERVICE = "PubMed"
BATCH_SIZE = 200

# Comment types that point at a notice about this paper.
NOTICE_IN = {
    "RetractionIn": RetractionStatus.RETRACTED,
    "ExpressionOfConcernIn": RetractionStatus.EXPRESSION_OF_CONCERN,
    "ErratumIn": RetractionStatus.CORRECTION,
    "CorrectedandRepublishedIn": RetractionStatus.CORRECTION,
    "PartialRetractionIn": RetractionStatus.CORRECTION,
}
# Comment types on a notice that point at the paper it is about.
NOTICE_OF = {
    "RetractionOf": RetractionStatus.RETRACTED,
    "ExpressionOfConcernFor": RetractionStatus.EXPRESSION_OF_CONCERN,
    "ErratumFor": RetractionStatus.CORRECTION,
    "CorrectedandRepublishedFrom": RetractionStatus.CORRECTION,
    "PartialRetractionOf": RetractionStatus.CORRECTION,
}
RETRACTED_TYPES = {"retracted publication"}
NOTICE_TYPES = {
    "retraction of publication",
    "expression of concern",
    "published erratum",
    "retraction notice",
}
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun")
        + ("jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}


def _root(xml_bytes: bytes) -> Element:
    try:
        return fromstring(xml_bytes)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise IngestError(
            _("PubMed sent an answer that is not readable XML; nothing was imported.")
        ) from exc


def checked_pmids(pmids: Iterable) -> list[str]:
    """The PMIDs normalised and de-duplicated, or an IngestError naming the
    ones that are not PMIDs."""
    wanted, bad = [], []
    for value in pmids:
        pmid = normalize_pmid(value)
        if not is_valid_pmid(pmid):
            bad.append(str(value))
        elif pmid not in wanted:
            wanted.append(pmid)
    if bad:
        raise IngestError(
            _("These are not PMIDs (a PMID is a number such as 37883555): %(bad)s.")
            % {"bad": ", ".join(f'"{b}"' for b in bad)}
        )
    if not wanted:
        raise IngestError(_("No PMID was given; nothing was imported."))
    return wanted


def fetch_pmids(
    pmids: Iterable,
    client: httpx.Client | None = None,
    *,
    sleep: http.Sleep = time.sleep,
    limiter: http.RateLimiter | None = None,
) -> list[SourceRecord]:
    """PubMed's records for ``pmids``, in the order given; all or none."""
    wanted = checked_pmids(pmids)
    limiter = limiter or http.ncbi_limiter()
    found: dict[str, SourceRecord] = {}
    with http.client_scope(client) as c:
        for start in range(0, len(wanted), BATCH_SIZE):
            batch = wanted[start : start + BATCH_SIZE]
            params = {
                "db": "pubmed",
                "id": ",".join(batch),
                "retmode": "xml",
                **http.ncbi_params(),
            }
            response = http.get(
                c,
                f"{EUTILS}/efetch.fcgi",
                service=SERVICE,
                params=params,
                sleep=sleep,
                limiter=limiter,
            )
            if response.status_code != 200:
                raise http.unexpected_status(SERVICE, response)
            for record in parse_efetch(response.content):
                found.setdefault(record.pmid, record)
    missing = [pmid for pmid in wanted if pmid not in found]
    if missing:
        raise IngestError(
            _("PubMed has no record for PMID %(pmids)s; nothing was imported.")
            % {"pmids": ", ".join(missing)}
        )
    return [found[pmid] for pmid in wanted]


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _all_text(element: Element | None) -> str:
    if element is None:
        return ""
    return _clean("".join(element.itertext()))


def _find_text(element: Element, path: str) -> str:
    return _all_text(element.find(path))


def _title(article: Element) -> str:
    """PubMed ends titles with a full stop and brackets translated ones;
    the stored title has neither."""
    title = _find_text(article, "ArticleTitle") or _find_text(
        article, "VernacularTitle"
    )
    if title.startswith("[") and title.rstrip(".").endswith("]"):
        title = title.rstrip(".")[1:-1]
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    return title


def _journal(journal: Element | None) -> str:
    """The journal title without NLM's trailing place qualifier."""
    if journal is None:
        return ""
    name = _find_text(journal, "Title") or _find_text(journal, "ISOAbbreviation")
    return re.sub(r"\s*\([^()]*\)$", "", name)


def _year_from(text: str) -> int | None:
    match = re.search(r"\b(1[5-9]\d\d|2\d\d\d)\b", text or "")
    return int(match.group(1)) if match else None


def _pub_year(article: Element) -> int | None:
    pub_date = article.find("Journal/JournalIssue/PubDate")
    if pub_date is not None:
        year = _year_from(_find_text(pub_date, "Year")) or _year_from(
            _find_text(pub_date, "MedlineDate")
        )
        if year:
            return year
    return _year_from(_find_text(article, "ArticleDate/Year"))


def _pages(article: Element) -> str:
    pages = _find_text(article, "Pagination/MedlinePgn")
    if pages:
        return pages
    start = _find_text(article, "Pagination/StartPage")
    end = _find_text(article, "Pagination/EndPage")
    return f"{start}-{end}" if start and end else start


def _authors(article: Element) -> str:
    names = []
    for author in article.findall("AuthorList/Author"):
        if author.get("ValidYN", "Y") != "Y":
            continue
        collective = _find_text(author, "CollectiveName")
        last = _find_text(author, "LastName")
        initials = _find_text(author, "Initials")
        if last:
            names.append(f"{last} {initials}".strip())
        elif collective:
            names.append(collective)
    return ", ".join(names)


def _doi(citation: Element, pubmed_data: Element | None) -> str:
    if pubmed_data is not None:
        for article_id in pubmed_data.findall("ArticleIdList/ArticleId"):
            if article_id.get("IdType") == "doi" and article_id.text:
                return normalize_doi(article_id.text)
    for location in citation.findall("Article/ELocationID"):
        if location.get("EIdType") == "doi" and location.get("ValidYN", "Y") == "Y":
            return normalize_doi(location.text or "")
    return ""


def _abstract(article: Element) -> str:
    parts = []
    for text in article.findall("Abstract/AbstractText"):
        body = _all_text(text)
        label = text.get("Label")
        parts.append(f"{label}: {body}" if label else body)
    return "\n".join(p for p in parts if p)


def _citation_date(ref_source: str) -> datetime.date | None:
    match = re.search(r"\b(\d{4}) ([A-Z][a-z]{2}) (\d{1,2})\b", ref_source)
    if not match or match.group(2).lower() not in _MONTHS:
        return None
    try:
        return datetime.date(
            int(match.group(1)), _MONTHS[match.group(2).lower()], int(match.group(3))
        )
    except ValueError:
        return None


def _comments(citation: Element):
    for comment in citation.findall("CommentsCorrectionsList/CommentsCorrections"):
        ref_source = _find_text(comment, "RefSource")
        pmid = normalize_pmid(_find_text(comment, "PMID"))
        yield comment.get("RefType", ""), pmid, ref_source


def _apply_notices(record: SourceRecord, citation: Element, types: set[str]) -> None:
    for ref_type, pmid, ref_source in _comments(citation):
        if ref_type in NOTICE_IN:
            record.add_notice(
                RetractionNotice(
                    status=NOTICE_IN[ref_type],
                    pmid=pmid,
                    date=_citation_date(ref_source),
                    source="pubmed",
                    label=ref_source,
                )
            )
        elif ref_type in NOTICE_OF:
            record.notice_of.append(
                NoticeTarget(status=NOTICE_OF[ref_type], pmid=pmid, source="pubmed")
            )
    if (
        types & RETRACTED_TYPES
        and record.retraction_status != RetractionStatus.RETRACTED
    ):
        record.add_notice(
            RetractionNotice(status=RetractionStatus.RETRACTED, source="pubmed")
        )
    if types & NOTICE_TYPES and not record.notice_of:
        status = (
            RetractionStatus.RETRACTED
            if types & {"retraction of publication", "retraction notice"}
            else RetractionStatus.EXPRESSION_OF_CONCERN
            if "expression of concern" in types
            else RetractionStatus.CORRECTION
        )
        record.notice_of.append(NoticeTarget(status=status, source="pubmed"))


def parse_article(element: Element) -> SourceRecord:
    """A SourceRecord from one ``PubmedArticle`` element."""
    citation = element.find("MedlineCitation")
    if citation is None:
        raise IngestError(_("A PubMed record has no citation; nothing was imported."))
    article = citation.find("Article")
    if article is None:
        article = Element("Article")
    pubmed_data = element.find("PubmedData")
    pmid = normalize_pmid(_find_text(citation, "PMID"))
    publication_types = [
        _all_text(t) for t in article.findall("PublicationTypeList/PublicationType")
    ]
    record = SourceRecord(
        title=_title(article),
        authors=_authors(article),
        journal=_journal(article.find("Journal")),
        year=_pub_year(article),
        volume=_find_text(article, "Journal/JournalIssue/Volume"),
        issue=_find_text(article, "Journal/JournalIssue/Issue"),
        pages=_pages(article),
        doi=_doi(citation, pubmed_data),
        pmid=pmid,
        url=pubmed_url(pmid),
        publication_type="; ".join(publication_types),
        publication_types=publication_types,
        mesh_terms=[
            _all_text(d)
            for d in citation.findall("MeshHeadingList/MeshHeading/DescriptorName")
        ],
        abstract=_abstract(article),
        origin="pubmed",
    )
    types = {t.lower() for t in publication_types}
    _apply_notices(record, citation, types)
    record.apply_notices()
    return record


def _book(element: Element) -> SourceRecord:
    document = element.find("BookDocument")
    if document is None:
        document = Element("BookDocument")
    pmid = normalize_pmid(_find_text(document, "PMID"))
    book = document.find("Book")
    title = _title(document) or (_title(book) if book is not None else "")
    if not title and book is not None:
        title = _find_text(book, "BookTitle").rstrip(".")
    year = _year_from(_find_text(document, "Book/PubDate/Year"))
    authors = _authors(document) or (_authors(book) if book is not None else "")
    types = [_all_text(t) for t in document.findall("PublicationType")]
    return SourceRecord(
        title=title,
        authors=authors,
        year=year,
        pmid=pmid,
        url=pubmed_url(pmid),
        publication_type="; ".join(types) or "Book",
        publication_types=types,
        abstract=_abstract(document),
        origin="pubmed",
    )


def parse_efetch(xml_bytes: bytes) -> list[SourceRecord]:
    """Every article in an efetch ``PubmedArticleSet``."""
    root = _root(xml_bytes)
    if root.tag == "eFetchResult" or root.find("ERROR") is not None:
        message = _find_text(root, "ERROR") or "an error"
        raise IngestError(
            _("PubMed answered with %(message)s; nothing was imported.")
            % {"message": message}
        )
    records = []
    for element in root:
        if element.tag == "PubmedArticle":
            records.append(parse_article(element))
        elif element.tag == "PubmedBookArticle":
            records.append(_book(element))
    return records


def _docsum_items(docsum: Element) -> dict[str, Element]:
    return {item.get("Name"): item for item in docsum.findall("Item")}


def _docsum_record(docsum: Element) -> SourceRecord:
    items = _docsum_items(docsum)

    def text(name: str) -> str:
        return _all_text(items.get(name))

    def values(name: str) -> list[str]:
        item = items.get(name)
        return [] if item is None else [_all_text(i) for i in item.findall("Item")]

    pmid = normalize_pmid(_find_text(docsum, "Id"))
    ids = (
        {}
        if items.get("ArticleIds") is None
        else {i.get("Name"): _all_text(i) for i in items["ArticleIds"].findall("Item")}
    )
    types = values("PubTypeList")
    doi = ids.get("doi") or re.sub(r"^doi:\s*", "", text("ELocationID"))
    return _summary_record(
        pmid=pmid,
        title=text("Title"),
        authors=values("AuthorList"),
        journal=text("FullJournalName") or text("Source"),
        year=_year_from(text("PubDate")),
        volume=text("Volume"),
        issue=text("Issue"),
        pages=text("Pages"),
        doi=doi,
        types=types,
    )


def _document_summary_record(summary: Element) -> SourceRecord:
    pmid = normalize_pmid(summary.get("uid") or "")
    ids = {
        _find_text(a, "IdType"): _find_text(a, "Value")
        for a in summary.findall("ArticleIds/ArticleId")
    }
    doi = ids.get("doi") or re.sub(r"^doi:\s*", "", _find_text(summary, "ELocationID"))
    return _summary_record(
        pmid=pmid,
        title=_find_text(summary, "Title"),
        authors=[_find_text(a, "Name") for a in summary.findall("Authors/Author")],
        journal=_find_text(summary, "FullJournalName") or _find_text(summary, "Source"),
        year=_year_from(_find_text(summary, "PubDate")),
        volume=_find_text(summary, "Volume"),
        issue=_find_text(summary, "Issue"),
        pages=_find_text(summary, "Pages"),
        doi=doi,
        types=[_all_text(t) for t in summary.findall("PubType/flag")],
    )


def _summary_record(
    *, pmid, title, authors, journal, year, volume, issue, pages, doi, types
) -> SourceRecord:
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    record = SourceRecord(
        title=title,
        authors=", ".join(a for a in authors if a),
        journal=journal,
        year=year,
        volume=volume,
        issue=issue,
        pages=pages,
        doi=normalize_doi(doi) if doi.strip() else "",
        pmid=pmid,
        url=pubmed_url(pmid),
        publication_type="; ".join(types),
        publication_types=types,
        origin="pubmed",
    )
    lowered = {t.lower() for t in types}
    if lowered & RETRACTED_TYPES:
        record.add_notice(
            RetractionNotice(status=RetractionStatus.RETRACTED, source="pubmed")
        )
    if lowered & {"retraction of publication"}:
        record.notice_of.append(
            NoticeTarget(status=RetractionStatus.RETRACTED, source="pubmed")
        )
    return record


def parse_esummary(xml_bytes: bytes) -> list[SourceRecord]:
    """Every summary in an esummary answer (version 1.0 or 2.0)."""
    root = _root(xml_bytes)
    error = _find_text(root, "ERROR")
    if error:
        raise IngestError(
            _("PubMed answered with %(message)s; nothing was imported.")
            % {"message": error}
        )
    records = [_docsum_record(d) for d in root.findall("DocSum")]
    records += [
        _document_summary_record(s)
        for s in root.findall("DocumentSummarySet/DocumentSummary")
    ]
    return records
