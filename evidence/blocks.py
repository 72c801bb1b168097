"""Passage blocks: prose that states something, and the sources behind it.

Every passage carries a role and its citations. A claim passage states a fact
about health and must rest on a graded source before the page goes live; a
context passage frames, links or disclaims. Any page type can use these blocks:
every block that is a `PassageBlock` is a reviewable unit, whatever name the
page's stream gives it.

A block's template is the one rendering of its passage (the public page,
block previews and the API's `html`); it shows a
`evidence.passage_view.PassageView`, which the page builds for all its
passages at once, and a block rendered on its own builds from its value
(`PassageBlock.get_context`).
"""

import json
import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.rich_text import RichText, expand_db_html
from wagtail.snippets.blocks import SnippetChooserBlock

from evidence.analysis.text import plain_value, text_from_html
from evidence.limits import first_control_character_problem, passage_length_problem
from evidence.passage_view import HeadingView, numbering, passage_view
from evidence.vocab import (
    Grade,
    PassageRole,
    Population,
    Route,
    Stance,
    StudyDesign,
)

RICH_TEXT_FEATURES = ["bold", "italic", "link", "superscript", "subscript"]

# The rich text editor adds these keys to each paragraph the first time a
# passage is saved from the admin; they are markup, not words.
_BLOCK_KEYS = re.compile(r'\sdata-block-key="[^"]*"')


def list_values(raw) -> list:
    """Items of a stored ListBlock, in either of Wagtail's two formats."""
    items = raw or []
    return [
        item["value"] if isinstance(item, dict) and item.get("type") == "item" else item
        for item in items
    ]


def preview_source():
    """The Source block previews cite (never saved). Its grade counts as
    confirmed, so the preview shows a claim as readers see a reviewed one:
    readers are shown only confirmed grades (`Source.reader_grade`)."""
    source_model = apps.get_model("evidence", "Source")
    source = source_model(
        title="Chronic nicotinamide riboside supplementation in healthy adults",
        authors="Martens CR, Denman BA, Mazzo MR, Armstrong ML, Reisdorph N",
        year=2018,
        journal="Nature Communications",
        study_design=StudyDesign.RCT,
        population=Population.HUMAN,
        sample_size=24,
        intervention="Nicotinamide riboside 1,000 mg/day for 6 weeks",
        route=Route.ORAL,
        grade=Grade.B,
    )
    source.grade_confirmed_by_id = 0  # no one: an illustration, never saved
    return source


def preview_citations() -> list[dict]:
    return [{"source": preview_source(), "stance": Stance.SUPPORTS, "locator": ""}]


def source_id(value) -> int | None:
    """The Source id a stored (or API-shaped) chooser value points at."""
    if type(value) is int:  # as stored: the common case, first
        return value
    if hasattr(value, "pk"):  # a Source
        return value.pk
    if isinstance(value, dict):  # a chooser block given its API shape
        value = value.get("id")
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class CitationBlock(blocks.StructBlock):
    source = SnippetChooserBlock("evidence.Source")
    stance = blocks.ChoiceBlock(
        choices=Stance.choices,
        default=Stance.SUPPORTS,
        help_text=_(
            "Does this source support the passage, contradict it, or "
            "only mention its subject?"
        ),
    )
    locator = blocks.CharBlock(
        required=False,
        max_length=64,
        help_text=_('Where in the source: "Fig. 2", "p. 1289", "Table 3".'),
    )

    class Meta:
        icon = "doc-full"
        label = _("Citation")
        form_classname = "citation-block"
        description = _("A source behind the passage, how it bears on it, and where")
        preview_value = {"stance": Stance.SUPPORTS, "locator": "Table 2"}


def role_block(default=PassageRole.CLAIM):
    return blocks.ChoiceBlock(
        choices=PassageRole.choices,
        default=default,
        help_text=_(
            "A claim states a fact about health and needs a source. "
            "Mark framing, transitions and disclaimers as context."
        ),
    )


def citations_block():
    return blocks.ListBlock(
        CitationBlock(),
        default=[],
        label=_("Citations"),
        collapsed=False,
    )


