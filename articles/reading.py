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

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import attrgetter
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from articles.links import LinkedPages
from articles.structured_data import (
    json_ld_script,
    medical_web_page,
    scholarly_article,
)
from articles.updates import Updates, article_updates, prominence_days
from evidence.blocks import HeadingBlock
from evidence.library.references import format_reference
from evidence.models import PublishSnapshot, Source
from evidence.passage_view import (
    HeadingView,
    PassageView,
    Reference,
    passage_view,
    source_facts_html,
)
from evidence.passages import (
    Passage,
    cited_source_ids,
    compact_json,
    passage_stream,
    raw_blocks,
    read_passages,
)
from evidence.vocab import GRADE_ORDER, GRADE_WORDS

# Every stored value a reference shows (the MeSH headings are for living
# evidence, not readers, and a list cannot be a cache key).
_SOURCE_FIELDS = tuple(
    f.attname for f in Source._meta.concrete_fields if f.attname != "mesh_terms"
)
_SPLIT = "<!--nadsite:passage-->"


@dataclass(frozen=True)
class CertaintyShare:
    """How many of the page's claims are shown at one certainty."""

    letter: str
    count: int
    percent: float

    @property
    def words(self) -> str:
        return str(GRADE_WORDS[self.letter]).capitalize()

    @property
    def width(self) -> str:
        """Its share of the certainty bar, in per cent with one decimal."""
        return f"{self.percent:.1f}"


@dataclass(frozen=True)
class ReviewerCredit:
    name: str
    credentials: str
    user_id: int | None = None

    @property
    def url(self) -> str:
        """The reviewer's public profile page."""
        return reverse("reviewer_profile", args=[self.user_id]) if self.user_id else ""

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True)
class EvidenceSummary:
    claims: int
    sources: int
    certainty_mix: list[CertaintyShare]  # the claims' certainties, in words
    reviewers: list[ReviewerCredit]
    reviewed_at: object  # datetime or None

    @property
    def certainty_mix_text(self) -> str:
        return "; ".join(
            _("%(words)s: %(count)s") % {"count": share.count, "words": share.words}
            for share in self.certainty_mix
            if share.count
        )


LIVE = object()  # article_view(): read the snapshot of the page's live version


