"""What a reader sees on an article page, worked out in Python.

`article_view(page)` reads the live page's passages once (one query for every
cited Source), numbers the citations, formats the reference list, works out
each claim's certainty badge and the evidence summary, and builds the page's
schema.org data. The templates only iterate over the result, so the page costs
the same few queries however many passages and citations it has.

Rules readers rely on:

- Citation numbers follow the order in which sources are first cited; a
  source cited again keeps its first number.
- A claim's badge shows the certainty the medical reviewer recorded when
  approving that exact wording, as the publish snapshot of the live version
  has it (`evidence.models.PublishSnapshot`: a decision given later shows
  once the page is published again); until then, the strongest grade among
  the sources that support it.
- The byline ("medically reviewed by … on …") is the snapshot's too.
- A claim is flagged when all its supporting evidence comes from animals or
  cells, and when any cited source contradicts it.
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from operator import attrgetter

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from articles.rendering import (
    badge_label,
    body_html,
    current_strings,
    header_html,
    marker_label,
    references_html,
    source_facts_html,
    summary_html,
)
from articles.structured_data import (
    json_ld_script,
    medical_web_page,
    scholarly_article,
)
from evidence.library.references import format_reference
from evidence.models import PublishSnapshot, Source
from evidence.passages import Passage, raw_blocks, read_passages
from evidence.vocab import (
    CERTAINTY_GRADE,
    GRADE_WORDS,
    Grade,
    Population,
    RetractionStatus,
    Stance,
)

GRADE_ORDER = [Grade.A, Grade.B, Grade.C, Grade.D]
# Every stored value a reference shows (the MeSH headings are for living
# evidence, not readers, and a list cannot be a cache key).
_SOURCE_FIELDS = tuple(
    f.attname for f in Source._meta.concrete_fields if f.attname != "mesh_terms"
)
_NO_HTML = mark_safe("")
NON_HUMAN = frozenset({Population.ANIMAL, Population.CELL})
_SPLIT = "<!--nadsite:passage-->"


@dataclass(frozen=True)
class Reference:
    """One numbered entry of the reference list."""

    number: int
    source: Source
    html: SafeString  # the AMA reference, formatted by citeproc
    facts_html: SafeString = mark_safe("")  # design, n, population, ...
    citation: dict = field(default_factory=dict)  # schema.org; do not change

    @property
    def anchor(self) -> str:
        return f"ref-{self.number}"

    @property
    def retraction_warning(self) -> str:
        status = self.source.retraction_status
        if status == RetractionStatus.RETRACTED:
            return _("This paper has been retracted; do not rely on it.")
        if status == RetractionStatus.EXPRESSION_OF_CONCERN:
            return _("The journal has published an expression of concern.")
        if status == RetractionStatus.CORRECTION:
            return _("The journal has published a correction.")
        return ""


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
        return marker_label(self, current_strings())


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
        return badge_label(self, current_strings())

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


@dataclass(frozen=True)
class BlockView:
    """One block of the body, ready for the template."""

    block_id: str
    kind: str
    html: SafeString = mark_safe("")  # rich text (paragraph, callout)
    text: str = ""  # plain text (heading, study result)
    level: str = "h2"
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
    def references(self) -> list[Reference]:
        """The passage's sources, once each, in marker order (for its card)."""
        seen = {}
        for marker in self.markers:
            seen.setdefault(marker.reference.number, marker.reference)
        return list(seen.values())

    @property
    def card_id(self) -> str:
        return f"card-{self.block_id}"


@dataclass(frozen=True)
class GradeShare:
    letter: str
    count: int
    percent: float

    @property
    def words(self) -> str:
        return str(GRADE_WORDS[self.letter])


@dataclass(frozen=True)
class ReviewerCredit:
    name: str
    credentials: str

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True)
class EvidenceSummary:
    claims: int
    sources: int
    grade_mix: list[GradeShare]
    reviewers: list[ReviewerCredit]
    reviewed_at: object  # datetime or None

    @property
    def grade_mix_text(self) -> str:
        return "; ".join(
            _("%(count)s %(words)s (%(letter)s)")
            % {"count": share.count, "words": share.words, "letter": share.letter}
            for share in self.grade_mix
            if share.count
        )


