"""Records from Crossref, looked up by DOI.

``fetch_doi(doi)`` returns the SourceRecord for one work;
``parse_work(message)`` builds it from the ``message`` of a
``/works/{doi}`` answer. ``fetch_updates(doi)`` returns the notices that
update a DOI (``/works?filter=updates:{doi}``) and
``notices_about(doi, records)`` turns those into RetractionNotices.

Crossref reports updates in two directions. A notice carries ``update-to``
naming the paper it updates; the updated paper carries ``updated-by`` naming
the notice (filled by the publisher or by Retraction Watch). Both are read:
``updated-by`` entries, and ``update-to`` entries naming the work's own DOI,
are notices about this work; ``update-to`` entries naming another DOI make
this record a notice (``notice_of``). Retraction and withdrawal mean
retracted; expressions of concern stay expressions of concern; corrections,
errata, corrigenda and partial retractions count as corrections. A title
beginning "RETRACTED" counts as a retraction even without update metadata,
since some publishers mark retractions only that way.
"""

from __future__ import annotations

import datetime
import re
import time
from urllib.parse import quote

import httpx

from evidence.analysis.text import text_from_html
from evidence.library.ingest import http
from evidence.library.ingest.records import (
    IngestError,
    NoticeTarget,
    RetractionNotice,
    SourceRecord,
    _,
    doi_url,
)
from evidence.vocab import RetractionStatus, is_valid_doi, normalize_doi

API = "https://api.crossref.org"
SERVICE = "Crossref"
UPDATE_STATUS = {
    "retraction": RetractionStatus.RETRACTED,
    "withdrawal": RetractionStatus.RETRACTED,
    "removal": RetractionStatus.RETRACTED,
    "expression_of_concern": RetractionStatus.EXPRESSION_OF_CONCERN,
    "correction": RetractionStatus.CORRECTION,
    "erratum": RetractionStatus.CORRECTION,
    "corrigendum": RetractionStatus.CORRECTION,
    "partial_retraction": RetractionStatus.CORRECTION,
}
_RETRACTED_TITLE = re.compile(r"^\s*(?:retracted|withdrawn)\b\s*(?:article)?\s*:", re.I)


def checked_doi(value: str) -> str:
    """The normalised DOI, or an IngestError saying what a DOI looks like."""
    doi = normalize_doi(value)
    if not is_valid_doi(doi):
        raise IngestError(
            _(
                '"%(value)s" is not a DOI. A DOI starts with 10. and a slash, '
                "for example 10.1371/journal.pone.0033693."
            )
            % {"value": value}
        )
    return doi


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError as exc:
        raise IngestError(
            _("Crossref sent an answer that is not JSON; nothing was imported.")
        ) from exc
    if not isinstance(body, dict) or not isinstance(body.get("message"), dict):
        raise IngestError(
            _("Crossref sent an answer without a record; nothing was imported.")
        )
    return body["message"]


def fetch_doi(
    doi: str,
    client: httpx.Client | None = None,
    *,
    sleep: http.Sleep = time.sleep,
) -> SourceRecord:
    """The record Crossref holds for ``doi``."""
    doi = checked_doi(doi)
    with http.client_scope(client) as c:
        response = http.get(
            c, f"{API}/works/{quote(doi, safe='/')}", service=SERVICE, sleep=sleep
        )
    if response.status_code == 404:
        raise IngestError(_("DOI %(doi)s was not found at Crossref.") % {"doi": doi})
    if response.status_code != 200:
        raise http.unexpected_status(SERVICE, response)
    return parse_work(_json(response))


def fetch_updates(
    doi: str,
    client: httpx.Client | None = None,
    *,
    sleep: http.Sleep = time.sleep,
    rows: int = 100,
) -> list[SourceRecord]:
    """The notices (retractions, corrections, concerns) that update ``doi``."""
    doi = checked_doi(doi)
    params = {"filter": f"updates:{doi}", "rows": str(rows)}
    with http.client_scope(client) as c:
        response = http.get(
            c, f"{API}/works", service=SERVICE, params=params, sleep=sleep
        )
    if response.status_code != 200:
        raise http.unexpected_status(SERVICE, response)
    items = _json(response).get("items") or []
    return [parse_work(item) for item in items if isinstance(item, dict)]


