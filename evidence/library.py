"""The source library: bringing outside records in, without duplicates.

Reviewers never type a reference by hand. They give DOIs, PMIDs or a
reference-manager file; ``evidence.ingest`` turns those into SourceRecords,
and this module saves them into the library.

Duplicates. A record is the same paper as a Source when their DOIs match
(DOIs are case-insensitive), else when their PMIDs match, else when the
title (ignoring case, punctuation and a "RETRACTED:" prefix), the year and
the first author's surname all match, provided no DOI or PMID on either side
says they are different papers. Importing a paper the library already holds
updates that Source; it never adds a second one.

What an update may change. Bibliographic details (title, authors, journal,
volume, pages, URL...) are refreshed from Crossref and PubMed, the registries
of record; a reference-manager file only fills in details that are empty,
since exports are often abridged or edited by hand. A DOI or PMID is only
filled in, never replaced. Study design, population, sample size,
intervention and route are only filled in when empty: if a reviewer set them
and the record suggests otherwise, the reviewer's value stays and the import
says so. A grade a reviewer confirmed is never touched. An import can raise a
retraction status (correction, expression of concern, retracted) but never
lower one: clearing a warning is a reviewer's decision.

Grades. A grade guessed from the study design is only a suggestion: the
Source is saved with grade_confirmed_by and grade_confirmed_at empty until a
medical reviewer confirms it ("Confirm grade" in the admin, or changing the
grade in the Source form).

A batch is imported whole or not at all: if any record fails, nothing from
the batch is written, and the summary lists every failure with its reason.

Merging two Sources moves every citation of the duplicate, in live pages and
in every saved revision, to the Source kept, then deletes the duplicate.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import httpx
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, models, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.fields import StreamField
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex, Revision

from evidence.identifiers import normalize_doi, normalize_pmid, normalize_title
from evidence.ingest import classify, crossref, files, http, pubmed
from evidence.ingest.records import (
    SEVERITY,
    IngestError,
    NoticeTarget,
    RetractionNotice,
    SourceRecord,
)
from evidence.models import RetractionStatus, Route, Source, Stance
from evidence.reviews import is_medical_reviewer

logger = logging.getLogger(__name__)

BIBLIOGRAPHIC_FIELDS = (
    "title",
    "authors",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "url",
    "publication_type",
)
IDENTIFIER_FIELDS = ("doi", "pmid")
STUDY_FIELDS = ("study_design", "population", "sample_size", "intervention", "route")
RETRACTION_FIELDS = ("retraction_status", "retraction_notice_url", "retraction_date")
# Required on the form, but an import may not know them yet: the Source is
# saved without them and a reviewer completes it.
COMPLETED_BY_REVIEWER = ("study_design", "population", "grade")
MERGE_FIELDS = (
    *BIBLIOGRAPHIC_FIELDS,
    *IDENTIFIER_FIELDS,
    *STUDY_FIELDS,
    "grade",
    "grade_rationale",
)

# Where bibliographic details are authoritative enough to overwrite.
REGISTRIES = frozenset({"crossref", "pubmed"})

CREATED = "created"
UPDATED = "updated"
DUPLICATE = "duplicate"
FAILED = "failed"

Progress = Callable[[int, int, str], None]


# The HTTP seam: tests replace these to serve recorded answers.


def http_client() -> httpx.Client:
    """The client used to reach Crossref and PubMed."""
    return http.make_client()


def retry_sleep(seconds: float) -> None:
    """How the importer waits between retries."""
    time.sleep(seconds)


def grade_confirmation(user) -> dict:
    """The confirmation fields for a grade that `user` just set or changed.

    A grade is a clinical judgement: set by a medical reviewer, it counts as
    confirmed by them; set by anyone else, it awaits a reviewer's
    confirmation.
    """
    if is_medical_reviewer(user):
        return {"grade_confirmed_by": user, "grade_confirmed_at": timezone.now()}
    return {"grade_confirmed_by": None, "grade_confirmed_at": None}


# Summaries


@dataclass
class Outcome:
    """What happened to one record of a batch."""

    action: str  # created, updated, duplicate or failed
    label: str  # the record as the reviewer gave it
    source: Source | None = None
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def title(self) -> str:
        return str(self.source) if self.source is not None else self.label


@dataclass
class ImportSummary:
    """The result of one batch. ``written`` is False after a dry run or when
    any record failed, since a batch is saved whole or not at all."""

    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    def _of(self, action: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == action]

    @property
    def created(self) -> list[Outcome]:
        return self._of(CREATED)

    @property
    def updated(self) -> list[Outcome]:
        return self._of(UPDATED)

    @property
    def duplicates(self) -> list[Outcome]:
        return self._of(DUPLICATE)

    @property
    def failed(self) -> list[Outcome]:
        return self._of(FAILED)

    def counts(self) -> str:
        return _(
            "%(created)d created, %(updated)d updated, %(duplicates)d already "
            "in the library, %(failed)d failed"
        ) % {
            "created": len(self.created),
            "updated": len(self.updated),
            "duplicates": len(self.duplicates),
            "failed": len(self.failed),
        }

    def headline(self) -> str:
        if self.failed:
            return _("Nothing was imported: %(counts)s.") % {"counts": self.counts()}
        if self.dry_run:
            return _("Dry run, nothing was written: %(counts)s.") % {
                "counts": self.counts()
            }
        return _("Imported: %(counts)s.") % {"counts": self.counts()}


class _Rollback(Exception):
    pass


# Fetching


@dataclass
class Fetched:
    """Records fetched for a batch, with a label each, and what failed."""

    records: list[tuple[str, SourceRecord]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


def fetch_records(
    dois: Sequence[str] = (),
    pmids: Sequence[str] = (),
    *,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
) -> Fetched:
    """Look DOIs up at Crossref and PMIDs at PubMed, one by one.

    A lookup that fails is reported with its reason; the others still run,
    so the reviewer sees every problem with the batch at once.
    """
    fetched = Fetched()
    wanted = [("doi", d) for d in dois if str(d).strip()]
    wanted += [("pmid", p) for p in pmids if str(p).strip()]
    own = client is None
    client = client or http_client()
    try:
        for step, (kind, value) in enumerate(wanted, start=1):
            label = f"DOI {value}" if kind == "doi" else f"PMID {value}"
            if progress:
                progress(step, len(wanted), label)
            try:
                if kind == "doi":
                    record = crossref.fetch_doi(value, client, sleep=retry_sleep)
                else:
                    (record,) = pubmed.fetch_pmids([value], client, sleep=retry_sleep)
            except IngestError as exc:
                fetched.failures.append((label, str(exc)))
            else:
                fetched.records.append((label, record))
    finally:
        if own:
            client.close()
    return fetched


def read_file(name: str, data: bytes) -> Fetched:
    """The references in an uploaded file, labelled by position and title."""
    try:
        records = files.parse_file(name, data)
    except IngestError as exc:
        return Fetched(failures=[(name, str(exc))])
    return Fetched(
        records=[
            (
                _("%(file)s, reference %(n)d: %(title)s")
                % {"file": name, "n": n, "title": record.title[:120]},
                record,
            )
            for n, record in enumerate(records, start=1)
        ]
    )


# Matching


def _surname(authors: str) -> str:
    """The first author's surname, lower case: "Wakefield AJ" gives
    "wakefield", "van der Berg AB" gives "van der berg"."""
    first = (authors or "").split(",")[0].split(";")[0].strip()
    words = first.split()
    if len(words) > 1 and re.fullmatch(r"[A-Z]{1,4}\.?", words[-1]):
        words = words[:-1]
    return " ".join(words).lower()


def _differ(a: str, b: str) -> bool:
    return bool(a and b and a != b)


def find_existing(record: SourceRecord) -> tuple[Source | None, list[Source]]:
    """The Source this record describes, if the library has it, and any
    other Sources it also matches (which look like duplicates of each other).
    """
    doi, pmid = normalize_doi(record.doi), normalize_pmid(record.pmid)
    matches: list[Source] = []
    if doi:
        matches += list(Source.objects.filter(doi__iexact=doi))
    if pmid:
        matches += [s for s in Source.objects.filter(pmid=pmid) if s not in matches]
    title = normalize_title(record.title)
    if not matches and title:
        surname = _surname(record.authors)
        candidates = Source.objects.filter(year=record.year)
        candidates = (
            candidates.filter(authors__istartswith=surname.split()[0])
            if surname
            else candidates.filter(authors="")
        )
        for source in candidates:
            if (
                normalize_title(source.title) == title
                and _surname(source.authors) == surname
                and not _differ(source.doi, doi)
                and not _differ(source.pmid, pmid)
            ):
                matches.append(source)
    if not matches:
        return None, []
    return matches[0], matches[1:]


# Saving


def _model_field(name: str) -> models.Field:
    return Source._meta.get_field(name)


def _fit(fields: dict, notes: list[str]) -> dict:
    """Values shortened or dropped so the model accepts them, with a note
    for each change."""
    fitted = {}
    url_ok = URLValidator()
    for name, value in fields.items():
        model_field = _model_field(name)
        if isinstance(model_field, models.URLField) and value:
            try:
                url_ok(value)
            except ValidationError:
                notes.append(
                    _("The %(field)s “%(value)s” is not a web address; left out.")
                    % {"field": model_field.verbose_name, "value": value[:80]}
                )
                continue
            if len(value) > model_field.max_length:
                notes.append(
                    _("The %(field)s is longer than %(max)d characters; left out.")
                    % {"field": model_field.verbose_name, "max": model_field.max_length}
                )
                continue
        elif (
            isinstance(value, str)
            and model_field.max_length
            and len(value) > model_field.max_length
        ):
            value = value[: model_field.max_length - 1].rstrip() + "…"
            notes.append(
                _("The %(field)s was shortened to %(max)d characters.")
                % {"field": model_field.verbose_name, "max": model_field.max_length}
            )
        if name == "year" and value is not None and not 1800 <= value <= 2100:
            notes.append(
                _("The year %(year)s is not plausible; left out.") % {"year": value}
            )
            continue
        choices = model_field.choices
        if choices and value and value not in {c[0] for c in choices}:
            continue
        fitted[name] = value
    return fitted


def _unset_required(source: Source) -> list[str]:
    return [name for name in COMPLETED_BY_REVIEWER if not getattr(source, name)]


def _check_and_save(source: Source) -> None:
    source.full_clean(exclude=_unset_required(source))
    with transaction.atomic():
        source.save()


def _error_text(exc: Exception) -> str:
    """A model's validation errors as one sentence per field."""
    if not isinstance(exc, ValidationError):
        return str(exc)
    if not hasattr(exc, "message_dict"):
        return " ".join(exc.messages)
    parts = []
    for name, errors in exc.message_dict.items():
        label = "" if name == "__all__" else f"{_model_field(name).verbose_name}: "
        parts += [f"{label}{error}" for error in errors]
    return " ".join(parts)


