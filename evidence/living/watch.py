"""Watching live claims: saved searches, new-evidence and retraction flags.

``check_new_evidence()`` runs every saved search for the window since its
last successful check. A search serves either one claim or every live
claim citing a Source. Records already in the library (by PMID, DOI or
title) and records already screened for a claim are skipped; the rest
become candidates beside that claim, and the claim gets an open
"new evidence" flag. Each search is all or nothing: when a service fails,
nothing about that search is written (not even the date it was checked
up to), so the next run tries the same window again.

A cited Source whose retraction status rises (retracted, expression of
concern, correction) raises the same kind of flag on every live claim
citing it (``raise_source_flags``).

A flag closes only with a medical reviewer's decision: a review decision
recorded on the claim (``close_flags_for_decision``), or a decision on each
of its candidates (``dismiss_candidate``, ``import_and_cite``).
"""

from __future__ import annotations

import datetime
import json
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, ReferenceIndex

from evidence import library
from evidence.blocks import PassageBlock
from evidence.library import importing, matching
from evidence.library import ratelimits as limits
from evidence.library.ingest import clinicaltrials, pubmed_search
from evidence.library.ingest.records import SourceRecord
from evidence.library.ingest.searches import (
    CLINICALTRIALS,
    PUBMED,
    Candidate,
    SearchError,
    SearchResult,
)
from evidence.models import (
    CandidateStatus,
    EvidenceCandidate,
    EvidenceFlag,
    FlagReason,
    SavedSearch,
    Source,
)
from evidence.passages import Passage, passage_stream, read_passages
from evidence.vocab import RetractionStatus, Stance

logger = logging.getLogger(__name__)

TASK_BACKEND = "retractions"
# A new search first looks this far back.
FIRST_LOOKBACK_DAYS = 365

STATUS_REASONS = {
    RetractionStatus.RETRACTED: FlagReason.RETRACTED,
    RetractionStatus.EXPRESSION_OF_CONCERN: FlagReason.EXPRESSION_OF_CONCERN,
    RetractionStatus.CORRECTION: FlagReason.CORRECTED,
}


@dataclass(frozen=True)
class LiveClaim:
    """A claim passage of a page's live version."""

    page: Page
    passage: Passage

    @property
    def key(self) -> tuple[int, str]:
        return (self.page.pk, self.passage.block_id)


def _live_claims(page) -> list[Passage]:
    return [p for p in read_passages(page) if p.is_claim and p.block_id]


def live_claims_citing(source: Source) -> list[LiveClaim]:
    """Every claim of a live page whose live version cites ``source``.

    The live pages are found with Wagtail's reference index, then each is
    read to find the claims that cite the Source.
    """
    page_ct = ContentType.objects.get_for_model(Page)
    page_ids = {
        int(pk)
        for pk in ReferenceIndex.get_references_to(source)
        .filter(base_content_type=page_ct)
        .values_list("object_id", flat=True)
    }
    claims = []
    for page in Page.objects.live().filter(pk__in=page_ids).specific().order_by("pk"):
        for passage in _live_claims(page):
            if any(c.source_id == source.pk for c in passage.citations):
                claims.append(LiveClaim(page, passage))
    return claims


def live_claims_for(search: SavedSearch) -> list[LiveClaim]:
    """The live claims a saved search serves (none when the page is not live
    or the claim is no longer in its live version)."""
    if search.source_id:
        return live_claims_citing(search.source)
    page = Page.objects.live().filter(pk=search.page_id).specific().first()
    if page is None:
        return []
    return [
        LiveClaim(page, passage)
        for passage in _live_claims(page)
        if passage.block_id == search.block_id
    ]


@dataclass
class SearchRun:
    """What one saved search did in one run."""

    search: SavedSearch
    claims: list[LiveClaim] = field(default_factory=list)
    results: list[SearchResult] = field(default_factory=list)
    error: SearchError | None = None
    candidates: int = 0
    flags: list[EvidenceFlag] = field(default_factory=list)
    skipped: str = ""

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def notes(self) -> list[str]:
        return [note for result in self.results for note in result.notes]