class PassageBlock(blocks.StructBlock):
    """A passage: a reviewable unit with a role and the sources behind it.

    The publish gate, the review screen and the reader find passages by this
    class. Each passage block says how its stored value reads: its content
    (what a review is pinned to), its words, and its citations. The default
    is rich text in `text` with a list of citations; lists, tables, study
    cards and headings say otherwise. A block with no `role` child (a
    heading) has its `default_role`.
    """

    default_role = PassageRole.CLAIM
    # Whether the block carries citations: a claim needs one, so a claim in
    # a block that cannot carry any (a heading) can never be approved.
    cites = True

    def passage_content(self, value: dict) -> str:
        """The stored text a review is pinned to (editor keys removed)."""
        text = str(value.get("text") or "")
        return _BLOCK_KEYS.sub("", text) if "data-block-key" in text else text

    def passage_text(self, content: str) -> str:
        """The passage's words for people and the claim detector, on one line."""
        return " ".join(text_from_html(content).split())

    def clean(self, value):
        """The block's own validation, then the limits every passage keeps:
        no control characters in any of its text (a table's cells included),
        and at most NADSITE_PASSAGE_MAX_CHARS characters of words."""
        value = super().clean(value)
        stored = self.get_prep_value(value)
        errors = {}
        for name, child in stored.items():
            if problem := first_control_character_problem(child):
                errors[name] = ValidationError(problem)
        if "text" not in errors and (
            problem := passage_length_problem(
                self.passage_text(self.passage_content(stored))
            )
        ):
            errors["text"] = ValidationError(problem)
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def display_parts(self, value: dict) -> dict:
        """What the template shows besides the passage's evidence, from the
        stored value: by default rich text (`rich_text`); lists give
        `items` and `ordered`, tables `table`, callouts `callout_kind`,
        study cards `study`."""
        return {"rich_text": True}

    def get_context(self, value, parent_context=None):
        """The template's context: the page gives each passage its view
        (`passage`); a block rendered on its own (a block preview) builds
        it from its value."""
        context = super().get_context(value, parent_context=parent_context)
        if "passage" not in context:
            context["passage"] = self.view_of(value)
        return context

    def view_of(self, value):
        """This value's PassageView, its sources numbered from 1."""
        stored = self.get_prep_value(value)
        content = self.passage_content(stored)
        citations = [
            (
                item.get("source"),
                item.get("stance") or Stance.SUPPORTS,
                item.get("locator") or "",
            )
            for item in value.citation_values()
        ]
        parts = self.display_parts(stored)
        return passage_view(
            self,
            stored,
            block_id=self.name or "passage",
            kind=self.name,
            citations=citations,
            reference=numbering(),
            html=expand_db_html(content) if parts.get("rich_text") else "",
            text=lambda: self.passage_text(content),
        )

    def passage_citations(self, value: dict) -> list[tuple[int | None, str, str]]:
        """(source id, stance, locator) of each citation in the stored value."""
        return [
            (
                source_id(item.get("source")),
                item.get("stance") or Stance.SUPPORTS,
                item.get("locator") or "",
            )
            for item in (item or {} for item in list_values(value.get("citations")))
        ]


class PassageValue(blocks.StructValue):
    """A passage's value, with helpers for templates."""

    def citation_values(self):
        return [c for c in self.get("citations") or [] if c.get("source")]

    def sources(self):
        return [c["source"] for c in self.citation_values()]

    def is_claim(self):
        return self.get("role", PassageRole.CLAIM) == PassageRole.CLAIM


class ParagraphBlock(PassageBlock):
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    role = role_block()
    citations = citations_block()

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "evidence/blocks/paragraph.html"
        value_class = PassageValue
        description = _("A paragraph and the graded sources behind it")
        preview_template = "evidence/blocks/preview.html"

        @staticmethod
        def preview_value():
            return {
                "text": RichText(
                    "<p>Nicotinamide riboside raised blood NAD+ by about 60% "
                    "in healthy middle-aged adults.</p>"
                ),
                "role": PassageRole.CLAIM,
                "citations": preview_citations(),
            }


class BulletListBlock(PassageBlock):
    text = blocks.ListBlock(
        blocks.CharBlock(max_length=1000), min_num=1, label=_("Items")
    )
    ordered = blocks.BooleanBlock(required=False, label=_("Numbered list"))
    role = role_block()
    citations = citations_block()

    def passage_content(self, value: dict) -> str:
        items = [str(item) for item in list_values(value.get("text"))]
        return json.dumps(items, ensure_ascii=False)

    def display_parts(self, value: dict) -> dict:
        items = [str(item) for item in list_values(value.get("text"))]
        return {"items": items, "ordered": bool(value.get("ordered"))}

    def passage_text(self, content: str) -> str:
        """The items' words (plain text, never read as HTML), on one line."""
        items = (plain_value(item) for item in json.loads(content))
        return " ".join(" ".join(items).split())

    class Meta:
        icon = "list-ul"
        label = _("List")
        template = "evidence/blocks/list.html"
        value_class = PassageValue
        description = _("A bulleted or numbered list and the sources behind it")
        preview_template = "evidence/blocks/preview.html"

        @staticmethod
        def preview_value():
            return {
                "text": ["Flushing", "Nausea", "Headache"],
                "ordered": False,
                "role": PassageRole.CLAIM,
                "citations": preview_citations(),
            }


