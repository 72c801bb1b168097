"""Receivers that append to an article's audit chain.

Every saved version (a revision of a gated page), every review decision,
every publish (on any path, a save of a plain `Page` object included: the
gate's `pre_save` guard leaves the publish snapshot it wrote on the object
being saved), every unpublish and every change to a Source that live pages
cite becomes an event, in the same transaction as what it records.

Who did it: the decision's reviewer, the revision's author, and for a
publish or unpublish the user of Wagtail's log context (set for every admin
request, and by our API), else the user who gave the change note.
"""

from __future__ import annotations

import json

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.signals import page_unpublished

from evidence.audit import chain
from evidence.audit.records import (
    DECISION_MEANINGS,
    cited_sources,
    person,
    source_record,
    version_text,
)
from evidence.models import (
    AuditEvent,
    ChangeNote,
    PublishedVersion,
    ReviewDecision,
    Source,
)
from evidence.vocab import AuditKind, ChangeKind

_gated: tuple[type, ...] = ()

# Set by the gate on a page whose version it just let go live
# (`evidence.gate.publish.guard_live_save`).
PUBLISHED_SNAPSHOT = "_published_snapshot"


def _context_user():
    user = get_active_log_context().user
    return user if getattr(user, "is_authenticated", False) else None


def _is_gated_revision(revision) -> bool:
    if not revision.content_type_id:
        return False
    model = ContentType.objects.get_for_id(revision.content_type_id).model_class()
    return model is not None and issubclass(model, _gated)


def _last_saved_hash(page_id: int, revision_id: int) -> str | None:
    """The text hash the trail last recorded for this page, when its last
    save event is of revision `revision_id`."""
    payload = (
        AuditEvent.objects.filter(page_id=page_id, kind=AuditKind.SAVE)
        .order_by("-seq")
        .values_list("payload", flat=True)
        .first()
    )
    data = (json.loads(payload).get("data") or {}) if payload else {}
    return data.get("text_hash") if data.get("revision") == revision_id else None


def revision_saved(
    sender, instance, created=False, raw=False, update_fields=None, **kwargs
):
    """A saved version of a gated page. Wagtail's editor also rewrites its
    latest revision in place (autosave, and "Save draft" in the same
    editing session, pass `overwrite_revision`): each rewrite that changes
    the text is a save event too, marked `overwrite`, so the trail never
    vouches for a revision's text that the revision no longer holds."""
    if raw or not _is_gated_revision(instance):
        return
    if not created and update_fields is not None and "content" not in update_fields:
        return
    version = instance.as_object()
    text = version_text(version)
    text_hash = chain.digest(text)
    page_id = int(instance.object_id)
    if not created and _last_saved_hash(page_id, instance.pk) == text_hash:
        return  # rewritten with the very same text: nothing new to record
    data = {
        "revision": instance.pk,
        "title": text["title"],
        "text_hash": text_hash,
        "units": [[u["id"], u["fingerprint"]] for u in text["units"]],
    }
    if not created:
        data["overwrite"] = True
    chain.append(
        page_id,
        AuditKind.SAVE,
        data,
        actor=person(instance.user),
        at=instance.created_at,
    )


def decision_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or not created:
        return
    chain.append(
        instance.page_id,
        AuditKind.DECISION,
        {
            "decision": instance.pk,
            "unit": instance.block_id,
            "revision": instance.revision_id,
            "fingerprint": instance.fingerprint,
            "excerpt": instance.excerpt,
            "meaning": DECISION_MEANINGS.get(instance.decision, instance.decision),
            "certainty": instance.certainty,
            "certainty_reason": instance.certainty_reason,
            "note": instance.note,
        },
        actor=person(instance.reviewer),
        at=instance.created_at,
    )


def page_saved(sender, instance, raw=False, **kwargs):
    snapshot = instance.__dict__.pop(PUBLISHED_SNAPSHOT, None)
    if raw or snapshot is None:
        return
    if not isinstance(instance, _gated):
        # A plain `Page` object of a gated type set live or changed live
        # (`evidence.gate.publish.guard_plain_page_save`): the version that
        # went live is the page of its own type as this save left it.
        instance = instance.specific_class._base_manager.get(pk=instance.pk)
    record_publish(instance, snapshot)