def _known(registry: str, claims: list[LiveClaim]) -> Callable[[Iterable[str]], set]:
    """The identifiers to skip: in the library (PubMed) or already screened
    for every claim the search serves."""

    def known(identifiers: Iterable[str]) -> set[str]:
        identifiers = set(identifiers)
        skip = set()
        if registry == PUBMED:
            skip |= set(
                Source.objects.filter(pmid__in=identifiers).values_list(
                    "pmid", flat=True
                )
            )
        screened = (
            EvidenceCandidate.objects.filter(
                registry=registry, identifier__in=identifiers
            )
            .values_list("identifier", "page_id", "block_id")
            .order_by()
        )
        wanted = {claim.key for claim in claims}
        seen: dict[str, set] = {}
        for identifier, page_id, block_id in screened:
            if (page_id, block_id) in wanted:
                seen.setdefault(identifier, set()).add((page_id, block_id))
        skip |= {i for i, keys in seen.items() if keys >= wanted}
        return skip

    return known


def in_library(candidate: Candidate) -> bool:
    """The record is already a Source (by PMID, DOI or title, as imports
    match), or the registry page is already a Source's URL."""
    if candidate.record is not None:
        existing, _others = matching.find_existing(candidate.record)
        return existing is not None
    return bool(candidate.url) and Source.objects.filter(url=candidate.url).exists()


def open_flag(claim: LiveClaim, reason: str, source: Source | None = None):
    """The claim's open flag for this reason (and Source), raised if needed.

    Returns (flag, raised now).
    """
    flag = (
        EvidenceFlag.objects.select_for_update()
        .filter(
            page_id=claim.page.pk,
            block_id=claim.passage.block_id,
            reason=reason,
            source=source,
            closed_at__isnull=True,
        )
        .first()
    )
    if flag is not None:
        return flag, False
    flag = EvidenceFlag.objects.create(
        page_id=claim.page.pk,
        block_id=claim.passage.block_id,
        excerpt=claim.passage.excerpt[:200],
        reason=reason,
        source=source,
    )
    return flag, True


def _record_json(candidate: Candidate) -> dict:
    return importing.record_to_json(candidate.record) if candidate.record else {}


def _save_candidates(run: SearchRun, found: list[Candidate], today) -> None:
    claims = run.claims
    screened = set(
        EvidenceCandidate.objects.filter(
            page_id__in={c.page.pk for c in claims},
            identifier__in={c.identifier for c in found},
        ).values_list("page_id", "block_id", "registry", "identifier")
    )
    for claim in claims:
        fresh = [
            c for c in found if (*claim.key, c.registry, c.identifier) not in screened
        ]
        if not fresh:
            continue
        flag, raised = open_flag(claim, FlagReason.NEW_EVIDENCE)
        if raised:
            run.flags.append(flag)
        EvidenceCandidate.objects.bulk_create(
            EvidenceCandidate(
                page_id=claim.page.pk,
                block_id=claim.passage.block_id,
                flag=flag,
                search=run.search,
                registry=c.registry,
                identifier=c.identifier,
                title=c.title[:500],
                design=c.design,
                design_label=c.design_label[:255],
                sample_size=c.sample_size,
                published_on=c.date,
                doi=c.doi[:255],
                url=c.url[:500],
                record=_record_json(c),
            )
            for c in fresh
        )
        run.candidates += len(fresh)
    run.search.last_checked_on = today
    run.search.save(update_fields=["last_checked_on"])


def run_search(
    search: SavedSearch,
    *,
    today: datetime.date | None = None,
    client=None,
    sleep=None,
) -> SearchRun:
    """Run one saved search: all of it, or nothing."""
    today = today or timezone.localdate()
    run = SearchRun(search, claims=live_claims_for(search))
    if not run.claims:
        run.skipped = _("no live claim to watch")
        return run
    since = search.last_checked_on or today - datetime.timedelta(
        days=FIRST_LOOKBACK_DAYS
    )
    sleep = sleep or library.retry_sleep
    own = client is None
    client = client or library.http_client()
    try:
        if search.pubmed_query:
            run.results.append(
                pubmed_search.search_new(
                    search.pubmed_query,
                    since,
                    today,
                    client=client,
                    limiter=limits.ncbi_limiter(sleep=sleep),
                    sleep=sleep,
                    known=_known(PUBMED, run.claims),
                )
            )
        if search.trials_query:
            run.results.append(
                clinicaltrials.search_results_posted(
                    search.trials_query,
                    since,
                    today,
                    client=client,
                    sleep=sleep,
                    known=_known(CLINICALTRIALS, run.claims),
                )
            )
    except SearchError as error:
        run.results = []
        run.error = error
        logger.warning("Saved search %s failed: %s", search.pk, error)
        return run
    finally:
        if own:
            client.close()
    found = [
        candidate
        for result in run.results
        for candidate in result.candidates
        if not in_library(candidate)
    ]
    with transaction.atomic():
        _save_candidates(run, found, today)
    return run


