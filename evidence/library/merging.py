"""Merging two Sources that describe one paper.

Merging moves every citation of the duplicate, in live pages and in every
saved revision, to the Source kept, then deletes the duplicate.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from wagtail.fields import StreamField
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex, Revision

from evidence.library.importing import (
    BIBLIOGRAPHIC_FIELDS,
    IDENTIFIER_FIELDS,
    RETRACTION_FIELDS,
    STUDY_FIELDS,
)
from evidence.library.matching import differ
from evidence.models import Source
from evidence.vocab import RETRACTION_SEVERITY, Route, Stance

logger = logging.getLogger(__name__)

MERGE_FIELDS = (
    *BIBLIOGRAPHIC_FIELDS,
    *IDENTIFIER_FIELDS,
    *STUDY_FIELDS,
    "grade",
    "grade_rationale",
)


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
        if differ(a, b):
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
    if RETRACTION_SEVERITY.get(
        duplicate.retraction_status, 0
    ) > RETRACTION_SEVERITY.get(keep.retraction_status, 0):
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
