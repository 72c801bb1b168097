"""Copying a page copies its reviews, explicitly.

Decisions and authorship belong to a page (`evidence.review.data`). A copy
made in Wagtail (the admin's copy view, `page.copy()` from code, "publish
copies") is the same text the reviewers read, so it gets a copy of every
decision and authorship record of its original, with the original dates and
reviewers; from then on the two pages' reviews are separate, and an edit on
either voids only its own approvals. An alias gets nothing: it has no
decisions of its own and follows its original (`decision_page_id`).

The copy is recognised by how Wagtail makes it, never by block ids alone:
- `GatedPage.copy()` (code) and the `after_copy_page` hook (the admin's copy
  view, including copied subpages) call `copy_reviews(original, copy)`;
- a copy saved live ("publish copies") is inserted with its original's
  `live_revision`, so the `pre_save` guard knows the original before the
  row exists (`copied_from`) and checks the copy against the original's
  reviews; `copy_reviews` then runs once the copy has an id.
"""

from __future__ import annotations

from django.db import transaction

from evidence.models import PassageAuthorship, ReviewDecision

_DECISION_FIELDS = (
    "revision_id",
    "block_id",
    "fingerprint",
    "excerpt",
    "decision",
    "certainty",
    "suggested_certainty",
    "certainty_reason",
    "note",
    "reviewer_id",
)


def copied_from(instance) -> int | None:
    """The page a new, unsaved page row is a live copy of, else None.

    Wagtail's copy keeps the original's `live_revision` on a copy it saves
    live; nothing else inserts a page row pointing at another page's
    revision.
    """
    if instance.pk is not None or not getattr(instance, "live_revision_id", None):
        return None
    if getattr(instance, "alias_of_id", None) is not None:
        return None  # an alias follows its original; it gets no copies
    from wagtail.models import Revision

    object_id = (
        Revision.objects.filter(pk=instance.live_revision_id)
        .values_list("object_id", flat=True)
        .first()
    )
    return int(object_id) if object_id else None


def copy_reviews(original_id: int, copy_id: int) -> int:
    """Give page `copy_id` a copy of every decision and authorship record of
    page `original_id`. Does nothing when the copy already has decisions (it
    was copied already). Returns how many decisions were copied."""
    if original_id == copy_id:
        return 0
    with transaction.atomic():
        if ReviewDecision.objects.filter(page_id=copy_id).exists():
            return 0
        originals = list(
            ReviewDecision.objects.filter(page_id=original_id).order_by(
                "created_at", "pk"
            )
        )
        # One by one, so each copy is saved as any decision is (the audit
        # trail appends it to the copy's chain); then the original dates.
        copies = [
            ReviewDecision.objects.create(
                page_id=copy_id,
                **{name: getattr(d, name) for name in _DECISION_FIELDS},
            )
            for d in originals
        ]
        for copy, original in zip(copies, originals, strict=True):
            copy.created_at = original.created_at
        if copies:
            ReviewDecision.objects.bulk_update(copies, ["created_at"])
        authorship = list(PassageAuthorship.objects.filter(page_id=original_id))
        keys = {(a.block_id, a.text_hash) for a in authorship}
        # The copy's own revisions credited whoever saved them (the person
        # copying, for the copy's new revision): the original's authors win.
        for block_id, text_hash in keys:
            PassageAuthorship.objects.filter(
                page_id=copy_id, block_id=block_id, text_hash=text_hash
            ).delete()
        PassageAuthorship.objects.bulk_create(
            [
                PassageAuthorship(
                    page_id=copy_id,
                    block_id=a.block_id,
                    text_hash=a.text_hash,
                    revision_id=a.revision_id,
                    author_id=a.author_id,
                )
                for a in authorship
            ],
            ignore_conflicts=True,
        )
    return len(copies)


def copy_tree_reviews(original, copy) -> None:
    """`copy_reviews` for a copied page and each of its copied subpages
    (matched by their path below the copied page)."""
    from wagtail.models import Page

    copy_reviews(original.pk, copy.pk)
    originals = {
        page.url_path.removeprefix(original.url_path): page.pk
        for page in Page.objects.descendant_of(original).only("pk", "url_path")
    }
    for page in Page.objects.descendant_of(copy).only("pk", "url_path"):
        source = originals.get(page.url_path.removeprefix(copy.url_path))
        if source is not None:
            copy_reviews(source, page.pk)


def backfill_earlier_copies(models) -> int:
    """Give pages copied before decisions were scoped to their page the
    reviews they were copied with. Returns how many pages got some.

    `models` maps names to model classes ("ReviewDecision",
    "PassageAuthorship", "Revision", "PageLogEntry"): the real ones, or a
    migration's historical ones. A copy is recognised as Wagtail makes it:
    a "wagtail.copy" entry in its log, and copies of its original's
    revisions (a copied revision keeps its `created_at`). The original is the
    other page holding revisions with all those dates, the first one to
    have them. Only decisions given before the copy are copied. A page that
    merely shares block ids is not a copy and gets nothing.
    """
    Decision = models["ReviewDecision"]
    Authorship = models["PassageAuthorship"]
    Revision = models["Revision"]
    LogEntry = models["PageLogEntry"]
    done = 0
    copies = LogEntry.objects.filter(action="wagtail.copy").order_by("timestamp")
    for entry in copies.values("page_id", "timestamp"):
        copy_id = entry["page_id"]
        if Decision.objects.filter(page_id=copy_id).exists():
            continue
        own = Revision.objects.filter(object_id=str(copy_id)).order_by("created_at")
        times = list(own.values_list("created_at", flat=True))[:-1]  # copied ones
        if not times:
            continue
        twins = (
            Revision.objects.filter(created_at__in=times)
            .exclude(object_id=str(copy_id))
            .order_by("pk")
            .values_list("object_id", "created_at")
        )
        dates_of: dict[str, set] = {}
        for object_id, created_at in twins:
            dates_of.setdefault(object_id, set()).add(created_at)
        wanted = set(times)
        originals = [oid for oid, dates in dates_of.items() if dates >= wanted]
        if not originals:
            continue
        original_id = int(originals[0])  # the first to hold them: the original
        given = list(
            Decision.objects.filter(
                page_id=original_id, created_at__lte=entry["timestamp"]
            ).order_by("created_at", "pk")
        )
        if not given:
            continue
        fields = [*_DECISION_FIELDS, "created_at"]
        made = Decision.objects.bulk_create(
            [
                Decision(page_id=copy_id, **{n: getattr(d, n) for n in fields})
                for d in given
            ]
        )
        for row, decision in zip(made, given, strict=True):
            row.created_at = decision.created_at
        if made and made[0].pk is not None:
            Decision.objects.bulk_update(made, ["created_at"])
        Authorship.objects.bulk_create(
            [
                Authorship(
                    page_id=copy_id,
                    block_id=a.block_id,
                    text_hash=a.text_hash,
                    revision_id=a.revision_id,
                    author_id=a.author_id,
                )
                for a in Authorship.objects.filter(page_id=original_id)
            ],
            ignore_conflicts=True,
        )
        done += 1
    return done