def _display(name: str, value) -> str:
    model_field = _model_field(name)
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value))
    return str(value)


def _grade_note(record_grade: str, source: Source) -> str:
    return _("Kept the grade %(kept)s%(who)s; the import suggests %(suggested)s.") % {
        "kept": source.grade,
        "who": _(" confirmed by %(user)s") % {"user": source.grade_confirmed_by}
        if source.grade_confirmed_by
        else "",
        "suggested": record_grade,
    }


def _apply_retraction(source: Source, fields: dict, changes: list[str]) -> None:
    status = fields.get("retraction_status") or RetractionStatus.NONE
    if SEVERITY.get(status, 0) > SEVERITY.get(source.retraction_status, 0):
        source.retraction_status = status
        source.retraction_notice_url = fields.get("retraction_notice_url", "")
        source.retraction_date = fields.get("retraction_date")
        changes.append("retraction_status")


def _create(record: SourceRecord, fields: dict, notes: list[str]) -> Outcome:
    source = Source(**fields)
    source.grade_confirmed_by = None
    source.grade_confirmed_at = None
    _check_and_save(source)
    if source.grade:
        notes.append(
            _(
                "Grade %(grade)s suggested from the study design; it awaits a "
                "medical reviewer's confirmation."
            )
            % {"grade": source.grade}
        )
    missing = [str(_model_field(name).verbose_name) for name in _unset_required(source)]
    if missing:
        notes.append(
            _("A reviewer must still set: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    return Outcome(CREATED, "", source, notes=notes)


def _update(
    source: Source,
    fields: dict,
    notes: list[str],
    others: list[Source],
    *,
    refresh: bool,
) -> Outcome:
    changes: list[str] = []
    for name in BIBLIOGRAPHIC_FIELDS:
        value, current = fields.get(name), getattr(source, name)
        if value in ("", None) or current == value:
            continue
        if refresh or current in ("", None):
            setattr(source, name, value)
            changes.append(name)
    for name in IDENTIFIER_FIELDS:
        value = fields.get(name)
        current = getattr(source, name)
        if not value or current == value:
            continue
        if current:
            notes.append(
                _("Kept the %(field)s %(kept)s; the record gives %(given)s.")
                % {"field": name.upper(), "kept": current, "given": value}
            )
        elif twin := (
            Source.objects.filter(**{name: value}).exclude(pk=source.pk).first()
        ):
            notes.append(
                _(
                    "The %(field)s %(value)s belongs to “%(other)s”: these two "
                    "look like the same paper. Merge them."
                )
                % {"field": name.upper(), "value": value, "other": twin}
            )
        else:
            setattr(source, name, value)
            changes.append(name)
    for name in STUDY_FIELDS:
        value = fields.get(name)
        current = getattr(source, name)
        if value in ("", None) or current == value:
            continue
        if current in ("", None) or (
            name == "route" and current == Route.NOT_APPLICABLE
        ):
            setattr(source, name, value)
            changes.append(name)
        else:
            notes.append(
                _("Kept the %(field)s “%(kept)s”; the record suggests “%(given)s”.")
                % {
                    "field": _model_field(name).verbose_name,
                    "kept": _display(name, current),
                    "given": _display(name, value),
                }
            )
    grade = fields.get("grade")
    if grade and grade != source.grade:
        if source.grade:
            notes.append(_grade_note(grade, source))
        else:
            source.grade = grade
            source.grade_rationale = source.grade_rationale or fields.get(
                "grade_rationale", ""
            )
            source.grade_confirmed_by = None
            source.grade_confirmed_at = None
            changes.append("grade")
    _apply_retraction(source, fields, changes)
    for other in others:
        notes.append(
            _("The record also matches “%(other)s”: these look like duplicates.")
            % {"other": other}
        )
    if not changes:
        return Outcome(DUPLICATE, "", source, notes=notes)
    _check_and_save(source)
    return Outcome(UPDATED, "", source, changes=changes, notes=notes)


def _notice_reason(record: SourceRecord) -> str:
    target = record.notice_of[0]
    about = target.doi or target.pmid
    return _(
        "This record is a %(kind)s notice%(about)s, not a paper. Notices are "
        "recorded on the paper they concern: import the paper itself."
    ) % {
        "kind": RetractionStatus(target.status).label.lower()
        if target.status in RetractionStatus.values
        else target.status,
        "about": _(" about %(id)s") % {"id": about} if about else "",
    }


def save_record(record: SourceRecord, label: str = "") -> Outcome:
    """Create or update the Source for one record (no batch transaction)."""
    if record.is_notice:
        return Outcome(FAILED, label, reason=_notice_reason(record))
    if not record.title.strip():
        return Outcome(FAILED, label, reason=_("The record has no title."))
    record = classify.with_suggestions(record)
    notes: list[str] = []
    fields = _fit(record.model_fields(skip_empty=True), notes)
    existing, others = find_existing(record)
    try:
        if existing is None:
            outcome = _create(record, fields, notes)
        else:
            outcome = _update(
                existing, fields, notes, others, refresh=record.origin in REGISTRIES
            )
    except (ValidationError, IntegrityError) as exc:
        return Outcome(FAILED, label, reason=_error_text(exc))
    outcome.label = label or str(outcome.source)
    return outcome


def import_records(
    records: Iterable[tuple[str, SourceRecord]],
    *,
    failures: Iterable[tuple[str, str]] = (),
    dry_run: bool = False,
    progress: Progress | None = None,
    user=None,
) -> ImportSummary:
    """Save a batch of (label, record) pairs: all of them, or none.

    ``failures`` are lookups that already failed (a 404 DOI, an unreadable
    file); any failure means nothing is written. A dry run does every step,
    then rolls back, so its summary is exactly what a real import would do.
    """
    records = list(records)
    summary = ImportSummary(dry_run=dry_run)
    summary.outcomes += [Outcome(FAILED, label, reason=r) for label, r in failures]
    try:
        with transaction.atomic():
            for step, (label, record) in enumerate(records, start=1):
                if progress:
                    progress(step, len(records), label)
                summary.outcomes.append(save_record(record, label))
            if dry_run or summary.failed:
                raise _Rollback
    except _Rollback:
        summary.written = False
    else:
        summary.written = True
        logger.info("Sources imported by %s: %s", user or "a command", summary.counts())
    return summary


# Grades


def confirm_grade(source: Source, user) -> Source:
    """Record that a medical reviewer confirmed the Source's grade now."""
    if not is_medical_reviewer(user):
        raise ValidationError(
            _("Only a medical reviewer can confirm a grade; ask one to check it.")
        )
    if not source.grade:
        raise ValidationError(
            _("This source has no grade yet: set one in the form, then confirm it.")
        )
    source.grade_confirmed_by = user
    source.grade_confirmed_at = timezone.now()
    source.save(update_fields=["grade_confirmed_by", "grade_confirmed_at"])
    log(
        instance=source,
        action="evidence.confirm_grade",
        user=user,
        data={"grade": source.grade},
    )
    return source


# Records between requests (the admin's preview, then confirm)


def record_to_json(record: SourceRecord) -> dict:
    def encode(value):
        if isinstance(value, datetime.date):
            return {"__date__": value.isoformat()}
        if isinstance(value, list):
            return [encode(v) for v in value]
        if isinstance(value, dict):
            return {k: encode(v) for k, v in value.items()}
        return value

    return encode(dataclasses.asdict(record))


def record_from_json(data: dict) -> SourceRecord:
    def decode(value):
        if isinstance(value, dict) and "__date__" in value:
            return datetime.date.fromisoformat(value["__date__"])
        if isinstance(value, list):
            return [decode(v) for v in value]
        if isinstance(value, dict):
            return {k: decode(v) for k, v in value.items()}
        return value

    data = decode(data)
    data["retraction_notices"] = [
        RetractionNotice(**n) for n in data.get("retraction_notices", [])
    ]
    data["notice_of"] = [NoticeTarget(**n) for n in data.get("notice_of", [])]
    return SourceRecord(**data)


BATCH_SALT = "evidence.library.batch"
BATCH_MAX_AGE = 60 * 60


def pack_batch(fetched: Fetched) -> str:
    """A batch as signed text, to carry from the preview to the confirmation
    unchanged: what is imported is exactly what the reviewer saw."""
    payload = {
        "records": [[label, record_to_json(r)] for label, r in fetched.records],
        "failures": fetched.failures,
    }
    return signing.dumps(payload, salt=BATCH_SALT, compress=True)


def unpack_batch(text: str) -> Fetched:
    """The batch packed by ``pack_batch``; ``signing.BadSignature`` when it
    was altered or is more than an hour old."""
    payload = signing.loads(text, salt=BATCH_SALT, max_age=BATCH_MAX_AGE)
    return Fetched(
        records=[(label, record_from_json(r)) for label, r in payload["records"]],
        failures=[tuple(f) for f in payload["failures"]],
    )


# Where Sources are cited


def _stream_fields(model) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, StreamField)]