def check_new_evidence(
    searches: Iterable[SavedSearch] | None = None,
    *,
    today: datetime.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[SearchRun]:
    """Run the saved searches (all of them by default), one after another;
    one failing does not stop the others."""
    if searches is None:
        searches = SavedSearch.objects.select_related("source").order_by(
            "last_checked_on", "pk"
        )
    searches = list(searches)
    runs = []
    for step, search in enumerate(searches, start=1):
        if progress:
            progress(step, len(searches), str(search)[:60])
        runs.append(run_search(search, today=today))
    return runs


def summarise(runs: list[SearchRun]) -> dict:
    return {
        "searches": len(runs),
        "failed": [
            {"search": r.search.pk, "error": str(r.error)} for r in runs if r.failed
        ],
        "candidates": sum(r.candidates for r in runs),
        "flags_raised": sum(len(r.flags) for r in runs),
        "unreachable": any(r.error.unreachable for r in runs if r.failed),
    }


# Retractions and corrections


def raise_source_flags(source: Source) -> list[EvidenceFlag]:
    """Flag every live claim citing ``source`` for its retraction status.

    Returns the flags raised now (a claim already flagged for this Source
    and reason keeps its open flag).
    """
    reason = STATUS_REASONS.get(source.retraction_status)
    if reason is None:
        return []
    raised = []
    with transaction.atomic():
        for claim in live_claims_citing(source):
            flag, new = open_flag(claim, reason, source)
            if new:
                raised.append(flag)
    if raised:
        logger.warning(
            "Source %s is now %s: %d live claims flagged for re-review",
            source.pk,
            source.retraction_status,
            len(raised),
        )
    return raised


# Closing flags


def close_flags_for_decision(decision) -> int:
    """A review decision on a claim closes the flags raised on it before.

    The candidates still open on those flags were shown beside the claim,
    so they are marked as seen in that review.
    """
    flags = EvidenceFlag.objects.filter(
        page_id=decision.page_id,
        block_id=decision.block_id,
        closed_at__isnull=True,
        raised_at__lte=decision.created_at,
    )
    ids = list(flags.values_list("pk", flat=True))
    if not ids:
        return 0
    EvidenceCandidate.objects.filter(
        flag_id__in=ids, status=CandidateStatus.OPEN
    ).update(
        status=CandidateStatus.REVIEWED,
        decided_by=decision.reviewer_id,
        decided_at=decision.created_at,
    )
    return EvidenceFlag.objects.filter(pk__in=ids).update(
        closed_at=decision.created_at,
        closed_by=decision.reviewer_id,
        closing_decision=decision.pk,
        closing_note=_("Claim re-reviewed: %(decision)s")
        % {"decision": decision.get_decision_display()},
    )


def _close_if_screened(flag: EvidenceFlag, user, note: str) -> bool:
    if flag.candidates.filter(status=CandidateStatus.OPEN).exists():
        return False
    flag.closed_at = timezone.now()
    flag.closed_by = user
    flag.closing_note = note[:255]
    flag.save(update_fields=["closed_at", "closed_by", "closing_note"])
    return True


class CandidateRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _decide(candidate: EvidenceCandidate, user, status: str) -> None:
    if candidate.status != CandidateStatus.OPEN:
        raise CandidateRefused(
            _("“%(title)s” was already screened (%(status)s).")
            % {"title": candidate.title, "status": candidate.get_status_display()}
        )
    candidate.status = status
    candidate.decided_by = user
    candidate.decided_at = timezone.now()


def dismiss_candidate(candidate: EvidenceCandidate, user) -> bool:
    """Record "not relevant": the record is never shown again for this
    claim. Returns True when that closed the claim's flag."""
    with transaction.atomic():
        candidate = EvidenceCandidate.objects.select_for_update().get(pk=candidate.pk)
        _decide(candidate, user, CandidateStatus.NOT_RELEVANT)
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
        if candidate.flag_id is None:
            return False
        return _close_if_screened(candidate.flag, user, _("Every candidate screened"))


def candidate_record(candidate: EvidenceCandidate) -> SourceRecord:
    """The record to import: PubMed's own, or one built from the registry
    entry for a ClinicalTrials.gov study."""
    if candidate.record:
        return importing.record_from_json(candidate.record)
    return SourceRecord(
        title=candidate.title,
        year=candidate.published_on.year if candidate.published_on else None,
        url=candidate.url,
        publication_type=_("Trial registration with results (%(nct)s)")
        % {"nct": candidate.identifier},
        study_design=candidate.design,
        population="human",
        sample_size=candidate.sample_size,
        origin="clinicaltrials",
    )


def open_flags_by_claim(page_ids: Iterable[int]) -> dict[tuple[int, str], list]:
    """Open flags of these pages keyed by (page id, block id), with their
    open candidates, in two queries."""
    flags = list(
        EvidenceFlag.objects.filter(page_id__in=list(page_ids), closed_at__isnull=True)
        .select_related("source")
        .order_by("raised_at", "pk")
    )
    candidates = EvidenceCandidate.objects.filter(
        flag_id__in=[f.pk for f in flags], status=CandidateStatus.OPEN
    ).order_by("-published_on", "pk")
    by_flag: dict[int, list] = {}
    for candidate in candidates:
        by_flag.setdefault(candidate.flag_id, []).append(candidate)
    result: dict[tuple[int, str], list] = {}
    for flag in flags:
        flag.open_candidates = by_flag.get(flag.pk, [])
        result.setdefault((flag.page_id, flag.block_id), []).append(flag)
    return result


def pages_with_open_flags(limit: int = 20):
    """Live pages with open flags, the longest-waiting first: (page, count,
    oldest raised_at). Two queries whatever the number of pages."""
    rows = list(
        EvidenceFlag.objects.filter(closed_at__isnull=True, page__live=True)
        .values("page_id")
        .annotate(count=Count("pk"), oldest=Min("raised_at"))
        .order_by("oldest", "page_id")[:limit]
    )
    pages = Page.objects.in_bulk([row["page_id"] for row in rows])
    return [
        (pages[row["page_id"]], row["count"], row["oldest"])
        for row in rows
        if row["page_id"] in pages
    ]


def _add_citation(
    stream_block, stream: list, block_id: str, source_id: int, stance: str
) -> bool:
    """Append a citation to the passage ``block_id`` of stored stream data,
    in the item format its citation list already uses. Only a passage block
    with a list of citations can take one (a study card cites its study)."""
    for block in stream:
        if block.get("id") != block_id:
            continue
        child = stream_block.child_blocks.get(block.get("type"))
        if not isinstance(child, PassageBlock) or "citations" not in child.child_blocks:
            return False
        value = block.setdefault("value", {})
        citations = value.setdefault("citations", [])
        citation = {"source": source_id, "stance": stance, "locator": ""}
        if any(isinstance(c, dict) and c.get("type") == "item" for c in citations):
            citation = {"type": "item", "value": citation, "id": str(uuid.uuid4())}
        citations.append(citation)
        return True
    return False


def import_and_cite(candidate: EvidenceCandidate, user, stance: str):
    """Import the candidate as a Source and cite it in the claim, in a new
    draft of the page. Returns (Source, new revision).

    The citation changes the passage, so its approval no longer applies:
    the claim must be approved again before the draft can go live, as any
    edit would. All or nothing: a failed import or a claim no longer in the
    page's latest version writes nothing.
    """
    if stance not in Stance.values:
        raise CandidateRefused(_("Choose how the new source bears on the claim."))
    with transaction.atomic():
        candidate = EvidenceCandidate.objects.select_for_update().get(pk=candidate.pk)
        _decide(candidate, user, CandidateStatus.IMPORTED)
        page = Page.objects.get(pk=candidate.page_id).specific
        version = page.get_latest_revision_as_object()
        summary = importing.import_records(
            [(candidate.identifier, candidate_record(candidate))], user=user
        )
        if not summary.written:
            raise CandidateRefused(
                " ".join(
                    [
                        summary.headline(),
                        *(o.reason for o in summary.failed if o.reason),
                    ]
                )
            )
        source = summary.outcomes[0].source
        stream_block, stream = passage_stream(version)
        stream = json.loads(json.dumps(stream))
        if not _add_citation(
            stream_block, stream, candidate.block_id, source.pk, stance
        ):
            raise CandidateRefused(
                _(
                    "The claim is no longer a paragraph, list, table or callout "
                    "in the latest version of the page, so the source could not "
                    "be cited there; nothing was imported."
                )
            )
        setattr(version, version.passages_field, json.dumps(stream))
        revision = version.save_revision(user=user, log_action=True)
        candidate.imported_source = source
        candidate.save(
            update_fields=["status", "decided_by", "decided_at", "imported_source"]
        )
        if candidate.flag_id is not None:
            _close_if_screened(candidate.flag, user, _("Every candidate screened"))
    return source, revision
