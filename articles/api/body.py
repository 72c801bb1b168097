"""An article body sent to the API, checked and turned into stored blocks.

A body is a list of blocks in the StreamField JSON shape::

    {"type": "paragraph", "id": "…optional…",
     "value": {"text": "<p>…</p>", "role": "claim",
               "citations": [{"source": 12, "stance": "supports",
                              "locator": "Table 2"}]}}

A block sent with its `id` keeps it, so reviews given to that passage still
apply while its text and citations are unchanged; a block without one is new
and gets a fresh id. A field left out of a block takes the block's default,
as a new block in the editor does.

This module checks what JSON cannot be bound to the editor's form: the
shape (types, unknown keys, ids) and that cited Sources exist. The content
rules (a heading's length, a choice, a required field once published) are
the editor form's own (`articles.api.writing`): the rich text is kept as the
editor keeps it (bold, italic, links, superscript, subscript), and
publish-only rules (a claim needs a source, an approval) are the publish
gate's, so an unfinished draft still saves.

Every problem is reported with the block's index in the list and the field
inside it (`citations.0.source`), so a client can point at it.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from evidence.limits import control_character_problem
from evidence.models import Source

MAX_BLOCKS = 500
MAX_ID = 2**63 - 1
BLOCK_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TABLE_KEYS = {
    "data",
    "table_caption",
    "first_row_is_table_header",
    "first_col_is_header",
    "table_header_choice",
}
TABLE_HEADER_CHOICES = {"", "row", "column", "col", "both", "neither"}


@dataclass(frozen=True)
class BodyError:
    index: int | None
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"index": self.index, "field": self.field, "message": self.message}


class BodyInvalid(Exception):
    """The body cannot be saved; `errors` says where and why."""

    def __init__(self, errors: list[BodyError]):
        self.errors = errors
        super().__init__("; ".join(e.message for e in errors))


def stream_block():
    from articles.models import ArticlePage

    return ArticlePage.body.field.stream_block


def _join(path: str, name) -> str:
    return f"{path}.{name}" if path else str(name)


class _ShapeChecker:
    """Checks the JSON types of one block's value against its definition,
    and fills in the defaults of fields left out.

    The editor's form trusts the shape of what it is given; input from the
    API must be checked first, or a number where text belongs would fail
    later with a server error instead of a message.
    """

    def __init__(self, index: int):
        self.index = index
        self.errors: list[BodyError] = []
        self.source_refs: list[tuple[str, int]] = []

    def error(self, path: str, message: str):
        self.errors.append(BodyError(self.index, path, message))

    def text(self, path: str, value: str) -> bool:
        """Whether `value` is text that can be stored; an error if not."""
        if problem := control_character_problem(value):
            self.error(path, problem)
            return False
        return True

    def check(self, block, value, path: str):
        """Return the value ready for the editor's form, or None after an
        error."""
        if isinstance(block, blocks.StructBlock):
            return self._struct(block, value, path)
        if isinstance(block, blocks.ListBlock):
            return self._list(block, value, path)
        if isinstance(block, SnippetChooserBlock):
            return self._chooser(value, path)
        if isinstance(block, TableBlock):
            return self._table(value, path)
        if isinstance(block, blocks.BooleanBlock):
            if not isinstance(value, bool):
                self.error(path, _("Must be true or false."))
            return value
        if isinstance(block, blocks.RichTextBlock):
            if not isinstance(value, str):
                self.error(path, _("Must be HTML text, e.g. “<p>…</p>”."))
                return value
            self.text(path, value)
            return value
        if isinstance(block, blocks.FieldBlock):
            if not isinstance(value, str):
                self.error(path, _("Must be text."))
            else:
                self.text(path, value)
            return value
        return value  # pragma: no cover - every block type is handled above

    def _struct(self, block, value, path):
        if not isinstance(value, dict):
            self.error(path or "value", _("Must be an object with the block's fields."))
            return None
        unknown = sorted(set(value) - set(block.child_blocks))
        for name in unknown:
            self.error(
                _join(path, name),
                _("Unknown field. This block has: %(fields)s.")
                % {"fields": ", ".join(block.child_blocks)},
            )
        checked = {}
        for name, child in block.child_blocks.items():
            if name in value and value[name] is not None:
                checked[name] = self.check(child, value[name], _join(path, name))
            else:
                checked[name] = child.get_prep_value(child.get_default())
        return checked

    def _list(self, block, value, path):
        if not isinstance(value, list):
            self.error(path, _("Must be a list."))
            return None
        if len(value) > MAX_BLOCKS:
            self.error(path, _("At most %(n)s items.") % {"n": MAX_BLOCKS})
            return None
        return [
            self.check(block.child_block, item, _join(path, i))
            for i, item in enumerate(value)
        ]

    def _chooser(self, value, path):
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, _("Must be the id (a number) of a source."))
            return None
        if not 0 < value <= MAX_ID:
            self.error(path, _("Source %(id)s does not exist.") % {"id": value})
            return None
        self.source_refs.append((path, value))
        return value

    def _table(self, value, path):
        if not isinstance(value, dict):
            self.error(path, _('Must be an object: {"data": [[cell, …], …]}.'))
            return None
        for name in sorted(set(value) - TABLE_KEYS):
            self.error(_join(path, name), _("Unknown table field."))
        data = value.get("data")
        if not isinstance(data, list) or not all(
            isinstance(row, list)
            and all(cell is None or isinstance(cell, str) for cell in row)
            for row in data
        ):
            self.error(
                _join(path, "data"),
                _("Must be a list of rows, each a list of text cells."),
            )
        else:
            for r, row in enumerate(data):
                for c, cell in enumerate(row):
                    if cell:
                        self.text(_join(path, f"data.{r}.{c}"), cell)
        caption = value.get("table_caption", "")
        if not isinstance(caption, str):
            self.error(_join(path, "table_caption"), _("Must be text."))
        elif caption:
            self.text(_join(path, "table_caption"), caption)
        for flag in ("first_row_is_table_header", "first_col_is_header"):
            if not isinstance(value.get(flag, False), bool):
                self.error(_join(path, flag), _("Must be true or false."))
        if value.get("table_header_choice", "") not in TABLE_HEADER_CHOICES:
            self.error(
                _join(path, "table_header_choice"),
                _("Must be one of: row, column, both, neither."),
            )
        return dict(value)


def _messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages] if error.messages else [str(error)]


def _flatten(error, index: int, path: str) -> list[BodyError]:
    """Wagtail's nested block errors as (index, field, message) rows."""
    found: list[BodyError] = []
    if isinstance(
        error,
        StructBlockValidationError | ListBlockValidationError,
    ):
        for message in error.non_block_errors.as_data():
            found.extend(BodyError(index, path, m) for m in _messages(message))
        for key, child_error in error.block_errors.items():
            found.extend(_flatten(child_error, index, _join(path, key)))
        return found
    return [BodyError(index, path, m) for m in _messages(error)]