def _page_models_with_streams() -> dict[int, tuple[type, list[str]]]:
    from wagtail.models import get_page_models

    found = {}
    for model in get_page_models():
        names = _stream_fields(model)
        if names:
            found[ContentType.objects.get_for_model(model).pk] = (model, names)
    return found


def repoint_blocks(data, old_id: int, new_id: int | None) -> int:
    """Replace citations of ``old_id`` by ``new_id`` in stored stream data,
    in place; returns how many there were. With ``new_id`` None, only count.
    Block ids are left as they are.

    Every ``source`` key in the stream is a Source chooser (a citation or a
    study card), at any depth. A passage that cited both Sources would then
    cite the kept one twice: where a re-pointed citation repeats another of
    the same passage exactly (same Source, stance and locator), the repeat
    is dropped; citations that differ in stance or locator are kept.
    """
    changed = 0
    if isinstance(data, list):
        for item in data:
            changed += repoint_blocks(item, old_id, new_id)
    elif isinstance(data, dict):
        for key, value in data.items():
            if (
                key == "source"
                and isinstance(value, int | str)
                and not isinstance(value, bool)
                and str(value) == str(old_id)
            ):
                if new_id is not None:
                    data[key] = new_id if isinstance(value, int) else str(new_id)
                changed += 1
            elif isinstance(value, list | dict):
                count = repoint_blocks(value, old_id, new_id)
                if count and new_id is not None and key == "citations":
                    data[key] = _without_repeats(value)
                changed += count
    return changed