class PassageTableBlock(PassageBlock):
    text = TableBlock(label=_("Table"))
    role = role_block()
    citations = citations_block()

    def passage_content(self, value: dict) -> str:
        table = value.get("text") or {}
        rows = table.get("data") or []
        caption = table.get("table_caption") or ""
        return json.dumps([caption, rows], ensure_ascii=False)

    def display_parts(self, value: dict) -> dict:
        return {"table": value.get("text") or {}}

    def passage_text(self, content: str) -> str:
        """The caption and the cells as the page shows them (plain text,
        never read as HTML), on one line."""
        caption, rows = json.loads(content)
        cells = [str(cell) for row in rows for cell in row if cell not in (None, "")]
        words = (plain_value(str(part)) for part in [caption, *cells] if part)
        return " ".join(" ".join(words).split())

    class Meta:
        icon = "table"
        label = _("Table")
        template = "evidence/blocks/table.html"
        value_class = PassageValue
        description = _("A table and the sources behind its figures")
        preview_template = "evidence/blocks/preview.html"

        @staticmethod
        def preview_value():
            return {
                "text": {
                    "data": [["Dose", "Change in NAD+"], ["1,000 mg/day", "+60%"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Blood NAD+ after six weeks",
                },
                "role": PassageRole.CLAIM,
                "citations": preview_citations(),
            }


class CalloutBlock(PassageBlock):
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    kind = blocks.ChoiceBlock(
        choices=[
            ("disclaimer", _("Disclaimer")),
            ("note", _("Note")),
            ("warning", _("Warning")),
        ],
        default="note",
    )
    role = role_block()
    citations = citations_block()

    def display_parts(self, value: dict) -> dict:
        return {"rich_text": True, "callout_kind": value.get("kind") or "note"}

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "evidence/blocks/callout.html"
        value_class = PassageValue
        description = _("A boxed note, warning or disclaimer")
        preview_template = "evidence/blocks/preview.html"

        @staticmethod
        def preview_value():
            return {
                "text": RichText(
                    "<p>This article is not medical advice. Ask a clinician "
                    "before starting a supplement.</p>"
                ),
                "kind": "disclaimer",
                "role": PassageRole.CONTEXT,
                "citations": [],
            }


class StudyValue(blocks.StructValue):
    def citation_values(self):
        source = self.get("source")
        return (
            [{"source": source, "stance": Stance.SUPPORTS, "locator": ""}]
            if (source)
            else []
        )

    def sources(self):
        return [self["source"]] if self.get("source") else []

    def is_claim(self):
        return self.get("role", PassageRole.CLAIM) == PassageRole.CLAIM


class StudyBlock(PassageBlock):
    source = SnippetChooserBlock("evidence.Source")
    text = blocks.TextBlock(
        label=_("Headline result"),
        help_text=_("What the study found, in one or two plain sentences."),
    )
    role = role_block()

    def passage_content(self, value: dict) -> str:
        return str(value.get("text") or "")  # its headline result

    def display_parts(self, value: dict) -> dict:
        return {"study": True}

    def passage_text(self, content: str) -> str:
        """The headline result is plain text: nothing in it is a tag."""
        return " ".join(plain_value(content).split())

    def passage_citations(self, value: dict) -> list[tuple[int | None, str, str]]:
        """A study card cites its one study, in support."""
        return [(source_id(value.get("source")), Stance.SUPPORTS, "")]

    class Meta:
        icon = "doc-full-inverse"
        label = _("Study card")
        template = "evidence/blocks/study.html"
        value_class = StudyValue
        description = _("One study: its design, population, size, result and grade")
        preview_template = "evidence/blocks/preview.html"

        @staticmethod
        def preview_value():
            return {
                "source": preview_source(),
                "text": "Blood NAD+ rose by about 60% after six weeks.",
                "role": PassageRole.CLAIM,
            }


class HeadingBlock(PassageBlock):
    """A section heading: a reviewable unit (readers and search engines see
    it), always context, citing nothing."""

    default_role = PassageRole.CONTEXT
    cites = False

    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Subheading"))],
        default="h2",
    )

    def view_of(self, value: dict, block_id: str = "") -> HeadingView:
        """The heading as its template shows it (from a stored or a block
        value)."""
        return HeadingView(
            block_id=block_id,
            kind=self.name,
            template=self.meta.template,
            text=str(value.get("text") or ""),
            level="h3" if value.get("level") == "h3" else "h2",
        )

    def display_parts(self, value: dict) -> dict:
        return {}  # plain text: no rich text to expand

    def passage_content(self, value: dict) -> str:
        return str(value.get("text") or "")

    def passage_text(self, content: str) -> str:
        """A heading is plain text: nothing in it is a tag."""
        return " ".join(plain_value(content).split())

    def passage_citations(self, value: dict) -> list[tuple[int | None, str, str]]:
        return []

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "evidence/blocks/heading.html"
        description = _("A section heading or subheading of the body")
        preview_value = {"text": "What the trials found", "level": "h2"}
        preview_template = "evidence/blocks/preview.html"
