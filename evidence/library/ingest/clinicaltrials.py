"""New results on ClinicalTrials.gov (API v2).

A saved search can watch the registry as well as PubMed: trials often post
results there months before a paper appears. ``search_results_posted``
asks ``/api/v2/studies`` for the studies matching the reviewer's query
whose results were first posted from ``since`` to ``until``
(``AREA[ResultsFirstPostDate]RANGE[...]``), reading only the fields a
reviewer needs (``fields=``) and following ``nextPageToken`` from page to
page. ``parse_study`` reads one study, from a list page or from
``/studies/{nct}`` alike.

Failures raise ``SearchError``; a result is returned only when every page
was read.
"""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Callable, Iterable

import httpx

from evidence.library.ingest import http
from evidence.library.ingest.records import IngestError, _
from evidence.library.ingest.searches import (
    CLINICALTRIALS,
    Candidate,
    SearchError,
    SearchResult,
    search_failure,
)

SERVICE = "ClinicalTrials.gov"
STUDIES_URL = "https://clinicaltrials.gov/api/v2/studies"
FIELDS = (
    "NCTId",
    "BriefTitle",
    "OverallStatus",
    "StudyType",
    "Phase",
    "DesignAllocation",
    "DesignObservationalModel",
    "EnrollmentCount",
    "StartDate",
    "ResultsFirstPostDate",
    "LastUpdatePostDate",
    "HasResults",
)
PAGE_SIZE = 100
MAX_RECORDS = 100
# The registry publishes no rate; a couple of requests a second is polite.
_limiter = http.RateLimiter(2.0)

OBSERVATIONAL_DESIGNS = {
    "COHORT": "cohort",
    "CASE_CONTROL": "case_control",
    "CASE_ONLY": "case_series",
    "CASE_CROSSOVER": "case_control",
    "ECOLOGIC_OR_COMMUNITY": "cross_sectional",
}


def study_url(nct_id: str) -> str:
    return f"https://clinicaltrials.gov/study/{nct_id}"


def results_window(since: datetime.date, until: datetime.date) -> str:
    return f"AREA[ResultsFirstPostDate]RANGE[{since.isoformat()},{until.isoformat()}]"


def search_params(
    query: str,
    since: datetime.date,
    until: datetime.date,
    page_token: str = "",
    page_size: int = PAGE_SIZE,
) -> dict:
    params = {
        "query.term": query.strip(),
        "filter.advanced": results_window(since, until),
        "fields": ",".join(FIELDS),
        "pageSize": str(page_size),
        "format": "json",
    }
    if page_token:
        params["pageToken"] = page_token
    else:
        params["countTotal"] = "true"
    return params


def _date(struct) -> datetime.date | None:
    """A registry date: "2012-11-30", or "2008-11" (the first of the month)."""
    value = (struct or {}).get("date", "") if isinstance(struct, dict) else ""
    parts = value.split("-")
    try:
        numbers = [int(p) for p in parts] + [1, 1]
        return datetime.date(*numbers[:3])
    except (TypeError, ValueError):
        return None


def _design(design_module: dict) -> tuple[str, str]:
    """(StudyDesign value or "", the registry's own words for the design)."""
    study_type = design_module.get("studyType", "")
    info = design_module.get("designInfo") or {}
    allocation = info.get("allocation", "")
    phases = [p for p in design_module.get("phases") or [] if p and p != "NA"]
    words = [study_type.replace("_", " ").capitalize()] if study_type else []
    if allocation:
        words.append(allocation.replace("_", " ").lower())
    words += [p.replace("PHASE", "Phase ").replace("EARLY_", "Early ") for p in phases]
    label = ", ".join(words)
    if study_type == "INTERVENTIONAL" and allocation == "RANDOMIZED":
        return "rct", label
    if study_type == "OBSERVATIONAL":
        model = info.get("observationalModel", "")
        return OBSERVATIONAL_DESIGNS.get(model, ""), label
    return "", label


