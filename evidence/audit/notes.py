"""What an editor says when republishing a live article: a kind and a note.

Republishing a live page asks for the kind of change (`ChangeKind`): a
minor edit (typo, layout: no public entry, the dates readers see stay as
they were), an update (new evidence, rewording) or a correction (something
was wrong), with a short note for readers (required for updates and
corrections). The editor's form, and our API's publish, ask for it; it is
kept for the revision (`ChangeNote`) and recorded with the publish event
(`evidence.audit.signals.record_publish`). A version published without one
(a workflow approval, a schedule, a bulk publish of a version whose editor
gave none) counts as an update without a note.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from evidence.models import ChangeNote
from evidence.vocab import ChangeKind

NOTE_MAX_LENGTH = 500
REPUBLISH_KINDS = (ChangeKind.MINOR, ChangeKind.UPDATE, ChangeKind.CORRECTION)
NOTE_REQUIRED = frozenset({ChangeKind.UPDATE, ChangeKind.CORRECTION})


def needs_change_note(page) -> bool:
    """Whether publishing `page` now republishes a live article."""
    return bool(getattr(page, "pk", None)) and bool(getattr(page, "live", False))


def change_note_problems(kind, note) -> dict[str, str]:
    """What is wrong with this kind and note for a republish, by field."""
    kind = (kind or "").strip()
    note = (note or "").strip()
    problems = {}
    if kind not in REPUBLISH_KINDS:
        problems["change_kind"] = _(
            "This article is live: say what kind of change this is (minor "
            "edit, update or correction) before publishing it again."
        )
    elif kind in NOTE_REQUIRED and not note:
        problems["change_note"] = _(
            "Readers see a note with every update and correction: say in a "
            "sentence what changed."
        )
    if len(note) > NOTE_MAX_LENGTH:
        problems["change_note"] = _(
            "Keep the note to %(count)d characters or fewer."
        ) % {"count": NOTE_MAX_LENGTH}
    return problems


def record_change_note(revision, kind, note="", user=None) -> ChangeNote | None:
    """Keep the kind and note for `revision` (replacing an earlier one);
    nothing when no valid kind is given."""
    kind = (kind or "").strip()
    if revision is None or kind not in REPUBLISH_KINDS:
        return None
    note_row, _created = ChangeNote.objects.update_or_create(
        revision=revision,
        defaults={
            "page_id": int(revision.object_id),
            "kind": kind,
            "note": (note or "").strip()[:NOTE_MAX_LENGTH],
            "user": user if getattr(user, "pk", None) else None,
        },
    )
    return note_row


def note_from_request(request, page) -> ChangeNote | None:
    """After the editor saved or is publishing `page`: keep the kind and note
    the form sent, for the revision just saved."""
    if request.method != "POST" or not needs_change_note(page):
        return None
    return record_change_note(
        page.get_latest_revision(),
        request.POST.get("change_kind"),
        request.POST.get("change_note"),
        request.user,
    )
