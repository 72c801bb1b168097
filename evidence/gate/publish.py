"""Publishing through the gate: the check and the publish in one transaction.

`gated_publish` is what a page's `publish()` runs, `publish_latest` what the
API and commands call, and `guard_live_save` the `pre_save` backstop for
every path that saves a gated page as live without either.

Every path ends in `guard_live_save`, which also writes the version's
publish snapshot (`evidence.models.PublishSnapshot`): what the gate decided
for each unit of the version going live, and the byline. It is written
before the page row is saved (in the same transaction when the path has
one), so a live version never lacks its snapshot; a page saved live for the
first time gets its snapshot as soon as it has an id (`record_pending_snapshot`).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.gate import PublishBlocked, ensure_publishable
from evidence.gate.rules import GateResult, evaluate
from evidence.models import PublishSnapshot, UnitOutcome
from evidence.passages import keeps_byline, reviewed_field_names
from evidence.review.copies import copied_from, copy_reviews
from evidence.review.state import Status
from evidence.roles import reviewer_credentials, reviewer_name

logger = logging.getLogger(__name__)


def byline(result: GateResult) -> tuple[list, object]:
    """The reviewers whose approvals count, and when they last approved.

    Taken from the decisions themselves, never from the publish date.
    """
    reviewers = {}
    latest = None
    for review in result.states.values():
        if review.status != Status.APPROVED:
            continue
        for user in review.reviewers:
            reviewers.setdefault(user.pk, user)
        decided = review.decision.created_at
        latest = decided if latest is None or decided > latest else latest
    return list(reviewers.values()), latest


def apply_byline(page, result: GateResult) -> None:
    """Credit the approving reviewers on the version about to be saved live
    (on a page type that keeps a byline: an index page has none)."""
    if not keeps_byline(page):
        return
    reviewers, latest = byline(result)
    page.reviewed_by = reviewers
    page.last_reviewed_at = latest


def snapshot_units(result: GateResult) -> dict[str, dict]:
    """Every unit the gate evaluated, as the snapshot records it: its status,
    the certainty recorded with its approval, the reviewers whose decisions
    count, when the deciding decision was given, and its fingerprint."""
    fingerprints = {unit.block_id: unit.fingerprint for unit in result.units}
    units = {}
    for unit_id, review in result.states.items():
        decision = review.decision
        units[unit_id] = UnitOutcome(
            status=review.status,
            certainty=review.certainty,
            reviewer_ids=tuple(dict.fromkeys(d.reviewer_id for d in review.counted)),
            decided_at=decision.created_at if decision is not None else None,
            fingerprint=fingerprints.get(unit_id, ""),
        ).as_json()
    return units


def snapshot_people(user_ids) -> dict[str, dict]:
    """How each of these reviewers is credited now (one query): the name
    and credentials of their reviewer profile, else their full name."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=set(user_ids))
    return {
        str(user.pk): {
            "name": reviewer_name(user),
            "credentials": reviewer_credentials(user),
        }
        for user in users.select_related("reviewer_profile")
    }


def _snapshot_fields(result: GateResult, byline_of=None) -> dict:
    reviewers, latest = byline_of if byline_of is not None else byline(result)
    units = snapshot_units(result)
    reviewer_ids = sorted(user.pk for user in reviewers)
    credited = {pk for unit in units.values() for pk in unit["reviewers"]}
    return {
        "units": units,
        "people": snapshot_people({*credited, *reviewer_ids}),
        "reviewer_ids": reviewer_ids,
        "last_reviewed_at": latest,
    }


def record_snapshot(page_id, revision_id, result: GateResult, byline_of=None):
    """Write the snapshot of `revision_id` of page `page_id` from the gate's
    verdict (replacing an earlier one of the same revision). `byline_of`
    (reviewers, date) overrides the byline worked out from the verdict."""
    snapshot, _created = PublishSnapshot.objects.update_or_create(
        page_id=page_id,
        revision_id=revision_id,
        defaults=_snapshot_fields(result, byline_of),
    )
    return snapshot


def provisional_snapshot(page) -> PublishSnapshot:
    """The snapshot this version of `page` would get if it went live now,
    unsaved: what a preview shows."""
    return PublishSnapshot(
        page_id=page.pk,
        revision_id=None,
        **_snapshot_fields(evaluate(page)),
    )