def _without_repeats(citations: list) -> list:
    """A citation list with exact repeats (same Source, stance and locator)
    dropped, first occurrence kept."""
    seen, kept = set(), []
    for item in citations:
        value = item.get("value") if isinstance(item, dict) else None
        value = value if isinstance(value, dict) else item
        key = (
            (
                str(value.get("source")),
                value.get("stance") or Stance.SUPPORTS,
                value.get("locator") or "",
            )
            if isinstance(value, dict)
            else None
        )
        if key is not None and key in seen:
            continue
        if key is not None:
            seen.add(key)
        kept.append(item)
    return kept


def _load_stream(value):
    if isinstance(value, str):
        try:
            return json.loads(value), True
        except ValueError:
            return None, True
    return value, False


@dataclass
class CitingPage:
    """A page citing a Source: in its live version, its drafts, or both."""

    page: Page
    live: bool = False
    revisions: int = 0


def citing_pages(source: Source) -> list[CitingPage]:
    """Every page whose live body or any saved revision cites ``source``.

    The live body is found through Wagtail's reference index; revisions are
    read from their stored content, after a text filter on the id.
    """
    page_ct = ContentType.objects.get_for_model(Page)
    found: dict[int, CitingPage] = {}
    live_ids = set(
        ReferenceIndex.get_references_to(source)
        .filter(base_content_type=page_ct)
        .values_list("object_id", flat=True)
    )
    for revision, _data in _revisions_citing(source.pk):
        page_id = int(revision.object_id)
        found.setdefault(page_id, CitingPage(page=None)).revisions += 1
    for page_id in live_ids:
        found.setdefault(int(page_id), CitingPage(page=None)).live = True
    pages = Page.objects.in_bulk(list(found))
    result = []
    for page_id, citing in found.items():
        if page_id in pages:
            citing.page = pages[page_id].specific_deferred
            # The reference index reads the page row, which for a page
            # never published holds its first draft.
            citing.live = citing.live and citing.page.live
            result.append(citing)
    return sorted(result, key=lambda c: c.page.title.lower())