def block_errors(error: StreamBlockValidationError) -> list[BodyError]:
    """The body's errors, as the StreamField reported them, as rows."""
    rows = [
        BodyError(None, "", m)
        for e in error.non_block_errors.as_data()
        for m in _messages(e)
    ]
    for index, block_error in sorted(error.block_errors.items()):
        rows.extend(_flatten(block_error, index, ""))
    return rows


def check_body(data) -> list[dict]:
    """The body's blocks, ready for the editor's form, or BodyInvalid with
    every error."""
    if not isinstance(data, list):
        raise BodyInvalid(
            [BodyError(None, "", _("The body must be a list of blocks."))]
        )
    if len(data) > MAX_BLOCKS:
        raise BodyInvalid(
            [BodyError(None, "", _("At most %(n)s blocks.") % {"n": MAX_BLOCKS})]
        )
    block_def = stream_block()
    types = ", ".join(block_def.child_blocks)
    errors: list[BodyError] = []
    raw: list[dict] = []
    source_refs: list[tuple[int, str, int]] = []
    seen_ids: set[str] = set()
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            errors.append(
                BodyError(
                    index, "", _('Each block must be an object: {"type", "value"}.')
                )
            )
            continue
        for key in sorted(set(item) - {"type", "value", "id"}):
            errors.append(
                BodyError(index, key, _("Unknown key; a block has type, value, id."))
            )
        kind = item.get("type")
        if not isinstance(kind, str) or kind not in block_def.child_blocks:
            errors.append(
                BodyError(
                    index,
                    "type",
                    _("Unknown block type %(type)s. Use one of: %(types)s.")
                    % {"type": repr(kind), "types": types},
                )
            )
            continue
        block_id = item.get("id")
        if block_id is not None:
            if not isinstance(block_id, str) or not BLOCK_ID.match(block_id):
                errors.append(
                    BodyError(
                        index,
                        "id",
                        _(
                            "A block id is up to 64 letters, digits, - or _; "
                            "leave it out for a new block."
                        ),
                    )
                )
                continue
            if block_id in seen_ids:
                errors.append(
                    BodyError(
                        index,
                        "id",
                        _("Two blocks have the id %(id)s; each id must be unique.")
                        % {"id": block_id},
                    )
                )
                continue
            seen_ids.add(block_id)
        checker = _ShapeChecker(index)
        value = checker.check(block_def.child_blocks[kind], item.get("value"), "")
        errors.extend(checker.errors)
        source_refs.extend((index, path, sid) for path, sid in checker.source_refs)
        entry = {"type": kind, "value": value}
        if block_id:
            entry["id"] = block_id
        raw.append(entry)
    wanted = {sid for _i, _p, sid in source_refs}
    existing = (
        set(Source.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted
        else set()
    )
    for index, path, sid in source_refs:
        if sid not in existing:
            errors.append(
                BodyError(
                    index,
                    path,
                    _(
                        "Source %(id)s does not exist. Add it first with "
                        "POST /api/v1/sources/, or find its id with "
                        "GET /api/v1/sources/?doi=…"
                    )
                    % {"id": sid},
                )
            )
    if errors:
        raise BodyInvalid(errors)
    return raw


def refuse_foreign_ids(raw: list[dict], page_id: int | None) -> None:
    """BodyInvalid when a block sent with an id takes an id that belongs to
    another page (one with passages or decisions recorded under it there)
    and not to this one.

    Reviews belong to a page, so a foreign id would bring no approval with
    it anyway; refusing it says so plainly instead of letting a client
    think it carried one over. A copy made in the admin has its ids
    recorded as its own, so editing it keeps them.
    """
    from evidence.models import PassageAuthorship, ReviewDecision

    sent = {block["id"]: index for index, block in enumerate(raw) if block.get("id")}
    if not sent:
        return
    own = set()
    if page_id is not None:
        own = set(
            PassageAuthorship.objects.filter(
                page_id=page_id, block_id__in=sent
            ).values_list("block_id", flat=True)
        )
    others = set(sent) - own
    if not others:
        return
    foreign = set(
        PassageAuthorship.objects.filter(block_id__in=others)
        .exclude(page_id=page_id)
        .values_list("block_id", flat=True)
    ) | set(
        ReviewDecision.objects.filter(block_id__in=others)
        .exclude(page_id=page_id)
        .values_list("block_id", flat=True)
    )
    if foreign:
        raise BodyInvalid(
            [
                BodyError(
                    sent[block_id],
                    "id",
                    _(
                        "Block id %(id)s belongs to another article. Leave "
                        "`id` out to add this block as a new passage; its "
                        "reviews on the other article do not carry over."
                    )
                    % {"id": block_id},
                )
                for block_id in sorted(foreign, key=sent.get)
            ]
        )