def record_publish(page, snapshot) -> PublishedVersion:
    """Append the publish event of `page`'s version that just went live, and
    keep its text as a published version."""
    revision_id = snapshot.revision_id
    note = (
        ChangeNote.objects.filter(revision_id=revision_id).first()
        if revision_id
        else None
    )
    # A page live before the trail began has published versions it never
    # recorded: Wagtail's dates say whether this is its first publication.
    first_published = getattr(page, "first_published_at", None)
    earlier = PublishedVersion.objects.filter(page_id=page.pk).exists() or (
        first_published is not None
        and first_published != getattr(page, "last_published_at", None)
    )
    if not earlier:
        kind = ChangeKind.FIRST
    elif note is not None:
        kind = note.kind
    else:
        kind = ChangeKind.UPDATE
    text = version_text(page, snapshot.units)
    text_hash = chain.digest(text)
    actor = person(_context_user() or (note.user if note else None))
    now = timezone.now()
    event = chain.append(
        page.pk,
        AuditKind.PUBLISH,
        {
            "revision": revision_id,
            "kind": kind,
            "note": note.note if note else "",
            "text_hash": text_hash,
            "reviewed_by": [
                {"name": c.name, "credentials": c.credentials}
                for c in snapshot.byline()
            ],
            "last_reviewed_at": snapshot.last_reviewed_at,
            "sources": [source_record(s) for s in cited_sources(text)],
        },
        actor=actor,
        at=now,
    )
    return PublishedVersion.objects.create(
        page_id=page.pk,
        revision_id=revision_id,
        event_seq=event.seq,
        published_at=now,
        kind=kind,
        note=note.note if note else "",
        editor_name=actor["name"] if actor else "",
        last_reviewed_at=snapshot.last_reviewed_at,
        text=text,
        text_hash=text_hash,
    )


def page_was_unpublished(sender, instance, **kwargs):
    if not isinstance(instance, _gated):
        return
    chain.append(
        instance.pk,
        AuditKind.UNPUBLISH,
        {"revision": instance.live_revision_id},
        actor=person(_context_user()),
    )


def source_saving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    before = Source.objects.filter(pk=instance.pk).first()
    instance._audit_before = source_record(before) if before is not None else None


def source_saved(sender, instance, created=False, raw=False, **kwargs):
    before = instance.__dict__.pop("_audit_before", None)
    if raw or created or before is None:
        return
    after = source_record(instance)
    changed = sorted(k for k in after if after[k] != before.get(k))
    if not changed:
        return
    page_ct = ContentType.objects.get_for_model(Page)
    page_ids = set(
        ReferenceIndex.get_references_to(instance)
        .filter(base_content_type=page_ct)
        .values_list("object_id", flat=True)
    )
    live = Page.objects.filter(pk__in=[int(pk) for pk in page_ids], live=True)
    actor = person(_context_user())
    with transaction.atomic():
        for page in live.specific().iterator():
            if isinstance(page, _gated):
                chain.append(
                    page.pk,
                    AuditKind.SOURCE_CHANGE,
                    {
                        "source": after,
                        "changed": changed,
                        "before": {k: before.get(k) for k in changed},
                    },
                    actor=actor,
                )


def connect(models) -> None:
    """Record the trail of these gated page types, and the publishes made
    through plain `Page` objects of them (after the gate's own receivers,
    so a page saved live for the first time has its snapshot)."""
    global _gated
    _gated = tuple(models)
    post_save.connect(
        revision_saved, sender=Revision, dispatch_uid="evidence.audit.revision"
    )
    post_save.connect(
        decision_saved, sender=ReviewDecision, dispatch_uid="evidence.audit.decision"
    )
    for model in (*_gated, Page):
        post_save.connect(
            page_saved,
            sender=model,
            dispatch_uid=f"evidence.audit.page.{model._meta.label_lower}",
        )
    page_unpublished.connect(page_was_unpublished, dispatch_uid="evidence.audit.unpub")
    pre_save.connect(source_saving, sender=Source, dispatch_uid="evidence.audit.src0")
    post_save.connect(source_saved, sender=Source, dispatch_uid="evidence.audit.src1")