def _revisions_citing(source_id: int):
    """(revision, {field: stream data}) for page revisions citing the id."""
    streams = _page_models_with_streams()
    page_ct = ContentType.objects.get_for_model(Page)
    revisions = (
        Revision.objects.filter(
            base_content_type=page_ct, content_type_id__in=list(streams)
        )
        .annotate(text=Cast("content", TextField()))
        .filter(text__contains=str(source_id))
        .only("pk", "object_id", "content_type_id", "content")
        .order_by("pk")
    )
    for revision in revisions.iterator(chunk_size=200):
        _model, names = streams[revision.content_type_id]
        data = {}
        for name in names:
            stream, _was_text = _load_stream(revision.content.get(name))
            if stream is not None and repoint_blocks(stream, source_id, None):
                data[name] = stream
        if data:
            yield revision, data


class MergeRefused(ValidationError):
    """Two Sources that cannot be merged, with the reason."""


def merge_problems(keep: Source, duplicate: Source) -> list[str]:
    if keep.pk == duplicate.pk:
        return [_("A source cannot be merged into itself.")]
    problems = []
    for name in IDENTIFIER_FIELDS:
        a, b = getattr(keep, name), getattr(duplicate, name)
        if _differ(a, b):
            problems.append(
                _(
                    "They have different %(field)ss (%(a)s and %(b)s), so they "
                    "are different papers."
                )
                % {"field": name.upper(), "a": a, "b": b}
            )
    return problems