def record_pending_snapshot(instance) -> None:
    """After a gated page was first saved live: write the snapshot the gate
    worked out before it had an id (`guard_live_save`)."""
    original = instance.__dict__.pop("_reviews_of", None)
    if original is not None and instance.pk is not None:
        copy_reviews(original, instance.pk)
    result = instance.__dict__.pop("_publish_verdict", None)
    if result is not None and instance.pk is not None:
        snapshot = record_snapshot(instance.pk, instance.live_revision_id, result)
        instance._published_snapshot = snapshot  # for the audit trail


def changed_units(
    page, snapshot: PublishSnapshot | None, result: GateResult | None = None
) -> list[str]:
    """Ids of the units of live `page` whose review outcome (status,
    certainty or credited reviewers) differs today from its snapshot.

    `result` is the gate's verdict on the live version when the caller
    already has it.
    """
    recorded = snapshot.units if snapshot is not None else {}
    now = snapshot_units(result if result is not None else evaluate(page))
    keys = ("status", "certainty", "reviewers")
    return [
        unit_id
        for unit_id, outcome in now.items()
        if unit_id not in recorded
        or any(outcome[key] != recorded[unit_id].get(key) for key in keys)
    ]


def record_missing_snapshots(models) -> int:
    """Write a snapshot for every live page of these gated types whose live
    version has none (pages that went live before snapshots were kept).

    Its units are what the gate says of the live version now, which is
    what readers were shown until then; its byline is the one stored on
    the page when it went live, when the page type keeps one. Returns how
    many were written.
    """
    from django.db.models import Exists, OuterRef
    from wagtail.models import Page

    if not models:
        return 0
    live = Page.objects.live().type(*models)
    with_revision = live.filter(live_revision__isnull=False).exclude(
        Exists(
            PublishSnapshot.objects.filter(
                page=OuterRef("pk"), revision=OuterRef("live_revision")
            )
        )
    )
    without_revision = live.filter(live_revision__isnull=True).exclude(
        Exists(
            PublishSnapshot.objects.filter(page=OuterRef("pk"), revision__isnull=True)
        )
    )
    ids = [
        *with_revision.values_list("pk", flat=True),
        *without_revision.values_list("pk", flat=True),
    ]
    written = 0
    for page in Page.objects.filter(pk__in=ids).specific().iterator(chunk_size=100):
        stored = None
        if hasattr(page, "last_reviewed_at") and hasattr(page, "reviewed_by"):
            stored = (list(page.reviewed_by.all()), page.last_reviewed_at)
        with transaction.atomic():
            record_snapshot(page.pk, page.live_revision_id, evaluate(page), stored)
        written += 1
    return written


def lock_page_row(page_pk):
    """Lock the page's row until the transaction ends; return the locked row."""
    from wagtail.models import Page

    return Page.objects.select_for_update().get(pk=page_pk)


# What a draft save of a live page writes to its row: Wagtail's
# `save_revision` (the latest revision and its date, the admin's title, the
# unpublished-changes flag and the comments) and the lock and unlock views.
# Neither the live content nor the publish state is among them.
_DRAFT_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_id",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "locked_by_id",
    }
)
_READ_LIVE = "_read_live"
_LIVE_FIELDS = frozenset({"live", "live_revision"})
_PUBLISHED_AT = "last_published_at"
_FIRST_PUBLISHED_AT = "first_published_at"


def remember_publish_state(page) -> None:
    """Note whether `page` is live as its row stands now (it was just
    loaded, refreshed or saved): a page noted live is never a stale copy
    (`live_row_since_read`). A page loaded without its `live` field notes
    nothing."""
    if "live" in page.__dict__:
        page.__dict__[_READ_LIVE] = page.live


def carry_publish_state(read, version) -> None:
    """`version` was built from a revision on the row `read` (Wagtail's
    `with_content_json`, what the page editor and `revision.as_object()`
    edit): it carries what `read` noted of the row."""
    if _READ_LIVE in read.__dict__:
        version.__dict__[_READ_LIVE] = read.__dict__[_READ_LIVE]


def draft_fields(update_fields) -> list[str]:
    """Of the fields a save asked to write, those a draft save of a live
    page writes (none of a whole-row save)."""
    from wagtail.models import COMMENTS_RELATION_NAME

    if update_fields is None:
        return []
    allowed = _DRAFT_FIELDS | {COMMENTS_RELATION_NAME}
    return [name for name in update_fields if name in allowed]


