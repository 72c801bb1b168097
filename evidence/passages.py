"""Reading the passages of a page: the one way every other part sees them.

A reviewable unit is any piece of text a reader or a search engine sees
from a page. `reviewable_units(page)` lists them all, in page order: the
page's reviewed text fields first (`evidence.page.GatedPage.reviewed_fields`:
the title, the standfirst, the SEO title, the search description...), each
with the field's name as its id (stable for the page), then every block of
its passages stream (`read_passages()`). The gate, the review screen, the
editor's Evidence check, the readiness API and the publish snapshot all read
units through `reviewable_units`; the public page renders the body through
`read_passages`.

A gated page names the stream field that holds its passages
(`evidence.page.GatedPage.passages_field`); every block of that stream that
is a `PassageBlock` is a passage, whatever its name (headings included).
It works on the stored data of whatever object it is given (a live page, or
`revision.as_object()` for a draft), so it never renders blocks and
resolves every cited source in one query.

A unit's fingerprint, to which every review decision is pinned, covers its
kind, its role, its text as the page shows it (Unicode NFKC, invisible
characters removed: `evidence.analysis.text.normalise`), its citations
(source, stance, locator) and each cited Source's evidence (its
`evidence_key()`: the evidence version and fields). Changing any of them
voids the approvals of the unit.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy, ngettext

from evidence.analysis.evaluation import PassageAnalysis, analyse, page_subject
from evidence.analysis.text import (
    NormalisedText,
    normalise,
    plain_value,
    text_from_html,
)
from evidence.blocks import PassageBlock
from evidence.models import Source
from evidence.vocab import (
    SUGGESTED_BY_IMPORT,
    SUPPORTING_STANCES,
    PassageRole,
    translate,
)

# How messages and the review screen name a field unit.
UNIT_LABELS = {
    "title": gettext_lazy("The title"),
    "standfirst": gettext_lazy("The standfirst"),
    "seo_title": gettext_lazy("The SEO title"),
    "search_description": gettext_lazy("The search description"),
    "intro": gettext_lazy("The introduction"),
    "subject_intervention": gettext_lazy("The subject"),
}


def field_label(name: str) -> str:
    """How messages name the field unit `name`: "The title"."""
    return str(UNIT_LABELS.get(name, name.replace("_", " ")))


def in_sentence(label: str) -> str:
    """A label inside a sentence: "The title" -> "the title"."""
    label = str(label)
    return label[:1].lower() + label[1:]


_ = translate


def units_in_sentence(units) -> tuple[str, int]:
    """Several units named by what they are, inside a sentence: "the title,
    the standfirst and 2 body passages" (the fields by name in the order
    given, then the body's blocks counted), and how many units they are.

    `units` are (unit id, whether it is a reviewed field) pairs; a field
    unit's id is the field's name. A unit given twice counts once."""
    fields: list[str] = []
    body: set[str] = set()
    for unit_id, is_field in units:
        if not is_field:
            body.add(unit_id)
        elif (label := in_sentence(field_label(unit_id))) not in fields:
            fields.append(label)
    named = list(fields)
    if body:
        named.append(
            ngettext("%(count)d body passage", "%(count)d body passages", len(body))
            % {"count": len(body)}
        )
    return str(get_text_list(named, _("and"))), len(fields) + len(body)


# json.dumps(value, separators=(",", ":")) with its encoder made once: the
# fingerprints of a page's passages are worked out on every view of it.
compact_json = json.JSONEncoder(separators=(",", ":")).encode


class ContentMemo:
    """Hashes worked out from a unit's text, kept under everything they are
    worked out from (the key holds the text itself, the role, the
    citations, each cited Source's evidence as encoded), so an entry can
    never be stale: a changed input is another key. The gate works out the
    same fingerprints on every path a publish goes through and on every
    look at a page; this keeps them per process. Bounded by the characters
    its keys hold: when full, it starts again."""

    made: list["ContentMemo"] = []

    def __init__(self, max_chars: int = 4_000_000):
        self.max_chars = max_chars
        self._values: dict = {}
        self._chars = 0
        ContentMemo.made.append(self)

    @classmethod
    def clear_all(cls):
        """Empty every memo, as in a process that has just started."""
        for memo in cls.made:
            memo.clear()

    def get(self, key):
        return self._values.get(key)

    def put(self, key, value, chars: int):
        if self._chars + chars > self.max_chars:
            self._values.clear()
            self._chars = 0
        self._values[key] = value
        self._chars += chars
        return value

    def clear(self):
        self._values.clear()
        self._chars = 0


_FINGERPRINTS = ContentMemo()
# A unit's words, under how its text is read (a field, or its block's
# class) and its stored text; its normalised text, under the stored text.
_TEXTS = ContentMemo()
_NORMALISED = ContentMemo()


@dataclass(frozen=True)
class Citation:
    source_id: int | None
    stance: str
    locator: str
    source: Source | None = field(default=None, compare=False)
    # The Source's evidence as the fingerprint records it, worked out once
    # per Source when the passages are read (`evidence_json`).
    evidence: str | None = field(default=None, compare=False, repr=False)

    def evidence_key(self) -> list | None:
        """What the fingerprint records of the cited Source's evidence: its
        evidence version and fields (None when the Source is gone)."""
        return self.source.evidence_key() if self.source is not None else None

    def evidence_json(self) -> str:
        """`evidence_key()` as compact JSON ("null" when the Source is gone)."""
        if self.evidence is not None:
            return self.evidence
        return compact_json(self.evidence_key())

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
    """One reviewable unit: a block of the passages stream, or a reviewed
    text field of the page (`field` names it; its `position` is 0)."""

    block_id: str
    position: int  # 1-based position of the block in the passages field
    kind: str
    role: str
    content: str  # the stored text (HTML, or JSON for lists), editor keys removed
    citations: tuple[Citation, ...]
    block: PassageBlock | None = field(default=None, compare=False, repr=False)
    field: str = ""  # the page field this unit is, for a field unit

    @cached_property
    def text(self) -> str:
        """Plain text for people and the claim detector (worked out when
        first asked: the public page needs it for few passages)."""
        reader = "field" if self.field else type(self.block)
        key = (reader, self.content)
        if (found := _TEXTS.get(key)) is not None:
            return found
        if self.field:  # a plain text field: nothing in it is a tag
            text = " ".join(plain_value(self.content).split())
        elif self.block is None:
            text = " ".join(text_from_html(self.content).split())
        else:
            text = self.block.passage_text(self.content)
        return _TEXTS.put(key, text, len(self.content))

    @property
    def is_claim(self) -> bool:
        return self.role == PassageRole.CLAIM

    @property
    def is_field(self) -> bool:
        return bool(self.field)

    @property
    def can_cite(self) -> bool:
        """Whether the unit can carry citations. A reviewed field (the title,
        the standfirst, the SEO fields...) and a heading cannot, so a claim
        in one can never be approved: it must move into the body, where it
        can be cited, or be reworded."""
        if self.field:
            return False
        return self.block is None or self.block.cites

    @cached_property
    def normalised(self) -> NormalisedText:
        """The stored text as the page shows it, with what was hidden in it
        (invisible characters, look-alike letters of another script)."""
        if (found := _NORMALISED.get(self.content)) is not None:
            return found
        return _NORMALISED.put(self.content, normalise(self.content), len(self.content))

    @property
    def suspicious(self) -> bool:
        """The text hides something from a reader of its source: invisible
        characters, or a Cyrillic or Greek letter inside a Latin word."""
        return self.normalised.suspicious

    @property
    def label(self) -> str:
        """How messages name the unit: "The title", "Passage 3"."""
        if self.field:
            return field_label(self.kind)
        return _("Passage %(position)s") % {"position": self.position}

    @property
    def label_in_sentence(self) -> str:
        """The label inside a sentence: "the title", "passage 3"."""
        return in_sentence(self.label)

    @cached_property
    def fingerprint(self) -> str:
        """A hash of what the reviewer is shown: kind, role, the text as the
        page shows it, the citations and the cited Sources' evidence. A
        review decision is pinned to it."""
        cited = tuple(
            (c.source_id, c.stance, c.locator, c.evidence_json())
            for c in self.citations
        )
        key = (self.kind, self.role, self.content, cited)
        if (found := _FINGERPRINTS.get(key)) is not None:
            return found
        payload = compact_json([self.kind, self.role, self.normalised.text, cited])
        return _FINGERPRINTS.put(
            key,
            hashlib.sha256(payload.encode()).hexdigest(),
            len(self.content) + sum(len(c[3]) for c in cited),
        )

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
    wanted = set()
    for position, block, child in _passage_blocks(stream_block, raw):
        value = block.get("value") or {}
        cites = child.passage_citations(value)
        for cite in cites:
            wanted.add(cite[0])
        parsed.append(
            (
                block.get("id") or "",
                position,
                block.get("type"),
                child,
                value,
                child.passage_content(value),
                cites,
            )
        )
    if sources is None:
        wanted.discard(None)
        wanted.discard(0)
        sources = Source.objects.in_bulk(wanted) if wanted else {}
    # Each cited Source's evidence, encoded once for all the passages citing it.
    evidence = {
        sid: compact_json(source.evidence_key()) for sid, source in sources.items()
    }
    # One Citation (frozen) for each (source, stance, locator) of this read,
    # shared by every passage that cites it so.
    made: dict[tuple, Citation] = {}

    def citation(cite: tuple) -> Citation:
        try:
            return made[cite]
        except KeyError:
            sid = cite[0]
            made[cite] = Citation(*cite, sources.get(sid), evidence.get(sid))
            return made[cite]
        except TypeError:  # a stored value that is no string: not shared
            return Citation(*cite, sources.get(cite[0]), evidence.get(cite[0]))

    return [
        Passage(
            block_id=block_id,
            position=position,
            kind=kind,
            role=value.get("role") or child.default_role,
            content=content,
            citations=tuple([citation(cite) for cite in cites]),
            block=child,
        )
        for block_id, position, kind, child, value, content, cites in parsed
    ]


def reviewed_field_names(page_or_model) -> tuple[str, ...]:
    """The text fields of a gated page type that are reviewable units, in
    page order (`evidence.page.GatedPage.reviewed_fields`)."""
    return tuple(getattr(page_or_model, "reviewed_fields", ()) or ())


def keeps_byline(page_or_model) -> bool:
    """Whether the page type records the medical review byline (the
    `reviewed_by` and `last_reviewed_at` fields an article shows readers);
    an index page keeps none."""
    names = {field.name for field in page_or_model._meta.get_fields()}
    return {"reviewed_by", "last_reviewed_at"} <= names


def revision_units(revision, sources: dict[int, Source] | None = None) -> list[Passage]:
    """Every unit of a stored revision of a gated page, read from its
    content (no page object built): its reviewed fields, then its passages.
    `sources` as for `read_stream` (None loads the cited Sources; `{}` for
    callers that only need the text). Empty for a page type that is not gated;
    only the reviewed fields for one with no passage stream (an index page).
    """
    model = ContentType.objects.get_for_id(revision.content_type_id).model_class()
    field = getattr(model, "passages_field", "")
    if model is None or not (field or reviewed_field_names(model)):
        return []
    content = revision.content or {}
    units = field_units(model, content)
    if not field:
        return units
    stream = content.get(field) or []
    if isinstance(stream, str):
        stream = json.loads(stream)
    stream_block = model._meta.get_field(field).stream_block
    return [*units, *read_stream(stream_block, stream, sources)]


def field_units(model, values: Mapping) -> list[Passage]:
    """The reviewed text fields of a page of type `model` as units, from
    their values (a page's attributes, or a revision's stored content).
    An empty field shows nothing and is no unit."""
    units = []
    for name in reviewed_field_names(model):
        value = values.get(name)
        if value is None or not str(value).strip():
            continue
        units.append(
            Passage(
                block_id=name,
                position=0,
                kind=name,
                role=PassageRole.CONTEXT,
                content=str(value),
                citations=(),
                field=name,
            )
        )
    return units


class _Attributes(Mapping):
    """A page's attributes as a mapping, for `field_units`."""

    def __init__(self, obj):
        self.obj = obj

    def __getitem__(self, name):
        try:
            return getattr(self.obj, name)
        except AttributeError:
            raise KeyError(name) from None

    def __iter__(self):
        return iter(reviewed_field_names(self.obj))

    def __len__(self):
        return len(reviewed_field_names(self.obj))


def reviewable_units(page, sources: dict[int, Source] | None = None) -> list[Passage]:
    """Every reviewable unit of this version of the page, in page order: its
    reviewed text fields (title and standfirst first), then its passages.

    `page` is the version that matters: a live page, `revision.as_object()`
    for a draft, or any object with the page type's attributes.
    """
    return [*field_units(page, _Attributes(page)), *read_passages(page, sources)]


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
