"""Passage blocks: prose that states something, and the sources behind it.

Every passage carries a role and its citations. A claim passage states a fact
about health and must rest on a graded source before the page goes live; a
context passage frames, links or disclaims. Any page type can use these blocks.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from evidence.vocab import PassageRole, Stance

RICH_TEXT_FEATURES = ["bold", "italic", "link", "superscript", "subscript"]


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


class PassageValue(blocks.StructValue):
    """A passage's value, with helpers for templates."""

    def citation_values(self):
        return [c for c in self.get("citations") or [] if c.get("source")]

    def sources(self):
        return [c["source"] for c in self.citation_values()]

    def is_claim(self):
        return self.get("role", PassageRole.CLAIM) == PassageRole.CLAIM


class ParagraphBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    role = role_block()
    citations = citations_block()

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "evidence/blocks/paragraph.html"
        value_class = PassageValue
        description = _("A paragraph and the graded sources behind it")


class BulletListBlock(blocks.StructBlock):
    text = blocks.ListBlock(
        blocks.CharBlock(max_length=1000), min_num=1, label=_("Items")
    )
    ordered = blocks.BooleanBlock(required=False, label=_("Numbered list"))
    role = role_block()
    citations = citations_block()

    class Meta:
        icon = "list-ul"
        label = _("List")
        template = "evidence/blocks/list.html"
        value_class = PassageValue
        description = _("A bulleted or numbered list and the sources behind it")


class PassageTableBlock(blocks.StructBlock):
    text = TableBlock(label=_("Table"))
    role = role_block()
    citations = citations_block()

    class Meta:
        icon = "table"
        label = _("Table")
        template = "evidence/blocks/table.html"
        value_class = PassageValue
        description = _("A table and the sources behind its figures")


class CalloutBlock(blocks.StructBlock):
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

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "evidence/blocks/callout.html"
        value_class = PassageValue
        description = _("A boxed note, warning or disclaimer")


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


class StudyBlock(blocks.StructBlock):
    source = SnippetChooserBlock("evidence.Source")
    text = blocks.TextBlock(
        label=_("Headline result"),
        help_text=_("What the study found, in one or two plain sentences."),
    )
    role = role_block()

    class Meta:
        icon = "doc-full-inverse"
        label = _("Study card")
        template = "evidence/blocks/study.html"
        value_class = StudyValue
        description = _("One study: its design, population, size, result and grade")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Subheading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "evidence/blocks/heading.html"
