"""What a passage's template shows, worked out in Python.

A passage block's template (`evidence/blocks/*.html`) is the one rendering
of a passage: the public page, Wagtail's block previews and the API's
`html` all render it. The template only iterates over a `PassageView`:
its markers, its certainty badge, its evidence card and its flags.

The page (`articles.reading`) builds the views of all its passages at
once, so that citation numbers follow the page and a claim's badge shows
the certainty of the page's publish snapshot. A block rendered on its own
(a block preview, `{% include_block %}` of a lone value) builds its view
from its value (`PassageBlock.get_context`): its sources numbered from 1
and its badge the strongest supporting grade.

Rules readers rely on:

- A claim's badge shows the certainty the medical reviewer recorded, when
  there is one; until then, the strongest grade among the sources that
  support it (a contradicting or retracted source lends it none).
- A claim is flagged when all its supporting evidence comes from animals or
  cells, and when any cited source contradicts it.

Sources are taken as they are given (any object with a Source's fields), so
this module reads nothing from the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from evidence.vocab import (
    CERTAINTY_GRADE,
    GRADE_ORDER,
    GRADE_WORDS,
    NON_HUMAN_POPULATIONS,
    SUGGESTED_BY_IMPORT,
    SUPPORTING_STANCES,
    PassageRole,
    RetractionStatus,
    Stance,
    translate,
)

_ = translate

_NO_HTML = mark_safe("")


def retraction_warning(source) -> str:
    """What readers are told about a retracted or corrected paper."""
    status = getattr(source, "retraction_status", "")
    if status == RetractionStatus.RETRACTED:
        return _("This paper has been retracted; do not rely on it.")
    if status == RetractionStatus.EXPRESSION_OF_CONCERN:
        return _("The journal has published an expression of concern.")
    if status == RetractionStatus.CORRECTION:
        return _("The journal has published a correction.")
    return ""


@dataclass(frozen=True)
class Reference:
    """A numbered source: an entry of the page's reference list, and what
    every card and marker citing it links to."""

    number: int
    source: object  # evidence.models.Source
    facts_html: SafeString = _NO_HTML  # evidence/includes/source_facts.html
    html: SafeString = _NO_HTML  # the AMA reference, formatted by citeproc
    citation: dict = field(default_factory=dict)  # schema.org; do not change

    @property
    def anchor(self) -> str:
        return f"ref-{self.number}"

    @cached_property
    def card_html(self) -> SafeString:
        """The source's entry in an evidence card
        (`evidence/includes/card_source.html`): the same in every card citing
        it, so rendered once per reference (a page numbers each source once)."""
        return mark_safe(  # noqa: S308 (a rendered template)
            render_to_string("evidence/includes/card_source.html", {"ref": self})
        )

    @property
    def retraction_warning(self) -> str:
        return retraction_warning(self.source)

    @property
    def reference_label(self) -> str:
        return _("Reference %(n)s") % {"n": self.number}

    @property
    def et_al(self) -> bool:
        """The source has more authors than its first."""
        source = self.source
        return len(source.authors or "") > len(source.first_author)


@dataclass(frozen=True)
class Marker:
    """A citation marker [n] at the end of a passage."""

    reference: Reference
    stance: str
    locator: str

    @property
    def contradicts(self) -> bool:
        return self.stance == Stance.CONTRADICTS

    @property
    def label(self) -> str:
        """What a screen reader announces for the marker."""
        label = self.reference.reference_label
        if self.stance == Stance.CONTRADICTS:
            label = f"{label}, {_('contradicts this passage')}"
        elif self.stance == Stance.MENTIONS:
            label = f"{label}, {_('background')}"
        if self.locator:
            label = f"{label}, {self.locator}"
        return label


@dataclass(frozen=True)
class Badge:
    """The certainty shown next to a claim, in words and as a letter."""

    letter: str
    recorded: bool  # True: the reviewer's; False: the strongest source grade

    @property
    def words(self) -> str:
        return str(GRADE_WORDS[self.letter])

    @property
    def label(self) -> str:
        """'Moderate certainty of evidence': the claim's certainty in words.
        Letters are the sources' grades, shown only in a study card."""
        return _("%(words)s certainty of evidence") % {"words": self.words.capitalize()}

    @property
    def basis(self) -> str:
        if self.recorded:
            return _("Certainty recorded by the medical reviewer.")
        return _(
            "Not yet rated by a reviewer: the strongest grade among the "
            "supporting sources."
        )


@dataclass(frozen=True)
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    first_col_is_header: bool

    @classmethod
    def from_stored(cls, table: dict) -> Table:
        """A TableBlock's stored value as caption, header and rows."""
        table = table or {}
        rows = [
            ["" if cell is None else str(cell) for cell in row]
            for row in table.get("data") or []
        ]
        header = rows.pop(0) if rows and table.get("first_row_is_table_header") else []
        return cls(
            caption=table.get("table_caption") or "",
            header=header,
            rows=rows,
            first_col_is_header=bool(table.get("first_col_is_header")),
        )


