"""Reading the passages of a page: the one way every other part sees them.

The gate, the review screen, the templates and the API all read a page's
passages through `read_passages()`. A gated page names the stream field
that holds its passages (`evidence.page.GatedPage.passages_field`); every
block of that stream that is a `PassageBlock` is a passage, whatever its
name. It works on the stored StreamField data of whatever object it is
given (a live page, or `revision.as_object()` for a draft), so it never
renders blocks and resolves every cited source in one query.
"""

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property

from evidence.analysis.evaluation import PassageAnalysis, analyse, page_subject
from evidence.analysis.text import text_from_html
from evidence.blocks import PassageBlock
from evidence.models import Source
from evidence.vocab import SUGGESTED_BY_IMPORT, SUPPORTING_STANCES, PassageRole

# json.dumps(value, separators=(",", ":")) with its encoder made once: the
# fingerprints of a page's passages are worked out on every view of it.
compact_json = json.JSONEncoder(separators=(",", ":")).encode


@dataclass(frozen=True)
class Citation:
    source_id: int | None
    stance: str
    locator: str
    source: Source | None = field(default=None, compare=False)

    @property
    def supports(self) -> bool:
        return self.stance in SUPPORTING_STANCES

    @property
    def suggested(self) -> bool:
        """Suggested by an import and not yet confirmed by a reviewer."""
        return self.locator.strip().lower() == SUGGESTED_BY_IMPORT

    @property
    def usable(self) -> bool:
        """Counts as support: supports or mentions, exists, not retracted,
        and not a suggestion an import made that nobody has confirmed."""
        return (
            self.supports
            and not self.suggested
            and self.source is not None
            and not self.source.is_retracted
        )


@dataclass(frozen=True)
class Passage:
    block_id: str
    position: int  # 1-based position of the block in the passages field
    kind: str
    role: str
    content: str  # the stored text (HTML, or JSON for lists), editor keys removed
    citations: tuple[Citation, ...]
    block: PassageBlock | None = field(default=None, compare=False, repr=False)

    @cached_property
    def text(self) -> str:
        """Plain text for people and the claim detector (worked out when
        first asked: the public page needs it for few passages)."""
        if self.block is None:
            return " ".join(text_from_html(self.content).split())
        return self.block.passage_text(self.content)

    @property
    def is_claim(self) -> bool:
        return self.role == PassageRole.CLAIM

    @property
    def fingerprint(self) -> str:
        """A hash of the text and citations: a review is pinned to it."""
        cited = [[c.source_id, c.stance, c.locator] for c in self.citations]
        payload = compact_json([self.kind, self.content, cited])
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def excerpt(self) -> str:
        words = self.text.split()
        return " ".join(words[:12]) + (" …" if len(words) > 12 else "")

    @property
    def usable_citations(self) -> tuple[Citation, ...]:
        return tuple(c for c in self.citations if c.usable)


def passage_stream(page) -> tuple[object, list[dict]]:
    """The stream block of the page's passages field and its stored blocks.

    A page (or page-like object) that names no passages field has none.
    """
    name = getattr(page, "passages_field", "")
    value = getattr(page, name, None) if name else None
    if value is None:
        return None, []
    stream_block = getattr(value, "stream_block", None)
    if stream_block is None:
        stream_block = type(page)._meta.get_field(name).stream_block
    return stream_block, list(getattr(value, "raw_data", value))


def raw_blocks(page) -> list[dict]:
    """The page's passages field as stored block dicts."""
    return passage_stream(page)[1]


def _passage_blocks(stream_block, raw) -> list[tuple[int, dict, PassageBlock]]:
    """(position, stored block, its PassageBlock) of each passage in `raw`."""
    if stream_block is None:
        return []
    children = stream_block.child_blocks
    found = []
    for position, block in enumerate(raw, start=1):
        child = children.get(block.get("type"))
        if isinstance(child, PassageBlock):
            found.append((position, block, child))
    return found


def read_passages(page, sources: dict[int, Source] | None = None) -> list[Passage]:
    """Every passage of the page, in order, with resolved citations.

    `sources` maps ids to already-loaded Sources; when it is not given, the
    cited sources are fetched in a single query.
    """
    return read_stream(*passage_stream(page), sources=sources)


def read_stream(
    stream_block, raw, sources: dict[int, Source] | None = None
) -> list[Passage]:
    """Every passage of stored stream data `raw` of `stream_block`."""
    parsed = []
    for position, block, child in _passage_blocks(stream_block, raw):
        value = block.get("value") or {}
        parsed.append(
            (
                block.get("id") or "",
                position,
                block.get("type"),
                child,
                value,
                child.passage_content(value),
                child.passage_citations(value),
            )
        )
    if sources is None:
        wanted = {sid for *_, cites in parsed for sid, _, _ in cites if sid}
        sources = Source.objects.in_bulk(wanted) if wanted else {}
    return [
        Passage(
            block_id=block_id,
            position=position,
            kind=kind,
            role=value.get("role") or PassageRole.CLAIM,
            content=content,
            citations=tuple(
                Citation(sid, stance, locator, sources.get(sid))
                for sid, stance, locator in cites
            ),
            block=child,
        )
        for block_id, position, kind, child, value, content, cites in parsed
    ]


def cited_source_ids(page) -> set[int]:
    """Ids of every Source the page's passages cite, without a query."""
    ids = set()
    for _position, block, child in _passage_blocks(*passage_stream(page)):
        cited = child.passage_citations(block.get("value") or {})
        ids.update(sid for sid, _, _ in cited)
    ids.discard(None)
    return ids


def analyse_passages(
    page, passages: list[Passage] | None = None
) -> list[PassageAnalysis]:
    """What the claim detector and the calibration rules say about every
    passage of this page version (`evidence.analysis.evaluation`).

    `page` is the version to analyse (a live page, or a draft from
    `revision.as_object()`); pass `passages` when they have already been
    read with `read_passages`, so the sources are not fetched again.
    """
    if passages is None:
        passages = read_passages(page)
    return analyse(passages, page_subject(page))
