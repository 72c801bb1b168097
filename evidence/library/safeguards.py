"""Evidence may not be weakened quietly.

A medical reviewer's approval of a passage rests on the Sources it cites as
they were then (their evidence fields are part of the passage's
fingerprint), so any change to them voids the approval. Two changes weaken
evidence that readers already trust and are a medical reviewer's decision,
with a note, logged on the Source:

- lowering a retraction status (a retraction set back to "none", an
  expression of concern set back to a correction);
- changing a grade a medical reviewer confirmed.

A Source cited by a live page (its live version or any saved revision)
cannot be deleted: the page would show a citation to nothing, and restoring
an old revision would bring it back. Merge it into another Source instead.

The rules run in the Source form, the API and, as a backstop for code, in
`pre_save` and `pre_delete` receivers. `QuerySet.update()` and
`QuerySet.delete()` bypass the receivers (see docs/publish-gate.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from evidence.models import EVIDENCE_FIELDS, Source
from evidence.roles import is_medical_reviewer
from evidence.vocab import RETRACTION_SEVERITY

EVIDENCE_CHANGE_LOG_ACTION = "evidence.evidence_change"
FACT_FIELDS = ("study_design", "population", "sample_size", "intervention", "route")


class EvidenceChangeRefused(ValidationError):
    """A change to a Source that needs a medical reviewer and a note."""


class SourceInUse(ValidationError):
    """A Source that cannot be deleted while live pages cite it."""

    def __init__(self, message, pages):
        self.pages = list(pages)
        super().__init__(message)


@dataclass(frozen=True)
class Weakening:
    field: str
    before: object
    after: object

    def describe(self) -> str:
        if self.field == "retraction_status":
            return _("retraction status lowered from “%(before)s” to “%(after)s”") % {
                "before": self.before,
                "after": self.after,
            }
        return _("confirmed grade changed from %(before)s to %(after)s") % {
            "before": self.before or "—",
            "after": self.after or "—",
        }


def _stored(source: Source) -> dict | None:
    values = source.stored_evidence()
    return dict(zip(EVIDENCE_FIELDS, values, strict=True)) if values else None


def weakenings(source: Source) -> list[Weakening]:
    """The changes in `source` (not yet saved) that weaken its evidence."""
    before = _stored(source)
    if before is None:
        return []
    found = []
    old, new = before["retraction_status"], source.retraction_status
    if RETRACTION_SEVERITY.get(new, 0) < RETRACTION_SEVERITY.get(old, 0):
        found.append(Weakening("retraction_status", old, new))
    if before["grade_confirmed_by_id"] is not None and before["grade"] != source.grade:
        found.append(Weakening("grade", before["grade"], source.grade))
    return found


def changed_facts(source: Source) -> list[str]:
    """The study facts (design, population, n, intervention, route) that
    differ from what is stored."""
    before = _stored(source)
    if before is None:
        return []
    return [name for name in FACT_FIELDS if before[name] != getattr(source, name)]


def check_evidence_change(source: Source, user, note: str = "") -> list[Weakening]:
    """Raise EvidenceChangeRefused unless `user` may make these changes.

    Returns the weakening changes found (an empty list when there are none).
    """
    found = weakenings(source)
    if not found:
        return found
    described = "; ".join(w.describe() for w in found)
    if not is_medical_reviewer(user):
        raise EvidenceChangeRefused(
            _(
                "Only a medical reviewer can make this change (%(changes)s): "
                "readers rely on it. Ask a medical reviewer."
            )
            % {"changes": described}
        )
    if not (note or "").strip():
        raise EvidenceChangeRefused(
            _("Say why (%(changes)s): this change needs a note for the record.")
            % {"changes": described}
        )
    return found


def apply_evidence_change(source: Source, user, note: str = "") -> Source:
    """Prepare `source` for saving by `user`: check the weakening changes,
    keep the grade confirmation honest, and let the save through.

    A grade set or changed by a medical reviewer counts as confirmed by
    them; set by anyone else it awaits confirmation. A change to the study
    facts by anyone but a medical reviewer leaves the grade unconfirmed: it
    was confirmed for other facts. Call `log_evidence_change` after saving.
    """
    found = check_evidence_change(source, user, note)
    before = _stored(source)
    if before is not None:
        reviewer = is_medical_reviewer(user)
        if before["grade"] != source.grade:
            _confirm(source, user if reviewer else None)
        elif changed_facts(source) and not reviewer:
            _confirm(source, None)
    elif source.grade:
        _confirm(source, user if is_medical_reviewer(user) else None)
    source._evidence_change = (user, (note or "").strip(), found)
    return source


def _confirm(source: Source, user) -> None:
    from django.utils import timezone

    source.grade_confirmed_by = user
    source.grade_confirmed_at = timezone.now() if user is not None else None


def log_evidence_change(source: Source) -> None:
    """Log on the Source the weakening changes just saved, with the note."""
    user, note, found = getattr(source, "_evidence_change", (None, "", []))
    if found:
        log(
            instance=source,
            action=EVIDENCE_CHANGE_LOG_ACTION,
            user=user,
            data={
                "changes": [
                    {"field": w.field, "before": w.before, "after": w.after}
                    for w in found
                ],
                "note": note,
            },
        )
    source._evidence_change = None


def live_pages_citing(source: Source) -> list:
    """Live pages whose live version or any saved revision cites `source`."""
    from evidence.library.merging import citing_pages

    return [c.page for c in citing_pages(source) if c.page.live]


def deletion_refusal(source: Source) -> SourceInUse | None:
    pages = live_pages_citing(source)
    if not pages:
        return None
    titles = ", ".join(f"“{page.title}”" for page in pages[:10])
    more = len(pages) - 10
    if more > 0:
        titles += " " + _("and %(count)d more") % {"count": more}
    return SourceInUse(
        _(
            "“%(source)s” cannot be deleted: live pages cite it (%(pages)s). "
            "Replace the citations, or merge this source into another one."
        )
        % {"source": source, "pages": titles},
        pages,
    )


def ensure_deletable(source: Source) -> None:
    if refusal := deletion_refusal(source):
        raise refusal


def _source_saving(sender, instance, raw=False, **kwargs):
    if raw:
        return
    change = getattr(instance, "_evidence_change", None)
    if change is None and (found := weakenings(instance)):
        raise EvidenceChangeRefused(
            _(
                "%(changes)s: only a medical reviewer can make this change, "
                "with a note (evidence.library.safeguards.apply_evidence_change)."
            )
            % {"changes": "; ".join(w.describe() for w in found)}
        )


def _source_deleting(sender, instance, **kwargs):
    ensure_deletable(instance)


def connect() -> None:
    pre_save.connect(
        _source_saving, sender=Source, dispatch_uid="evidence.source_saving"
    )
    pre_delete.connect(
        _source_deleting, sender=Source, dispatch_uid="evidence.source_deleting"
    )