@dataclass
class ArticleView:
    page: object
    blocks: list[BlockView]
    references: list[Reference]
    summary: EvidenceSummary
    authors: list = field(default_factory=list)
    canonical_url: str = ""
    json_ld: SafeString = mark_safe("")

    @cached_property
    def header_html(self) -> SafeString:
        """Title, standfirst and byline (articles.rendering)."""
        return header_html(self)

    @cached_property
    def summary_html(self) -> SafeString:
        """The evidence summary box (articles.rendering)."""
        return summary_html(self)

    @cached_property
    def body_html(self) -> SafeString:
        """The body's passages, markers, badges and cards (articles.rendering)."""
        return body_html(self.blocks)

    @cached_property
    def references_html(self) -> SafeString:
        """The reference list's entries (articles.rendering)."""
        return references_html(self.references)


LIVE = object()  # article_view(): read the snapshot of the page's live version


def live_snapshot(page) -> PublishSnapshot | None:
    """The publish snapshot of the version of `page` that is live: what the
    publish gate decided when it went live (certainties, credits, byline)."""
    return PublishSnapshot.objects.live_for(page)


def credited_reviewers(snapshot: PublishSnapshot | None) -> list[ReviewerCredit]:
    """The byline's medical reviewers, as credited when the version went
    live (no query: the snapshot names them)."""
    if snapshot is None:
        return []
    return [ReviewerCredit(c.name, c.credentials) for c in snapshot.byline()]


def _page_links(html: str, request) -> str:
    """Internal page links turned into addresses with one query.

    Wagtail's own expansion loads each linked page as its specific type and
    looks up the site's root paths; an address only needs the page's path
    and the site already found for this request. Links Wagtail must expand
    itself (another site, a missing page) are left for it.
    """
    site = getattr(request, "_wagtail_site", None) if request else None
    root = getattr(getattr(site, "root_page", None), "url_path", None)
    matches = [
        (match, extract_attrs(match.group(1))) for match in FIND_A_TAG.finditer(html)
    ]
    ids = {
        int(attrs["id"])
        for _, attrs in matches
        if attrs.get("linktype") == "page" and attrs.get("id", "").isdigit()
    }
    if not ids or root is None:
        return html
    paths = dict(Page.objects.filter(pk__in=ids).values_list("pk", "url_path"))
    parts, last = [], 0
    for match, attrs in matches:
        path = (
            paths.get(int(attrs.get("id", "0") or 0))
            if attrs.get("linktype") == "page" and attrs.get("id", "").isdigit()
            else None
        )
        if path is None or not path.startswith(root):
            continue
        parts.append(html[last : match.start()])
        href = escape("/" + path[len(root) :])
        parts.append(f'<a href="{href}">')
        last = match.end()
    parts.append(html[last:])
    return "".join(parts)


def _rich_text_many(values: list[str], request=None) -> list[SafeString]:
    """Rich text of many passages with links expanded in one go."""
    if not values:
        return []
    joined = _page_links(_SPLIT.join(values), request)
    expanded = expand_db_html(joined).split(_SPLIT)
    return [SafeString(value) for value in expanded]  # editor HTML


def _table(value: dict) -> Table:
    table = value.get("text") or {}
    rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in table.get("data") or []
    ]
    header = rows.pop(0) if rows and table.get("first_row_is_table_header") else []
    return Table(
        caption=table.get("table_caption") or "",
        header=header,
        rows=rows,
        first_col_is_header=bool(table.get("first_col_is_header")),
    )


def _list_items(value: dict) -> tuple[str, ...]:
    items = value.get("text") or []
    return tuple(
        str(item["value"] if isinstance(item, dict) and "value" in item else item)
        for item in items
    )


def _badge(passage: Passage, certainty: str) -> Badge | None:
    if letter := CERTAINTY_GRADE.get(certainty):
        return Badge(letter, recorded=True)
    grades = [c.source.grade for c in passage.usable_citations if c.source.grade]
    if not grades:
        return None
    return Badge(min(grades, key=GRADE_ORDER.index), recorded=False)


def _authors(page) -> list[ReviewerCredit]:
    """The byline's authors, in their order: read with their Author rows in
    one query, or, for a revision being previewed, from the links it holds
    in memory. (The medical reviewers come from the publish snapshot:
    `credited_reviewers`.)"""
    links = page.article_authors.all().select_related("author")
    return [ReviewerCredit(link.author.name, link.author.credentials) for link in links]


def full_url(page, request=None) -> str:
    """The page's address on the site that serves this request.

    Uses the site Wagtail already found for the request, so it costs no
    query; other cases ask Wagtail.
    """
    if page.pk is None:
        return ""
    site = getattr(request, "_wagtail_site", None) if request else None
    root = getattr(site, "root_page", None)
    if root is not None and page.url_path.startswith(root.url_path):
        return site.root_url + "/" + page.url_path[len(root.url_path) :]
    return page.get_full_url(request) or ""


