"""Keeping Sources' retraction status up to date.

A paper can be retracted, corrected or put under an expression of concern
years after an article cites it. Each check asks both services:

- Crossref, for papers with a DOI: the work's own ``updated-by`` entries
  (filled by the publisher or from Retraction Watch data) and the notices
  that name it in their ``update-to`` (``/works?filter=updates:DOI``).
  Checking one of the two alone silently misses retractions.
- PubMed, for papers with a PMID: the "Retracted Publication" type and the
  "RetractionIn" / "ExpressionOfConcernIn" / "ErratumIn" comments.

The most serious notice decides the status: retracted, then expression of
concern, then correction. A check only ever raises a Source's status; when
the services no longer report what the Source records, the status stays and
the check says so, because clearing a warning is a reviewer's decision.

A retracted Source stops counting as support for any claim at the next
publish (the publish gate treats it as unusable), the public page flags it in
the reference list, and the live articles citing it are listed on the admin
dashboard (``live_pages_citing_retracted_sources()`` below).

Checks run from ``manage.py check_retractions`` and from the background task
``check_retractions_task`` on the "retractions" task backend.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import httpx
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.models import Page, ReferenceIndex

from evidence import library
from evidence.library import ratelimits
from evidence.library.ingest import crossref, pubmed
from evidence.library.ingest.records import (
    IngestError,
    RetractionNotice,
    strongest_notice,
)
from evidence.models import Source
from evidence.vocab import RETRACTION_SEVERITY, RetractionStatus

logger = logging.getLogger(__name__)

DEFAULT_STALE_DAYS = 7
TASK_BACKEND = "retractions"


@dataclass
class RetractionCheck:
    """What one check found for one Source."""

    source: Source
    before: str
    after: str
    notices: list[RetractionNotice] = field(default_factory=list)
    error: str = ""
    note: str = ""

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def failed(self) -> bool:
        return bool(self.error)


def notices_for(source: Source, client: httpx.Client) -> list[RetractionNotice]:
    """Every notice Crossref and PubMed hold about the Source's paper."""
    sleep = library.retry_sleep
    notices: list[RetractionNotice] = []
    if source.doi:
        work = crossref.fetch_doi(source.doi, client, sleep=sleep)
        notices += work.retraction_notices
        updates = crossref.fetch_updates(source.doi, client, sleep=sleep)
        notices += crossref.notices_about(source.doi, updates)
    if source.pmid:
        (record,) = pubmed.fetch_pmids(
            [source.pmid],
            client,
            sleep=sleep,
            limiter=ratelimits.ncbi_limiter(sleep=sleep),
        )
        notices += record.retraction_notices
    return notices


def apply_notices(
    source: Source, notices: Iterable[RetractionNotice], *, now=None
) -> RetractionCheck:
    """Set the Source's status from the notices (raising it only) and
    record when it was checked. Saves the Source."""
    notices = list(notices)
    before = source.retraction_status
    best = strongest_notice(notices)
    found = best.status if best else RetractionStatus.NONE
    check = RetractionCheck(source, before, before, notices)
    rank, current_rank = RETRACTION_SEVERITY[found], RETRACTION_SEVERITY[before]
    fields = ["retraction_checked_at"]
    if rank > current_rank or (
        rank == current_rank and best and not source.retraction_notice_url
    ):
        source.retraction_status = found
        source.retraction_notice_url = best.link[:500]
        source.retraction_date = best.date
        fields += ["retraction_status", "retraction_notice_url", "retraction_date"]
    elif rank < current_rank:
        check.note = _(
            "Crossref and PubMed report %(found)s, but the source is recorded "
            "as %(recorded)s; left as it is for a reviewer to decide."
        ) % {
            "found": RetractionStatus(found).label.lower(),
            "recorded": RetractionStatus(before).label.lower(),
        }
    check.after = source.retraction_status
    source.retraction_checked_at = now or timezone.now()
    source.save(update_fields=[*fields, "updated_at"])
    if check.changed:
        logger.warning(
            "Source %s (%s) is now %s (was %s): %s",
            source.pk,
            source,
            check.after,
            check.before,
            source.retraction_notice_url,
        )
    return check