def notices_about(doi: str, records: list[SourceRecord]) -> list[RetractionNotice]:
    """What ``fetch_updates`` records say about ``doi``, as notices."""
    doi = normalize_doi(doi)
    return [
        RetractionNotice(
            status=target.status,
            doi=record.doi,
            date=target.date,
            source=target.source,
            label=record.title,
        )
        for record in records
        for target in record.notice_of
        if target.doi == doi
    ]


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(text_from_html(str(value or ""), normalised=False).split())


def _date(value) -> datetime.date | None:
    """A full date from a Crossref date object; partial dates give None."""
    try:
        year, month, day = (value or {}).get("date-parts", [[]])[0][:3]
        return datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError, IndexError):
        return None


def _year(message: dict) -> int | None:
    for key in ("issued", "published-print", "published-online", "published"):
        parts = (message.get(key) or {}).get("date-parts") or [[]]
        if parts and parts[0] and parts[0][0]:
            try:
                return int(parts[0][0])
            except (TypeError, ValueError):
                continue
    return None


def _initials(given: str) -> str:
    """Initials from given names; "AJ" and "Simon H" give "AJ" and "SH"."""
    parts = [p for p in re.split(r"[\s.\-]+", given) if p]
    return "".join(
        p if p.isalpha() and p.isupper() and len(p) <= 3 else p[0].upper()
        for p in parts
    )


def _author(person: dict) -> str:
    family = " ".join(str(person.get("family") or "").split())
    if not family:
        return " ".join(str(person.get("name") or "").split())
    initials = _initials(str(person.get("given") or ""))
    return f"{family} {initials}" if initials else family


def _update_type(value: str) -> str:
    return re.sub(r"[\s\-]+", "_", (value or "").strip().lower())


def parse_work(message: dict) -> SourceRecord:
    """A SourceRecord from one Crossref work (the ``message`` object)."""
    doi = normalize_doi(message.get("DOI", ""))
    title = _text(message.get("title"))
    subtitle = _text(message.get("subtitle"))
    if subtitle and subtitle.lower() not in title.lower():
        title = f"{title}: {subtitle}"
    kind = message.get("type") or ""
    types = [t for t in (kind, message.get("subtype")) if t]
    abstract = _text(message.get("abstract"))
    abstract = re.sub(r"^Abstract\s*", "", abstract)
    record = SourceRecord(
        title=title,
        authors=", ".join(a for a in map(_author, message.get("author") or []) if a),
        journal=_text(message.get("container-title"))
        or _text(message.get("short-container-title")),
        year=_year(message),
        volume=str(message.get("volume") or ""),
        issue=str(message.get("issue") or ""),
        pages=str(message.get("page") or ""),
        doi=doi,
        url=message.get("URL") or doi_url(doi),
        publication_type=kind,
        publication_types=types,
        abstract=abstract,
        origin="crossref",
    )
    for entry in message.get("updated-by") or []:
        _add_update(record, entry, about_self=True)
    for entry in message.get("update-to") or []:
        about_self = normalize_doi(entry.get("DOI", "")) == doi
        _add_update(record, entry, about_self=about_self)
    if (
        _RETRACTED_TITLE.match(title)
        and record.retraction_status != RetractionStatus.RETRACTED
    ):
        record.add_notice(
            RetractionNotice(status=RetractionStatus.RETRACTED, doi=doi, source="title")
        )
    record.apply_notices()
    return record


def _add_update(record: SourceRecord, entry: dict, *, about_self: bool) -> None:
    status = UPDATE_STATUS.get(_update_type(entry.get("type", "")))
    if status is None:
        return
    entry_doi = normalize_doi(entry.get("DOI", ""))
    date = _date(entry.get("updated"))
    source = str(entry.get("source") or "publisher")
    if about_self:
        notice_doi = "" if entry_doi == record.doi else entry_doi
        record.add_notice(
            RetractionNotice(
                status=status,
                doi=notice_doi,
                url="" if notice_doi else doi_url(record.doi),
                date=date,
                source=source,
                label=str(entry.get("label") or ""),
            )
        )
    else:
        record.notice_of.append(
            NoticeTarget(status=status, doi=entry_doi, date=date, source=source)
        )
