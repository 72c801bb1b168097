"""Importing records into the source library, a batch at a time.

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

A grade guessed from the study design is only a suggestion: the Source is
saved with grade_confirmed_by and grade_confirmed_at empty until a medical
reviewer confirms it (`evidence.library.grades`).

A batch is imported whole or not at all: if any record fails, nothing from
the batch is written, and the summary lists every failure with its reason.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import httpx
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from evidence import library
from evidence.library import ratelimits
from evidence.library.ingest import classify, crossref, files, pubmed
from evidence.library.ingest.records import (
    IngestError,
    NoticeTarget,
    RetractionNotice,
    SourceRecord,
)
from evidence.library.matching import find_existing
from evidence.models import Source
from evidence.vocab import RETRACTION_SEVERITY, RetractionStatus, Route

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
    "mesh_terms",
)
IDENTIFIER_FIELDS = ("doi", "pmid")
STUDY_FIELDS = ("study_design", "population", "sample_size", "intervention", "route")
RETRACTION_FIELDS = ("retraction_status", "retraction_notice_url", "retraction_date")
# Required on the form, but an import may not know them yet: the Source is
# saved without them and a reviewer completes it.
COMPLETED_BY_REVIEWER = ("study_design", "population", "grade")

# Where bibliographic details are authoritative enough to overwrite.
REGISTRIES = frozenset({"crossref", "pubmed"})

CREATED = "created"
UPDATED = "updated"
DUPLICATE = "duplicate"
FAILED = "failed"

Progress = Callable[[int, int, str], None]


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
    client = client or library.http_client()
    try:
        for step, (kind, value) in enumerate(wanted, start=1):
            label = f"DOI {value}" if kind == "doi" else f"PMID {value}"
            if progress:
                progress(step, len(wanted), label)
            try:
                if kind == "doi":
                    record = crossref.fetch_doi(
                        value, client, sleep=library.retry_sleep
                    )
                else:
                    (record,) = pubmed.fetch_pmids(
                        [value],
                        client,
                        sleep=library.retry_sleep,
                        limiter=ratelimits.ncbi_limiter(sleep=library.retry_sleep),
                    )
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
    if RETRACTION_SEVERITY.get(status, 0) > RETRACTION_SEVERITY.get(
        source.retraction_status, 0
    ):
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