def parse_study(study: dict) -> Candidate:
    """A Candidate from one study record of API v2."""
    protocol = study.get("protocolSection") or {}
    ident = protocol.get("identificationModule") or {}
    status = protocol.get("statusModule") or {}
    design_module = protocol.get("designModule") or {}
    nct_id = ident.get("nctId", "")
    if not nct_id:
        raise SearchError(
            SERVICE, _("ClinicalTrials.gov sent a study without an NCT number.")
        )
    design, label = _design(design_module)
    enrollment = (design_module.get("enrollmentInfo") or {}).get("count")
    return Candidate(
        registry=CLINICALTRIALS,
        identifier=nct_id,
        title=ident.get("briefTitle") or ident.get("officialTitle") or nct_id,
        design=design,
        design_label=label,
        sample_size=enrollment if isinstance(enrollment, int) else None,
        date=_date(status.get("resultsFirstPostDateStruct"))
        or _date(status.get("lastUpdatePostDateStruct"))
        or _date(status.get("startDateStruct")),
        url=study_url(nct_id),
    )


def parse_page(body: bytes) -> tuple[list[Candidate], str, int | None]:
    """(candidates, next page token or "", total count if given) of a page."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise SearchError(
            SERVICE,
            _(
                "ClinicalTrials.gov sent an answer that is not readable JSON; "
                "the search will be tried again at the next check."
            ),
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("studies"), list):
        raise SearchError(
            SERVICE, _("ClinicalTrials.gov sent an answer without a list of studies.")
        )
    total = data.get("totalCount")
    return (
        [parse_study(study) for study in data["studies"]],
        data.get("nextPageToken") or "",
        total if isinstance(total, int) else None,
    )


def _refused(response: httpx.Response) -> SearchError:
    detail = " ".join(response.text.split())[:300] if response.content else ""
    return SearchError(
        SERVICE,
        _(
            "ClinicalTrials.gov answered with HTTP %(status)d%(detail)s; the "
            "search will be tried again at the next check."
        )
        % {
            "status": response.status_code,
            "detail": f" ({detail})" if detail else "",
        },
    )


def search_results_posted(
    query: str,
    since: datetime.date,
    until: datetime.date,
    *,
    client: httpx.Client | None = None,
    limiter=None,
    sleep: http.Sleep = time.sleep,
    known: Callable[[Iterable[str]], set[str]] | None = None,
    page_size: int | None = None,
    max_records: int | None = None,
) -> SearchResult:
    """Studies matching ``query`` whose results were first posted in the
    window, less those ``known`` says the caller has seen.

    At most ``max_records`` studies are read (``MAX_RECORDS``), in pages of
    ``page_size`` (``PAGE_SIZE``).
    """
    limiter = limiter or _limiter
    page_size = page_size or PAGE_SIZE
    max_records = max_records or MAX_RECORDS
    result = SearchResult(CLINICALTRIALS, query, since, until)
    token = ""
    seen = 0
    with http.client_scope(client) as c:
        while True:
            try:
                response = http.get(
                    c,
                    STUDIES_URL,
                    service=SERVICE,
                    params=search_params(query, since, until, token, page_size),
                    sleep=sleep,
                    limiter=limiter,
                )
            except IngestError as exc:
                raise search_failure(SERVICE, exc) from exc
            if response.status_code != 200:
                raise _refused(response)
            studies, token, total = parse_page(response.content)
            if total is not None:
                result.total = total
            seen += len(studies)
            skip = known([s.identifier for s in studies]) if known else set()
            result.candidates += [s for s in studies if s.identifier not in skip]
            if not token or seen >= max_records:
                break
    result.total = max(result.total, seen)
    if token:
        result.notes.append(
            _(
                "ClinicalTrials.gov found more studies than the %(count)d "
                "screened. Narrow the query."
            )
            % {"count": seen}
        )
    return result