@dataclass(frozen=True)
class HeadingView:
    """A heading of the body (not a passage: it is not reviewed)."""

    block_id: str
    kind: str
    template: str
    text: str
    level: str = "h2"


@dataclass(frozen=True)
class PassageView:
    """One passage, ready for its block's template."""

    block_id: str
    kind: str
    template: str
    html: SafeString = _NO_HTML  # rich text (paragraph, callout)
    text: str = ""  # plain text (a study card's result)
    items: tuple[str, ...] = ()
    ordered: bool = False
    table: Table | None = None
    callout_kind: str = ""
    is_claim: bool = False
    markers: tuple[Marker, ...] = ()
    badge: Badge | None = None
    non_human_only: bool = False
    contradicted: bool = False
    study: Reference | None = None

    @property
    def role(self) -> str:
        return PassageRole.CLAIM if self.is_claim else PassageRole.CONTEXT

    @property
    def references(self) -> list[Reference]:
        """The passage's sources, once each, in marker order (for its card)."""
        seen = {}
        for marker in self.markers:
            seen.setdefault(marker.reference.number, marker.reference)
        return list(seen.values())

    @property
    def card_id(self) -> str:
        return f"card-{self.block_id}"

    @property
    def has_evidence(self) -> bool:
        """Anything to show under the passage: markers, badge or a flag."""
        return bool(
            self.markers or self.badge or self.non_human_only or self.contradicted
        )


def source_facts_html(source) -> SafeString:
    """A source's design, n, population, intervention, route and grade
    (`evidence/includes/source_facts.html`)."""
    return mark_safe(  # noqa: S308 (a rendered template)
        render_to_string("evidence/includes/source_facts.html", {"source": source})
    )


def numbering() -> Callable[[object], Reference]:
    """Numbers sources in order of first citation (a lone passage's)."""
    numbers: dict[int, Reference] = {}

    def reference(source) -> Reference:
        key = id(source) if source.pk is None else source.pk
        if key not in numbers:
            numbers[key] = Reference(
                len(numbers) + 1, source, source_facts_html(source)
            )
        return numbers[key]

    return reference


def usable(source, stance: str) -> bool:
    """Counts as support: supports or mentions, and not retracted."""
    return (
        stance in SUPPORTING_STANCES
        and source is not None
        and not getattr(source, "is_retracted", False)
    )


def badge(certainty: str, citations: Iterable[tuple]) -> Badge | None:
    """The recorded certainty's badge, else the strongest supporting grade's.

    Only a grade a medical reviewer confirmed is shown to readers as a grade
    (`Source.reader_grade`), and only from a citation that counts as
    support: not one an import suggested that nobody confirmed."""
    if letter := CERTAINTY_GRADE.get(certainty or ""):
        return Badge(letter, recorded=True)
    grades = [
        source.reader_grade
        for source, stance, locator in citations
        if usable(source, stance)
        and (locator or "").strip().lower() != SUGGESTED_BY_IMPORT
        and getattr(source, "reader_grade", "")
    ]
    if not grades:
        return None
    return Badge(min(grades, key=GRADE_ORDER.index), recorded=False)


def passage_view(
    block,
    value: dict,
    *,
    block_id: str,
    kind: str,
    citations: list[tuple],
    reference: Callable[[object], Reference],
    certainty: str = "",
    html: str = "",
    text: Callable[[], str] | str = "",
) -> PassageView:
    """The view of one passage.

    `block` is its PassageBlock and `value` its stored value; `citations`
    are (source, stance, locator) of each citation whose source exists;
    `reference(source)` numbers a source; `certainty` is the one the
    reviewer recorded (a Certainty value, or ""); `html` is the passage's
    rich text with its links expanded, `text` its plain words (or a
    function that works them out: only a study card shows them).
    """
    parts = block.display_parts(value)
    markers = tuple(
        Marker(reference(source), stance, locator)
        for source, stance, locator in citations
        if source is not None
    )
    is_claim = (value.get("role") or PassageRole.CLAIM) == PassageRole.CLAIM
    supporting = [source for source, stance, _ in citations if usable(source, stance)]
    table = parts.get("table")
    return PassageView(
        block_id=block_id,
        kind=kind,
        template=block.meta.template,
        html=mark_safe(html) if parts.get("rich_text") else _NO_HTML,  # noqa: S308 (editor HTML)
        text=(text() if callable(text) else text) if parts.get("study") else "",
        items=tuple(parts.get("items") or ()),
        ordered=bool(parts.get("ordered")),
        table=Table.from_stored(table) if table is not None else None,
        callout_kind=str(parts.get("callout_kind") or ""),
        is_claim=is_claim,
        markers=markers,
        badge=badge(certainty, citations) if is_claim else None,
        non_human_only=bool(supporting)
        and all(source.population in NON_HUMAN_POPULATIONS for source in supporting),
        contradicted=any(stance == Stance.CONTRADICTS for _, stance, _ in citations),
        study=markers[0].reference if parts.get("study") and markers else None,
    )
