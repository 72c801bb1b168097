"""Reading the passages of a page: the one way every other part sees them.

The gate, the review screen, the templates and the API all read a page's
passages through `read_passages()`. It works on the stored StreamField data of
whatever object it is given (a live page, or `revision.as_object()` for a
draft), so it never renders blocks and resolves every cited source in one query.
"""

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from functools import cached_property

from evidence.analysis.evaluation import PassageAnalysis, analyse, page_subject
from evidence.models import Source
from evidence.vocab import PassageRole, Stance
from nadsite.rows import in_bulk

PASSAGE_TYPES = frozenset({"paragraph", "list", "table", "callout", "study"})
SUPPORTING_STANCES = frozenset({Stance.SUPPORTS, Stance.MENTIONS})

_BLOCK_TAGS = re.compile(r"</?(?:p|div|li|ul|ol|h[1-6]|br|tr|table|blockquote)\b[^>]*>")
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
# The rich text editor adds these keys to each paragraph the first time a
# passage is saved from the admin; they are markup, not words.
_BLOCK_KEYS = re.compile(r'\sdata-block-key="[^"]*"')


# json.dumps(value, separators=(",", ":")) with its encoder made once: the
# fingerprints of a page's passages are worked out on every view of it.
compact_json = json.JSONEncoder(separators=(",", ":")).encode


def html_to_text(value: str) -> str:
    """Plain text of stored rich text: tags dropped, entities decoded."""
    value = _BLOCK_TAGS.sub(" ", value or "")
    return _SPACES.sub(" ", html.unescape(_TAGS.sub("", value))).strip()


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
    def usable(self) -> bool:
        """Counts as support: supports or mentions, exists, not retracted."""
        return (
            self.supports and self.source is not None and not self.source.is_retracted
        )


@dataclass(frozen=True)
class Passage:
    block_id: str
    position: int  # 1-based position of the block in the body
    kind: str
    role: str
    content: str  # the stored text (HTML, or JSON for lists), editor keys removed
    citations: tuple[Citation, ...]

    @cached_property
    def text(self) -> str:
        """Plain text for people and the claim detector (worked out when
        first asked: the public page needs it for few passages)."""
        return plain_text(self.kind, self.content)

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


def _list_values(raw) -> list:
    """Items of a stored ListBlock, in either of Wagtail's two formats."""
    items = raw or []
    return [
        item["value"] if isinstance(item, dict) and item.get("type") == "item" else item
        for item in items
    ]


def _source_id(value) -> int | None:
    if isinstance(value, Source):
        return value.pk
    if isinstance(value, dict):  # a chooser block given its API shape
        value = value.get("id")
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _content(kind: str, value: dict) -> str:
    """The stored text of a passage: HTML, or JSON for lists and tables."""
    text = value.get("text")
    if kind in {"paragraph", "callout"}:
        return _BLOCK_KEYS.sub("", str(text or ""))
    if kind == "list":
        items = [str(item) for item in _list_values(text)]
        return json.dumps(items, ensure_ascii=False)
    if kind == "table":
        table = text or {}
        rows = table.get("data") or []
        caption = table.get("table_caption") or ""
        return json.dumps([caption, rows], ensure_ascii=False)
    return str(text or "")  # study card: its headline result


def plain_text(kind: str, content: str) -> str:
    """A passage's words for people and the claim detector, from its content."""
    if kind == "list":
        return " ".join(html_to_text(item) for item in json.loads(content))
    if kind == "table":
        caption, rows = json.loads(content)
        cells = [str(cell) for row in rows for cell in row if cell not in (None, "")]
        return " ".join(filter(None, [caption, *cells]))
    return html_to_text(content)


def _raw_citations(kind: str, value: dict) -> list[tuple[int | None, str, str]]:
    if kind == "study":
        return [(_source_id(value.get("source")), Stance.SUPPORTS, "")]
    citations = []
    for item in _list_values(value.get("citations")):
        item = item or {}
        citations.append(
            (
                _source_id(item.get("source")),
                item.get("stance") or Stance.SUPPORTS,
                item.get("locator") or "",
            )
        )
    return citations


def raw_blocks(page) -> list[dict]:
    """The body of a page (or page-like object) as stored block dicts."""
    body = getattr(page, "body", None)
    if body is None:
        return []
    raw = getattr(body, "raw_data", body)
    return list(raw)


def read_passages(page, sources: dict[int, Source] | None = None) -> list[Passage]:
    """Every passage of the page's body, in order, with resolved citations.

    `sources` maps ids to already-loaded Sources; when it is not given, the
    cited sources are fetched in a single query.
    """
    parsed = []
    for position, block in enumerate(raw_blocks(page), start=1):
        kind = block.get("type")
        if kind not in PASSAGE_TYPES:
            continue
        value = block.get("value") or {}
        parsed.append(
            (
                block.get("id") or "",
                position,
                kind,
                value,
                _content(kind, value),
                _raw_citations(kind, value),
            )
        )
    if sources is None:
        wanted = {sid for *_, cites in parsed for sid, _, _ in cites if sid}
        # Plain SQL: this runs on every article page view (nadsite.rows).
        sources = in_bulk(Source, wanted)
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
        )
        for block_id, position, kind, value, content, cites in parsed
    ]


def cited_source_ids(page) -> set[int]:
    """Ids of every Source the page's body cites, without a query."""
    ids = set()
    for block in raw_blocks(page):
        kind = block.get("type")
        if kind in PASSAGE_TYPES:
            ids.update(
                sid for sid, _, _ in _raw_citations(kind, block.get("value") or {})
            )
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