class ArticleView:
    """What the article template shows; the templates only iterate.

    Built in two steps. Reading the page's inputs costs a fixed few queries
    (the snapshot, the cited Sources, the authors, the pages the body links
    to) and gives `fragment_key`, a digest of everything the rendered
    article shows. The rest (citation numbers, the passages' views, the
    reference list, the summary, the schema.org data) is worked out only
    when the template asks for it: a cached fragment under the same key
    needs none of it.
    """

    def __init__(self, page, request=None, snapshot=LIVE):
        self.live = snapshot is LIVE
        if self.live:
            snapshot = live_snapshot(page)
        self.page = page
        self.request = request
        self.snapshot = snapshot
        self.language = get_language() or ""
        # By id: a Source's ordering would only cost the query its ORDER BY.
        self.sources = Source.objects.order_by().in_bulk(cited_source_ids(page))
        self.authors = _authors(page)
        # Wagtail's address for the site serving this request.
        self.canonical_url = (page.get_full_url(request) or "") if page.pk else ""
        self.links = LinkedPages(_texts_with_links(raw_blocks(page)), request)

    @property
    def source_ids(self) -> set[int]:
        """Every Source the article cites that exists (its cache keys)."""
        return set(self.sources)

    @cached_property
    def passages(self) -> list[Passage]:
        return read_passages(self.page, sources=self.sources)

    @cached_property
    def _body(self) -> tuple[list, list[Reference]]:
        snapshot = self.snapshot
        certainties = snapshot.recorded_certainties() if snapshot is not None else {}
        reference = reference_numbering(self.language)
        blocks = body_views(
            self.page,
            self.passages,
            certainties,
            reference,
            self.links,
        )
        return blocks, list(reference.numbered.values())

    @property
    def blocks(self) -> list[PassageView | HeadingView]:
        return self._body[0]

    @property
    def references(self) -> list[Reference]:
        return self._body[1]

    @cached_property
    def summary(self) -> EvidenceSummary:
        references = self.references
        snapshot = self.snapshot
        # Claims counted by the certainty their badges show: the one
        # vocabulary readers meet (a source's grade is only in its study card).
        shown = Counter(
            badge.letter
            for block in self.blocks
            if (badge := getattr(block, "badge", None))
        )
        total = sum(shown.values())
        return EvidenceSummary(
            claims=sum(1 for p in self.passages if p.is_claim),
            sources=len(references),
            certainty_mix=[
                CertaintyShare(
                    letter,
                    shown.get(letter, 0),
                    round(100 * shown.get(letter, 0) / total, 1) if total else 0,
                )
                for letter in GRADE_ORDER
            ],
            reviewers=credited_reviewers(snapshot),
            # The live version's review date is that of its last substantive
            # version: a minor edit leaves "last reviewed" alone.
            reviewed_at=(
                (self.live and self.updates.last_reviewed_at)
                or (snapshot.last_reviewed_at if snapshot is not None else None)
            ),
        )

    @cached_property
    def updates(self) -> Updates:
        """What changed and when (issue 17): the Updates list, recent
        corrections, and the dates a minor edit leaves alone."""
        return article_updates(self.page)

    @cached_property
    def json_ld(self) -> SafeString:
        return json_ld_script(medical_web_page(self))

    @cached_property
    def fragment_key(self) -> str:
        """A digest of everything the rendered article and its JSON-LD
        show: the live version (its revision, or a digest of the stored
        body of a page live without one), the page fields shown, the
        publish snapshot, every stored value of each cited Source (so even
        a queryset update shows), the authors, the linked pages' addresses,
        the canonical address and the language. Any change to any of them
        is a new key, so a fragment stored under a key can never be stale.
        Empty for a preview (never cached)."""
        page = self.page
        if getattr(self.request, "is_preview", False) or page.pk is None:
            return ""
        snapshot = self.snapshot
        parts = [
            renderer_digest(),
            self.language,
            page.pk,
            page.live_revision_id or _digest(compact_json(raw_blocks(page))),
            [getattr(page, name, None) for name in _PAGE_FIELDS_SHOWN],
            [snapshot.pk, snapshot.recorded_at] if snapshot is not None else None,
            [_values(source) for _pk, source in sorted(self.sources.items())],
            [[author.name, author.credentials] for author in self.authors],
            self.links.tags,
            self.canonical_url,
            # A correction is shown at the top for some days after it went
            # live (articles.updates): the day counts while that may be so.
            prominence_days(page),
        ]
        return _digest(json.dumps(parts, default=str, separators=(",", ":")))

    @property
    def cache_seconds(self) -> int:
        return fragment_cache_seconds()


@lru_cache(maxsize=1)
def renderer_digest() -> str:
    """A digest of the code that renders an article: its templates, the
    passage blocks' templates and the modules that build their views.

    Part of every fragment key, so that after a deploy that changes the
    markup no fragment rendered by the old code is served from a shared
    cache (worked out once per process).
    """
    import articles
    import evidence

    articles_dir = Path(articles.__file__).parent
    evidence_dir = Path(evidence.__file__).parent
    files = [
        *sorted((articles_dir / "templates" / "articles").rglob("*.html")),
        *sorted((evidence_dir / "templates" / "evidence").rglob("*.html")),
        articles_dir / "reading.py",
        articles_dir / "links.py",
        articles_dir / "updates.py",
        articles_dir / "structured_data.py",
        evidence_dir / "passage_view.py",
        evidence_dir / "blocks.py",
        evidence_dir / "library" / "references.py",
    ]
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(path.parents[1])).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# The page's own fields the article shows (header, JSON-LD).
_PAGE_FIELDS_SHOWN = (
    "title",
    "standfirst",
    "subject_intervention",
    "subject_route",
    "first_published_at",
    "last_published_at",
)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def fragment_cache_seconds() -> int:
    """How long a rendered article fragment is kept (its key names its
    content, so this bounds memory, not staleness)."""
    return int(getattr(settings, "NADSITE_FRAGMENT_CACHE_SECONDS", 86400))