def _is_draft_field(field) -> bool:
    from wagtail.models import COMMENTS_RELATION_NAME

    return field.name in _DRAFT_FIELDS or field.name == COMMENTS_RELATION_NAME


def unwritten_changes(page, row, update_fields=None) -> list[str]:
    """The fields a save of `page` asked to write, other than the draft
    fields, whose value differs from the live `row`'s: what a save cut
    down to the draft fields leaves unwritten. Fields `page` never loaded
    are not its edits and are skipped."""
    deferred = page.get_deferred_fields()
    asked = None if update_fields is None else set(update_fields)
    changed = []
    for field in type(row)._meta.concrete_fields:
        if field.primary_key or field.attname in deferred or _is_draft_field(field):
            continue
        if asked is not None and not {field.name, field.attname} & asked:
            continue
        ours = field.get_prep_value(getattr(page, field.attname))
        if ours != field.get_prep_value(getattr(row, field.attname)):
            changed.append(field.name)
    return changed


def _may_be_stale(page) -> bool:
    """Whether `page` holds the page as not live without having read (or
    refreshed) it live: a save of it might overwrite a publish that
    committed since. An object built in memory (`ArticlePage(pk=...)`, a
    plain `Page`'s `with_content_json`) read nothing, so it may be too."""
    return (
        page.pk is not None
        and not page.live
        and page.__dict__.get(_READ_LIVE) is not True
    )


def _holds_publish_date_of(page, row) -> bool:
    """Whether `page` holds the publish date of `row` (a date it never
    loaded is not one it holds)."""
    if _PUBLISHED_AT in page.get_deferred_fields():
        return False
    return page.last_published_at == row.last_published_at


def live_row_since_read(page):
    """The page's row, locked until the transaction ends, when it went live
    after `page` was read (or built); else None. The one test of a stale
    save, for a page of its own type and a plain `Page` alike.

    It went live since when the row is live now and its publish date is not
    the one `page` holds: every way a page goes live dates the row
    (Wagtail's publish, and a save that puts a page live without one, which
    `guard_live_save` dates). The date, and not only what `page` noted when
    read, is the sign because a plain `Page` cannot be told of
    `refresh_from_db()`: one read not live, refreshed after the publish and
    then unpublished holds the row's date and is unpublished as asked.

    The lock is taken on the page table alone, as every publish takes it
    (`lock_page_row`); a page of a gated type then has its own type's row
    read by a second statement, which sees the publish the lock waited for.
    """
    from wagtail.models import Page

    if not _may_be_stale(page):
        return None
    row = Page.objects.select_for_update().filter(pk=page.pk).first()
    if row is None or not row.live or _holds_publish_date_of(page, row):
        return None
    if type(page) is not Page:
        row = type(page)._base_manager.get(pk=page.pk)
    return row


def _warn_unwritten(row, page, dropped, values=None) -> None:
    """Log that a stale save of `page` kept the live `row` and did not write
    `dropped`; with each value not written when no revision keeps it (a
    plain `Page`)."""
    if not dropped:
        return
    extra = {"page_id": page.pk, "unwritten": tuple(dropped)}
    if values is None:
        logger.warning(
            "Page %r (id %s) went live after this copy of it was read, so its "
            "save kept the live version and wrote only the draft fields. Not "
            "written: %s. The edit is kept only as a draft revision: the page "
            "editor and the API save one with the row; code must call "
            "save_revision().",
            row.title,
            page.pk,
            ", ".join(dropped),
            extra=extra,
        )
    else:
        logger.warning(
            "Page %r (id %s) went live after this plain Page copy of it was "
            "read, so its save kept the live version and wrote only the "
            "draft fields. Not written (a plain Page keeps no revision): %s.",
            row.title,
            page.pk,
            ", ".join(f"{name}={value!r:.200}" for name, value in values.items()),
            extra=extra,
        )


