"""What changed and when, for readers: the article's Updates list, the dates
it shows and schema.org states, and "see what changed" between versions.

Built from the versions that went live (`evidence.models.PublishedVersion`,
written on every publish with the kind of change and the editor's note):

- a minor edit makes no entry and leaves the dates readers see alone: the
  date modified and the "last reviewed" date are those of the latest
  substantive version (first publication, update or correction);
- updates and corrections are listed newest first, with their date and
  note; a correction made in the last `CORRECTION_PROMINENT_DAYS` days is
  also shown at the top of the article;
- each entry links to the comparison with the version before it: its
  title, standfirst, subject and search engine text, and its claims
  (`evidence.audit.changes`).

No query for an article published once; one for an article republished
since (none once cached: the key names the live version and when it was
published, so a new publish never meets a stale list).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.core.cache import cache
from django.utils import timezone

from evidence.audit.changes import ClaimChange, compare_texts
from evidence.models import PublishedVersion
from evidence.vocab import ChangeKind

CORRECTION_PROMINENT_DAYS = 30
_FIELDS = ("event_seq", "published_at", "kind", "note", "last_reviewed_at")


@dataclass(frozen=True)
class Update:
    """One entry of the Updates list."""

    version: int  # the publish event's number in the audit chain
    date: datetime
    kind: str
    note: str
    previous: int | None  # the version it is compared with

    @property
    def is_correction(self) -> bool:
        return self.kind == ChangeKind.CORRECTION

    @property
    def label(self) -> str:
        return str(ChangeKind(self.kind).label)

    @property
    def compare_path(self) -> str:
        """The comparison's address, relative to the article's."""
        if self.previous is None:
            return ""
        return f"changes/{self.previous}/{self.version}/"


@dataclass(frozen=True)
class Updates:
    entries: list[Update] = field(default_factory=list)  # newest first
    date_modified: datetime | None = None
    last_reviewed_at: datetime | None = None
    published: int = 0  # how many versions went live

    @property
    def corrections(self) -> list[Update]:
        return [u for u in self.entries if u.is_correction]

    def recent_corrections(self, today=None) -> list[Update]:
        """Corrections made in the last `CORRECTION_PROMINENT_DAYS` days,
        counted in calendar days (UTC), as the fragment key counts them."""
        today = today or _today()
        return [
            u
            for u in self.corrections
            if (today - _day(u.date)).days <= CORRECTION_PROMINENT_DAYS
        ]

    @property
    def prominent_corrections(self) -> list[Update]:
        return self.recent_corrections()


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _today() -> date:
    return _day(timezone.now())


def prominence_days(page) -> str | None:
    """Today's date while a correction of `page` could still be shown at the
    top (its last publish was at most `CORRECTION_PROMINENT_DAYS` days
    ago), else None: what a cached article fragment's key must name."""
    last = getattr(page, "last_published_at", None)
    if last is None:
        return None
    today = _today()
    if (today - _day(last)).days > CORRECTION_PROMINENT_DAYS:
        return None
    return today.isoformat()


def _rows(page) -> list[tuple]:
    published = getattr(page, "last_published_at", None)
    key = "nadsite:updates:{}:{}:{}".format(
        page.pk,
        getattr(page, "live_revision_id", None),
        published.timestamp() if published else "",
    )
    rows = cache.get(key)
    if rows is None:
        rows = list(PublishedVersion.objects.of_page(page.pk).values_list(*_FIELDS))
        cache.set(key, rows, 24 * 3600)
    return rows


def article_updates(page) -> Updates:
    """The Updates of `page` (its versions that went live, as readers see
    them); empty for a page never published."""
    if getattr(page, "pk", None) is None:
        return Updates()
    first = getattr(page, "first_published_at", None)
    if first is None or first == getattr(page, "last_published_at", None):
        # Never published, or published once: no updates, and the dates are
        # the first publication's (no query: most articles are here).
        return Updates(published=0 if first is None else 1)
    rows = _rows(page)
    entries = []
    previous = None
    date_modified = reviewed = None
    for seq, published_at, kind, note, last_reviewed_at in rows:
        if kind == ChangeKind.MINOR:
            continue
        if kind != ChangeKind.FIRST:
            entries.append(Update(seq, published_at, kind, note, previous))
        previous = seq
        date_modified = published_at
        reviewed = last_reviewed_at
    entries.reverse()
    return Updates(entries, date_modified, reviewed, len(rows))


@dataclass(frozen=True)
class Comparison:
    """Two published versions, compared (`compare_texts`)."""

    old: PublishedVersion
    new: PublishedVersion
    changes: list[ClaimChange]

    @property
    def search_only(self) -> bool:
        """Only what search engines show changed, of what is compared."""
        return bool(self.changes) and all(c.search_only for c in self.changes)


def compare_versions(page, old_seq: int, new_seq: int) -> Comparison | None:
    """The comparison of two of `page`'s published versions (named by their
    publish event's number), or None when either is not one of them."""
    versions = {
        v.event_seq: v
        for v in PublishedVersion.objects.filter(
            page_id=page.pk, event_seq__in=[old_seq, new_seq]
        )
    }
    if old_seq not in versions or new_seq not in versions or old_seq >= new_seq:
        return None
    old, new = versions[old_seq], versions[new_seq]
    return Comparison(old, new, compare_texts(old.text, new.text))