def live_snapshot(page) -> PublishSnapshot | None:
    """The publish snapshot of the version of `page` that is live: what the
    publish gate decided when it went live (certainties, credits, byline)."""
    return PublishSnapshot.objects.live_for(page)


def credited_reviewers(snapshot: PublishSnapshot | None) -> list[ReviewerCredit]:
    """The byline's medical reviewers, as credited when the version went
    live (no query: the snapshot names them)."""
    if snapshot is None:
        return []
    return [ReviewerCredit(c.name, c.credentials, c.user_id) for c in snapshot.byline()]


def _texts_with_links(value) -> list[str]:
    """Every stored string in `value` (a page's body as stored) that holds a
    link (a loop over a stack: the body has hundreds of strings)."""
    found, todo = [], [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            if "linktype" in item:
                found.append(item)
        elif isinstance(item, dict):
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return found


def _rich_text_many(
    values: list[str], links: LinkedPages | None = None
) -> list[SafeString]:
    """Rich text of many passages expanded in one go (`expand_db_html`; the
    page links from `links` when given)."""
    if not values:
        return []
    expand = links.expand if links is not None else expand_db_html
    expanded = expand(_SPLIT.join(values)).split(_SPLIT)
    return [SafeString(value) for value in expanded]  # editor HTML


def _authors(page) -> list[ReviewerCredit]:
    """The byline's authors, in their order: read with their Author rows in
    one query, or, for a revision being previewed, from the links it holds
    in memory. (The medical reviewers come from the publish snapshot:
    `credited_reviewers`.)"""
    links = page.article_authors.all().select_related("author")
    return [ReviewerCredit(link.author.name, link.author.credentials) for link in links]


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


def reference_numbering(language: str | None = None) -> Callable[[Source], Reference]:
    """Numbers a page's sources in the order they are first cited; a source
    cited again keeps its first number. The numbered references are
    `reference.numbered` (a dict, in number order)."""
    numbers: dict[int, Reference] = {}
    language = language if language is not None else (get_language() or "")

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

    reference.numbered = numbers
    return reference


def body_views(
    page,
    passages: list[Passage],
    certainties: dict[str, str],
    reference: Callable[[Source], Reference],
    links: LinkedPages | None = None,
) -> list[PassageView | HeadingView]:
    """The view of every block of the page's body, in order: headings and
    passages (each shown by its block's template).

    `passages` are the page's, read with `read_passages`; `certainties`
    maps a passage's block id to the certainty its reviewer recorded;
    `reference` numbers the sources (`reference_numbering`); `links`, the
    pages the body links to, read for this request (`LinkedPages`; without
    it, Wagtail's `expand_db_html` reads them).
    """
    stream_block, raw = passage_stream(page)
    if stream_block is None:
        return []
    by_position = {p.position: p for p in passages}
    rich_positions = [
        p.position
        for p in passages
        if p.block.display_parts(raw[p.position - 1].get("value") or {}).get(
            "rich_text"
        )
    ]
    rich = dict(
        zip(
            rich_positions,
            _rich_text_many([by_position[n].content for n in rich_positions], links),
            strict=True,
        )
    )
    views = []
    for position, block in enumerate(raw, start=1):
        value = block.get("value") or {}
        block_id = block.get("id") or f"block-{position}"
        child = stream_block.child_blocks.get(block.get("type"))
        if isinstance(child, HeadingBlock):
            views.append(child.view_of(value, block_id))
            continue
        passage = by_position.get(position)
        if passage is None:
            continue
        views.append(
            passage_view(
                passage.block,
                value,
                block_id=block_id,
                kind=passage.kind,
                citations=[(c.source, c.stance, c.locator) for c in passage.citations],
                reference=reference,
                certainty=certainties.get(passage.block_id, ""),
                html=rich.get(position, ""),
                text=lambda passage=passage: passage.text,
            )
        )
    return views


def article_view(page, request=None, snapshot=LIVE) -> ArticleView:
    """Everything the article template shows, for this version of the page.

    `snapshot` is the publish snapshot whose certainties and byline are
    shown: by default the live version's; a preview passes what the gate
    would record now (`evidence.gate.publish.provisional_snapshot`), and
    None shows a version nobody has decided on.
    """
    return ArticleView(page, request, snapshot)