@dataclass
class MergeReport:
    keep: Source
    duplicate_label: str
    filled: list[str]
    pages: list[int]
    revisions: int
    citations: int


def _fill_from(keep: Source, duplicate: Source) -> list[str]:
    filled = []
    for name in MERGE_FIELDS:
        if name == "grade" and not keep.grade and duplicate.grade:
            keep.grade_confirmed_by = duplicate.grade_confirmed_by
            keep.grade_confirmed_at = duplicate.grade_confirmed_at
        if name == "route" and keep.route == Route.NOT_APPLICABLE:
            if duplicate.route != Route.NOT_APPLICABLE:
                keep.route = duplicate.route
                filled.append(name)
            continue
        if getattr(keep, name) in ("", None) and getattr(duplicate, name) not in (
            "",
            None,
        ):
            setattr(keep, name, getattr(duplicate, name))
            filled.append(name)
    if (
        keep.grade == duplicate.grade
        and not keep.grade_confirmed_at
        and duplicate.grade_confirmed_at
    ):
        keep.grade_confirmed_by = duplicate.grade_confirmed_by
        keep.grade_confirmed_at = duplicate.grade_confirmed_at
        filled.append("grade_confirmed_by")
    if SEVERITY.get(duplicate.retraction_status, 0) > SEVERITY.get(
        keep.retraction_status, 0
    ):
        for name in (*RETRACTION_FIELDS, "retraction_checked_at"):
            setattr(keep, name, getattr(duplicate, name))
        filled.append("retraction_status")
    return filled


