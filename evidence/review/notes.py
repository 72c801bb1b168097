"""A reviewer's "request changes" note, where the writer works.

Requesting changes on a passage (`record_decision`) also leaves a Wagtail
comment on that passage's block, from the reviewer, with the note as its
text: the writer sees it beside the passage in the page editor (the
editor's comments). Each note remembers the passage's fingerprint when it
was written (`evidence.models.PassageNote`); the first revision saved in
which the passage reads otherwise (its text or citations changed, or it was
removed) resolves the comment, in the writer's name. A later approval of
the passage, or its confirmation as not a claim, resolves it too.

Wagtail's comments live on a field or on a field inside a StreamField
block (`contentpath`, "title" or "body.<block id>.text"); the note goes on
a field unit's field (the title, an introduction), on a passage's text,
or on the block's first simple field where the text is a list (Wagtail's
editor has no comment control on a list).
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from wagtail.blocks import FieldBlock, RichTextBlock
from wagtail.models import Comment

from evidence.models import PassageNote
from evidence.passages import Passage, revision_units


def comment_path(page, passage: Passage) -> tuple[str, str]:
    """The comment's `contentpath` for `passage`, and its `position`.

    A rich-text field takes a position (the ranges of the text it is
    about, as Draftail stores them); "[]" means the field as a whole. A
    field unit's note (the title, an introduction) is on its field.
    """
    if passage.is_field:
        return passage.field, ""
    field = getattr(page, "passages_field", "") or ""
    block = passage.block
    children = getattr(block, "child_blocks", {}) or {}
    child = children.get("text")
    name = "text"
    if not isinstance(child, FieldBlock):
        name, child = next(
            ((n, b) for n, b in children.items() if isinstance(b, FieldBlock)),
            ("", None),
        )
    path = ".".join(part for part in (field, passage.block_id, name) if part)
    return path, ("[]" if isinstance(child, RichTextBlock) else "")


def open_note(decision, page, passage: Passage, revision=None) -> PassageNote:
    """The comment on `passage` carrying the note of `decision`."""
    contentpath, position = comment_path(page, passage)
    comment = Comment(
        page_id=page.pk,
        user=decision.reviewer,
        text=decision.note,
        contentpath=contentpath,
        position=position,
        revision_created=revision,
    )
    comment.save(update_position=True)
    comment.log_create(page_revision=revision, user=decision.reviewer)
    return PassageNote.objects.create(
        decision=decision,
        comment=comment,
        page_id=page.pk,
        block_id=passage.block_id,
        fingerprint=passage.fingerprint,
    )


def _resolve(notes, user, revision=None) -> int:
    now = timezone.now()
    resolved = 0
    for note in notes:
        comment = note.comment
        # Comment.save() rewrites every field but the position: update the
        # two that change.
        Comment.objects.filter(pk=comment.pk).update(resolved_at=now, resolved_by=user)
        comment.resolved_at, comment.resolved_by = now, user
        comment.log_resolve(page_revision=revision, user=user)
        resolved += 1
    return resolved


def _open(page_id, **filters):
    return PassageNote.objects.filter(
        page_id=page_id, comment__resolved_at__isnull=True, **filters
    ).select_related("comment", "comment__page")


def resolve_notes_on(page, block_id: str, user, revision=None) -> int:
    """Resolve the open notes on one passage (the reviewer decided again)."""
    return _resolve(list(_open(page.pk, block_id=block_id)), user, revision)


def resolve_notes_after_commit(revision) -> None:
    """Resolve, once the save commits, the notes this revision's passages
    answer.

    Not at once: saving a revision ends with the page saving its comments
    as it loaded them (`Page.save_revision()` commits the comments
    relation), which would undo a resolution made before.
    """
    revision_id = revision.pk

    def resolve():
        from wagtail.models import Revision

        revision = Revision.objects.filter(pk=revision_id).first()
        if revision is not None:
            resolve_changed_notes(revision)

    transaction.on_commit(resolve)


def resolve_changed_notes(revision) -> int:
    """Resolve the open notes whose passage this revision changed or removed.

    One query when the page has no open note (the usual case).
    """
    notes = list(_open(int(revision.object_id)))
    if not notes:
        return 0
    units = revision_units(revision)
    current = {p.block_id: p.fingerprint for p in units}
    changed = [n for n in notes if current.get(n.block_id) != n.fingerprint]
    return _resolve(changed, revision.user, revision)


def open_notes(page) -> list[PassageNote]:
    """The page's unresolved review notes, oldest first."""
    return list(
        _open(page.pk)
        .select_related("decision", "decision__reviewer", "comment__user")
        .order_by("comment__created_at", "pk")
    )


def open_notes_by_page(page_ids) -> dict[int, int]:
    """How many unresolved review notes each page has."""
    rows = (
        PassageNote.objects.filter(
            page_id__in=list(page_ids), comment__resolved_at__isnull=True
        )
        .values("page_id")
        .annotate(n=Count("pk"))
    )
    return Counter({row["page_id"]: row["n"] for row in rows})