_values = attrgetter(*_SOURCE_FIELDS)  # every stored value of a Source, in order


@lru_cache(maxsize=4096)
def _formatted_source(
    language: str, values: tuple
) -> tuple[SafeString, SafeString, dict]:
    """A Source's AMA reference, its facts and its schema.org citation, for
    one language.

    All three depend only on the Source's stored values (and the language),
    so they are worked out once per version of a Source: any edit, a new
    grade or a retraction gives a new key. Rebuilding them for every
    reference on every request cost more than the rest of the reference
    list. The citation dict is shared: callers must not change it.
    """
    source = Source(**dict(zip(_SOURCE_FIELDS, values, strict=True)))
    return (
        mark_safe(format_reference(source)),  # noqa: S308 (escaped by references)
        source_facts_html(source),
        scholarly_article(source),
    )


def article_view(page, request=None, snapshot=LIVE) -> ArticleView:
    """Everything the article template shows, for this version of the page.

    `snapshot` is the publish snapshot whose certainties and byline are
    shown: by default the live version's; a preview passes what the gate
    would record now (`evidence.gate.publish.provisional_snapshot`), and
    None shows a version nobody has decided on.
    """
    if snapshot is LIVE:
        snapshot = live_snapshot(page)
    passages = read_passages(page)
    by_position = {p.position: p for p in passages}
    certainties = snapshot.recorded_certainties() if snapshot is not None else {}

    numbers: dict[int, Reference] = {}
    language = get_language() or ""

    def reference(source: Source) -> Reference:
        if source.pk not in numbers:
            html, facts, citation = _formatted_source(language, _values(source))
            numbers[source.pk] = Reference(
                number=len(numbers) + 1,
                source=source,
                html=html,
                # The same facts appear in every card citing the source and
                # in the reference list: rendered once per source.
                facts_html=facts,
                citation=citation,
            )
        return numbers[source.pk]

    rich_positions = [
        p.position for p in passages if p.kind in {"paragraph", "callout"}
    ]
    rich = dict(
        zip(
            rich_positions,
            _rich_text_many([by_position[n].content for n in rich_positions], request),
            strict=True,
        )
    )

    blocks = []
    for position, raw in enumerate(raw_blocks(page), start=1):
        kind = raw.get("type")
        value = raw.get("value") or {}
        block_id = raw.get("id") or f"block-{position}"
        if kind == "heading":
            blocks.append(
                BlockView(
                    block_id,
                    kind,
                    text=str(value.get("text") or ""),
                    level="h3" if value.get("level") == "h3" else "h2",
                )
            )
            continue
        passage = by_position.get(position)
        if passage is None:
            continue
        markers = tuple(
            Marker(reference(c.source), c.stance, c.locator)
            for c in passage.citations
            if c.source is not None
        )
        usable = passage.usable_citations
        blocks.append(
            BlockView(
                block_id,
                kind,
                html=rich.get(position, _NO_HTML),
                text=passage.text if kind == "study" else "",
                items=_list_items(value) if kind == "list" else (),
                ordered=bool(value.get("ordered")),
                table=_table(value) if kind == "table" else None,
                callout_kind=str(value.get("kind") or "note"),
                is_claim=passage.is_claim,
                markers=markers,
                badge=(
                    _badge(passage, certainties.get(passage.block_id, ""))
                    if passage.is_claim
                    else None
                ),
                non_human_only=bool(usable)
                and all(c.source.population in NON_HUMAN for c in usable),
                contradicted=any(
                    c.stance == Stance.CONTRADICTS for c in passage.citations
                ),
                study=markers[0].reference if kind == "study" and markers else None,
            )
        )

    references = sorted(numbers.values(), key=lambda r: r.number)
    authors = _authors(page)
    reviewers = credited_reviewers(snapshot)
    grades = Counter(r.source.grade for r in references if r.source.grade)
    total = sum(grades.values())
    summary = EvidenceSummary(
        claims=sum(1 for p in passages if p.is_claim),
        sources=len(references),
        grade_mix=[
            GradeShare(
                letter,
                grades.get(letter, 0),
                round(100 * grades.get(letter, 0) / total, 1) if total else 0,
            )
            for letter in GRADE_ORDER
        ],
        reviewers=reviewers,
        reviewed_at=snapshot.last_reviewed_at if snapshot is not None else None,
    )
    view = ArticleView(
        page=page,
        blocks=blocks,
        references=references,
        summary=summary,
        authors=authors,
        canonical_url=full_url(page, request),
    )
    view.json_ld = json_ld_script(medical_web_page(view))
    return view