def check_source(
    source: Source, client: httpx.Client | None = None, *, now=None
) -> RetractionCheck:
    """Refresh one Source's retraction status from Crossref and PubMed.

    When a service fails, nothing about the Source changes (not even the
    time it was last checked) and the check carries the error.
    """
    own = client is None
    client = client or library.http_client()
    try:
        notices = notices_for(source, client)
    except IngestError as exc:
        status = source.retraction_status
        return RetractionCheck(source, status, status, error=exc.message)
    finally:
        if own:
            client.close()
    return apply_notices(source, notices, now=now)


def sources_due(stale_days: int | None = DEFAULT_STALE_DAYS) -> QuerySet[Source]:
    """Sources with a DOI or PMID never checked, or not checked for
    ``stale_days`` days; every one of them when ``stale_days`` is None."""
    queryset = Source.objects.filter(~Q(doi="") | ~Q(pmid=""))
    if stale_days is not None:
        cutoff = timezone.now() - datetime.timedelta(days=stale_days)
        queryset = queryset.filter(
            Q(retraction_checked_at__isnull=True) | Q(retraction_checked_at__lt=cutoff)
        )
    return queryset.order_by("retraction_checked_at", "pk")


def check_sources(
    sources: Iterable[Source],
    client: httpx.Client | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[RetractionCheck]:
    """Check each Source in turn; one failing does not stop the others."""
    sources = list(sources)
    own = client is None
    client = client or library.http_client()
    checks = []
    try:
        for step, source in enumerate(sources, start=1):
            if progress:
                progress(step, len(sources), str(source))
            checks.append(check_source(source, client))
    finally:
        if own:
            client.close()
    return checks


def summarise(checks: list[RetractionCheck]) -> dict:
    return {
        "checked": sum(not c.failed for c in checks),
        "changed": [
            {"source": c.source.pk, "before": c.before, "after": c.after}
            for c in checks
            if c.changed
        ],
        "failed": [
            {"source": c.source.pk, "error": c.error} for c in checks if c.failed
        ],
    }


@task(backend=TASK_BACKEND)
def check_retractions_task(stale_days: int | None = DEFAULT_STALE_DAYS) -> dict:
    """The periodic check: every Source not checked for ``stale_days`` days."""
    result = summarise(check_sources(sources_due(stale_days)))
    logger.info(
        "Retraction check: %d checked, %d changed, %d failed",
        result["checked"],
        len(result["changed"]),
        len(result["failed"]),
    )
    return result


# Retracted sources on live pages


@dataclass
class RetractedCitations:
    """A live page and the retracted Sources its live version cites."""

    page: Page
    sources: list[Source]


def live_pages_citing_retracted_sources() -> list[RetractedCitations]:
    """Live pages whose published version cites a retracted Source.

    Three queries whatever the number of pages: the reference index rows
    pointing at retracted Sources, the live pages, and the Sources.
    """
    page_ct = ContentType.objects.get_for_model(Page)
    source_ct = ContentType.objects.get_for_model(Source)
    retracted = Source.objects.filter(
        retraction_status=RetractionStatus.RETRACTED
    ).values_list(Cast("pk", output_field=models.CharField()), flat=True)
    rows = ReferenceIndex.objects.filter(
        base_content_type=page_ct,
        to_content_type=source_ct,
        to_object_id__in=retracted,
    ).values_list("object_id", "to_object_id")
    by_page: dict[int, set[int]] = {}
    for page_id, source_id in rows:
        by_page.setdefault(int(page_id), set()).add(int(source_id))
    if not by_page:
        return []
    pages = Page.objects.live().filter(pk__in=list(by_page)).order_by("title")
    sources = Source.objects.in_bulk({sid for ids in by_page.values() for sid in ids})
    return [
        RetractedCitations(
            page=page,
            sources=sorted(
                (sources[sid] for sid in by_page[page.pk] if sid in sources),
                key=str,
            ),
        )
        for page in pages
    ]
