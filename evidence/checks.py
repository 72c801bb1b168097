"""System checks: every text a gated page shows is a reviewable unit.

The promise is that nothing a reader or a search engine sees goes live
unreviewed. A page type's text lives in its model fields and in its
passages stream; these checks fail (at `manage.py check`, `runserver`,
`migrate` and in the test run) when a gated page type has

- a text field (a `CharField`, `TextField`, rich text or stream field that
  an editor can fill) that is neither a reviewed field
  (`GatedPage.reviewed_fields`), nor its passages field, nor named in
  `GatedPage.unreviewed_fields` with the reason no reader sees it
  (`evidence.E001`);
- a block in its passages stream that is not a `PassageBlock`, so the
  unit reader would skip it (`evidence.E002`);
- a reviewed field that does not exist (`evidence.E003`).

Fields with fixed choices are not free text and are left out.
"""

from __future__ import annotations

from django.core import checks
from django.db import models
from wagtail.fields import StreamField

from evidence.blocks import PassageBlock

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, StreamField)


def text_fields(model) -> list[str]:
    """The editable free-text fields of `model`, concrete ones only."""
    names = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, TEXT_FIELDS) or field.choices:
            continue
        if not field.editable and field.name not in getattr(
            model, "unreviewed_fields", {}
        ):
            continue
        names.append(field.name)
    return names


def unit_problems(model) -> list[checks.CheckMessage]:
    """What `model` (a gated page type) shows that no reviewer would read."""
    label = model._meta.label
    reviewed = set(getattr(model, "reviewed_fields", ()) or ())
    passages = getattr(model, "passages_field", "") or ""
    excused = getattr(model, "unreviewed_fields", {}) or {}
    found = []
    for name in text_fields(model):
        if name in reviewed or name == passages or name in excused:
            continue
        found.append(
            checks.Error(
                f"{label}.{name} is a text field readers may see, but it is "
                "not a reviewable unit, so it would go live unreviewed.",
                hint=(
                    f"Add '{name}' to {model.__name__}.reviewed_fields (in page "
                    "order), or name it in unreviewed_fields with the reason "
                    "no reader or search engine sees it."
                ),
                obj=model,
                id="evidence.E001",
            )
        )
    field_names = {f.name for f in model._meta.get_fields()}
    for name in reviewed:
        if name not in field_names:
            found.append(
                checks.Error(
                    f"{label}.reviewed_fields names '{name}', which is not a "
                    "field of the page type.",
                    hint="Remove it from reviewed_fields or add the field.",
                    obj=model,
                    id="evidence.E003",
                )
            )
    if passages:
        try:
            stream = model._meta.get_field(passages)
        except Exception:  # noqa: BLE001 (reported as a check error)
            stream = None
        stream_block = getattr(stream, "stream_block", None)
        if stream_block is None:
            found.append(
                checks.Error(
                    f"{label}.passages_field names '{passages}', which is not a "
                    "stream field of the page type.",
                    obj=model,
                    id="evidence.E002",
                )
            )
        else:
            for name, child in stream_block.child_blocks.items():
                if not isinstance(child, PassageBlock):
                    found.append(
                        checks.Error(
                            f"{label}.{passages} has a '{name}' block "
                            f"({type(child).__name__}) that is not a passage "
                            "block, so the gate and the review screen would "
                            "never read it.",
                            hint=(
                                "Make it a subclass of evidence.blocks."
                                "PassageBlock, saying how its value reads "
                                "(passage_content, passage_text)."
                            ),
                            obj=model,
                            id="evidence.E002",
                        )
                    )
    return found


@checks.register()
def gated_pages_review_every_text(app_configs=None, **kwargs):
    """evidence.E001-E003 for every gated page type."""
    from evidence.page import gated_page_models

    found = []
    for model in gated_page_models():
        found += unit_problems(model)
    return found