def merge_sources(keep: Source, duplicate: Source, user) -> MergeReport:
    """Move every citation of ``duplicate`` to ``keep``, then delete it.

    Citations move in live page bodies and in every saved revision (drafts,
    scheduled and past versions), with block ids unchanged. Details empty on
    the kept Source are filled from the duplicate; if the duplicate carried
    a more serious retraction status, the kept Source takes it.

    A moved citation changes its passage, so a medical reviewer's approval
    of that passage no longer applies: the passage must be reviewed again.
    """
    if problems := merge_problems(keep, duplicate):
        raise MergeRefused(problems)
    with transaction.atomic():
        keep = Source.objects.select_for_update().get(pk=keep.pk)
        duplicate = Source.objects.select_for_update().get(pk=duplicate.pk)
        old_id, duplicate_label = duplicate.pk, str(duplicate)
        page_ids: set[int] = set()
        revision_count = citation_count = 0
        for revision, data in list(_revisions_citing(old_id)):
            for name, stream in data.items():
                citation_count += repoint_blocks(stream, old_id, keep.pk)
                original = revision.content.get(name)
                revision.content[name] = (
                    json.dumps(stream) if isinstance(original, str) else stream
                )
            Revision.objects.filter(pk=revision.pk).update(content=revision.content)
            page_ids.add(int(revision.object_id))
            revision_count += 1
        page_ct = ContentType.objects.get_for_model(Page)
        page_ids |= {
            int(pk)
            for pk in ReferenceIndex.get_references_to(duplicate)
            .filter(base_content_type=page_ct)
            .values_list("object_id", flat=True)
        }
        for page in Page.objects.filter(pk__in=page_ids).specific():
            updates = {}
            for name in _stream_fields(type(page)):
                stream = list(getattr(page, name).raw_data)
                stream = json.loads(json.dumps(stream))
                if count := repoint_blocks(stream, old_id, keep.pk):
                    citation_count += count
                    updates[name] = (
                        type(page)._meta.get_field(name).to_python(json.dumps(stream))
                    )
            if updates:
                # A queryset update: the page is not re-published, only its
                # citations move, so no publish rule runs on a live page.
                type(page).objects.filter(pk=page.pk).update(**updates)
                for name, value in updates.items():
                    setattr(page, name, value)
                ReferenceIndex.create_or_update_for_object(page)
            log(
                instance=page,
                action="evidence.citations_moved",
                user=user,
                data={"from": old_id, "to": keep.pk, "source": str(keep)},
            )
        filled = _fill_from(keep, duplicate)
        # The duplicate goes first: its DOI or PMID may pass to the kept one.
        duplicate.delete()
        keep.save()
        log(
            instance=keep,
            action="evidence.merge_sources",
            user=user,
            data={
                "merged": duplicate_label,
                "merged_id": old_id,
                "filled": filled,
                "pages": sorted(page_ids),
            },
        )
    logger.info(
        "%s merged source %s (%s) into %s: %d citations on %d pages",
        user,
        old_id,
        duplicate_label,
        keep.pk,
        citation_count,
        len(page_ids),
    )
    return MergeReport(
        keep=keep,
        duplicate_label=duplicate_label,
        filled=filled,
        pages=sorted(page_ids),
        revisions=revision_count,
        citations=citation_count,
    )


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