def save_keeping_live_content(page, save, update_fields=None):
    """Save `page`, a page of its own gated type, with `save(update_fields)`,
    unless that would overwrite a publish that committed since `page` was
    read (`GatedPage.save`).

    A page read while not live (by the page editor, the API, any code, or a
    revision built on that row), or built in memory, and saved not live
    writes its row as it holds it: its content, and not live, without a
    live revision. Had a publish committed in between, that save would take
    the page offline although the publish answered 200, or put content no
    reviewer checked beside the live flags (issue 12, rule 8). So such a
    save locks the page row first, as every publish does, and if the page
    went live since (`live_row_since_read`) it writes only what a draft
    save of a live page writes (`draft_fields`): the live version and its
    publish state stay exactly as the gate checked them, and the edit
    itself lives on in the revision Wagtail saves with it. The fields left
    unwritten are logged (a warning naming the page). An unpublish (a page
    read live) is left alone.

    The save is cut down here, before Wagtail's `Page.save`, rather than in
    the `pre_save` receiver that keeps a plain `Page`'s promise
    (`keep_live_page_row`): a cut-down save never moves the page (a changed
    slug is not written, so Wagtail moves no descendants) and `page` keeps
    the edit in memory for the revision saved after it. Drafts always save.
    """
    if not _may_be_stale(page):
        result = save(update_fields)
    else:
        with transaction.atomic():
            if (row := live_row_since_read(page)) is not None:
                _warn_unwritten(row, page, unwritten_changes(page, row, update_fields))
                return save(draft_fields(update_fields))
            result = save(update_fields)
    if update_fields is None or "live" in update_fields:
        remember_publish_state(page)
    return result


def keep_live_page_row(page, update_fields=None) -> None:
    """Before a plain `Page` object of a gated page type is saved (inside
    `Page.save`'s transaction): the same promise, by the same test
    (`live_row_since_read`), as `save_keeping_live_content`, for an object
    that is not of the page's own type (`Page.objects.get(...)`, a tree or
    relation lookup).

    Such an object writes the page's own row (the title, the slug, the
    publish state). Read while the page was not live and saved after it
    went live, it would take the page offline and put back the title it
    read. A `pre_save` receiver cannot cut the save down, so every field
    it would write other than the draft fields is set back to the live
    row's before the write, and a warning names the page and each field
    with the value that was not written: a plain `Page` keeps no revision,
    so the log is where that edit survives. A change of address is refused
    instead (ValidationError): Wagtail moves the page's descendants to the
    new address in the same save, before this receiver runs.
    """
    row = live_row_since_read(page)
    if row is None:
        return
    dropped = unwritten_changes(page, row, update_fields)
    if "slug" in dropped:
        raise ValidationError(
            {
                "slug": _(
                    "This page was published after it was read here; read "
                    "it again to change its address."
                )
            }
        )
    unwritten = {}
    for name in dropped:
        attname = row._meta.get_field(name).attname
        unwritten[attname] = getattr(page, attname)
        setattr(page, attname, getattr(row, attname))
    remember_publish_state(page)
    _warn_unwritten(row, page, dropped, unwritten)


def gated_publish(page, revision, publish):
    """Run `publish()` for `revision` only if that version may go live.

    The check and the publish run in one transaction with the page row
    locked, so nothing can change the page between the two.
    """
    with transaction.atomic():
        if page.pk is not None:
            lock_page_row(page.pk)
        ensure_publishable(revision.as_object())
        return publish()


def publish_latest(page, user):
    """Publish the page's latest revision as `user`, through the gate.

    Raises PermissionDenied when the user may not publish the page and
    PublishBlocked, listing every problem, when the version may not go live.
    Returns the published revision.
    """
    if user is None or not page.permissions_for_user(user).can_publish():
        raise PermissionDenied(_("You do not have permission to publish this page."))
    with transaction.atomic():
        locked = lock_page_row(page.pk)
        if locked.latest_revision_id is None:
            raise PublishBlocked.for_page(
                page, [], _("This page has no saved version to publish yet.")
            )
        revision = locked.latest_revision
        revision.publish(user=user)
    return revision


def _shown_fields(model) -> tuple[str, ...]:
    """The fields of a gated page type whose text readers see: its passages
    stream (if it has one) and its reviewed fields."""
    passages = getattr(model, "passages_field", "") or ""
    return (*([passages] if passages else []), *reviewed_field_names(model))


def guard_live_save(instance, update_fields=None) -> None:
    """Backstop for every path that saves a gated page as live.

    Runs before a gated page is saved. When the save makes content live
    (a new live page, a page going live, a publish, a new live revision, or
    changed units: passages or reviewed fields such as the title or an
    introduction), the content must pass the gate, the byline is set from
    the approvals and the version's publish snapshot is written. Saving an
    unchanged live page (a move, a lock) is left alone, so pages that went
    live before a source was retracted can still be moved;
    `audit_live_articles` lists those.
    """
    if not instance.live:
        return
    shown = _shown_fields(type(instance))
    if update_fields is not None and not {*_LIVE_FIELDS, *shown} & set(update_fields):
        return
    old = None
    if instance.pk is not None:
        old = (
            type(instance)
            ._default_manager.filter(pk=instance.pk)
            .only(*_LIVE_FIELDS, _PUBLISHED_AT, _FIRST_PUBLISHED_AT, *shown)
            .first()
        )
    if (
        old is not None
        and old.live
        and old.live_revision_id == instance.live_revision_id
        and old.last_published_at == instance.last_published_at
        and all(
            field.get_prep_value(getattr(old, field.attname))
            == field.get_prep_value(getattr(instance, field.attname))
            for field in map(type(instance)._meta.get_field, shown)
        )
    ):
        return
    if instance.pk is not None and connection.in_atomic_block:
        lock_page_row(instance.pk)
    if (original := copied_from(instance)) is not None:
        # A live copy being inserted: its reviews are its original's until
        # they are copied over once it has an id (record_pending_snapshot).
        instance._reviews_of = original
    result = evaluate(instance)
    if result.problems:
        raise PublishBlocked.for_page(instance, result.problems)
    if update_fields is None:
        apply_byline(instance, result)
    if old is not None:
        date_going_live(instance, old, update_fields)
    if instance.pk is None:
        instance._publish_verdict = result  # recorded once it has an id
    else:
        # Left on the page for the audit trail (evidence.audit.signals),
        # which records the publish once the page row is saved.
        instance._published_snapshot = record_snapshot(
            instance.pk, instance.live_revision_id, result
        )


def date_going_live(instance, old, update_fields=None) -> None:
    """Date a save that puts `instance` live as Wagtail's publish dates a
    publish, when no publish did: a page set live by a save (`page.live =
    True; page.save()`), or a copy read before a publish set live with the
    older date it holds. Its `last_published_at` becomes now (and its
    `first_published_at` too when it has none), as a publish's would: the
    page shows when it went live, and every copy of it read before then
    can tell that it went live since (`live_row_since_read`). Wagtail's
    publish sets a later date itself, and a save of a page already live
    that keeps its date (a changed title) dates nothing. `old` is the row
    before the save; a save of some fields has the dates written beside it,
    in its transaction."""
    from wagtail.models import Page

    held = instance.last_published_at
    if held is not None and (
        old.last_published_at is None or held > old.last_published_at
    ):
        return
    if old.live and held == old.last_published_at:
        return
    now = timezone.now()
    instance.last_published_at = now
    instance.first_published_at = (
        instance.first_published_at or old.first_published_at or now
    )
    if update_fields is not None:
        Page.objects.filter(pk=instance.pk).update(
            last_published_at=now, first_published_at=instance.first_published_at
        )


def guard_plain_page_save(page, model, update_fields=None) -> None:
    """Before a plain `Page` object of the gated type `model` is saved.

    A stale save keeps the live row (`keep_live_page_row`). A save that
    makes the page live, or changes what a live page shows on its own row
    (the title, the SEO title, the search description), goes through the
    gate like a save of the page itself (`guard_live_save`): the version
    checked is the page of its own type as it will stand, the fields the
    save writes from `page` and the rest as stored; its byline is written
    with it, and its snapshot is left on `page`, which the audit trail
    records as a publish once the row is saved.
    """
    if page.pk is None:
        return
    keep_live_page_row(page, update_fields)
    if not page.live:
        return
    if update_fields is not None and not {
        *_LIVE_FIELDS,
        *_shown_fields(model),
    } & set(update_fields):
        return
    lock_page_row(page.pk)  # Page.save runs in a transaction
    version = model._base_manager.get(pk=page.pk)
    written = None if update_fields is None else set(update_fields)
    for field in type(page)._meta.concrete_fields:
        if written is None or {field.name, field.attname} & written:
            setattr(version, field.attname, getattr(page, field.attname))
    guard_live_save(version, update_fields=update_fields)
    # The dates the gate gave a page going live (`date_going_live`).
    page.last_published_at = version.last_published_at
    page.first_published_at = version.first_published_at
    snapshot = version.__dict__.pop("_published_snapshot", None)
    if snapshot is None:
        return
    if update_fields is None and keeps_byline(model):
        version.save(update_fields=["last_reviewed_at", "reviewed_by"], clean=False)
    # Left on the object being saved, as `guard_live_save` does: the audit
    # trail records the publish once the page row is saved, whatever the
    # page type (evidence.audit.signals).
    page._published_snapshot = snapshot
