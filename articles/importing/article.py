"""Making a draft article from a Markdown, plain-text or Word document.

The document's title, headings, paragraphs, lists, tables and disclaimers
become the draft's blocks (see ``articles.importing.documents`` for the
rules). Each passage is marked "claim" when the claim detector finds a claim
in it and "context" otherwise, and disclaimers are always context. Studies
the text names ("Martens et al. (2018, Nature Communications)") are matched
against the Source library and attached to the passage that names them as
"mentions" citations, located "suggested by import", for a medical reviewer
to confirm or replace. A lead-in line that ends with a colon passes its
suggestions on to the list right after it, where the findings usually are.
The standfirst is the opening sentences of the first paragraph when that
paragraph is context; one that names a study or makes a claim stays in the
body with its citations, and the standfirst is left for the writer
(`take_standfirst`).

The page is always a draft: it goes live only through review and the
publish gate. The whole import is one transaction, so a failure leaves
nothing behind.
"""

from __future__ import annotations

import html as html_module
import json
import re
import uuid
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.importing.documents import DocumentBlock, ParsedDocument, read_document
from articles.models import ArticleIndexPage, ArticlePage
from evidence.analysis.claims import detect_sentences
from evidence.analysis.subject import ProposedSubject, propose_subject
from evidence.library.mentions import MentionMatch, find_mentions, match_mentions
from evidence.vocab import SUGGESTED_BY_IMPORT, PassageRole, Route, Stance

SUGGESTED_LOCATOR = SUGGESTED_BY_IMPORT
STANDFIRST_MAX_SENTENCES = 2


class ImportRefused(ValueError):
    """The document cannot become an article; the message says why."""


@dataclass
class ImportedPassage:
    position: int
    kind: str
    excerpt: str
    role: str
    claim_sentences: list[str]
    mentions: list[MentionMatch] = field(default_factory=list)


@dataclass
class ImportReport:
    """What the import made, for the command's output and the admin page."""

    page: ArticlePage
    headings: int = 0
    passages: list[ImportedPassage] = field(default_factory=list)
    subject: ProposedSubject = field(default_factory=ProposedSubject)
    standfirst_why_empty: str = ""

    @property
    def standfirst_text(self) -> str:
        """What became of the standfirst, in words."""
        if self.page.standfirst:
            return _(
                "Standfirst: the opening sentences, “%(standfirst)s”; the body "
                "does not repeat them."
            ) % {"standfirst": self.page.standfirst}
        return _(
            "No standfirst: %(why)s. Everything the document says is in the "
            "body. Write a one- or two-sentence standfirst that states no claim."
        ) % {"why": self.standfirst_why_empty}

    @property
    def subject_text(self) -> str:
        """The proposed subject for the writer to confirm, in words."""
        subject = self.subject
        if not subject:
            return _(
                "No subject proposed: the text names no intervention or route "
                "we know. Set it in the Subject fields."
            )
        parts = []
        if subject.intervention:
            parts.append(
                _("intervention %(name)s (named %(count)s times)")
                % {"name": subject.intervention, "count": subject.intervention_mentions}
            )
        if subject.route:
            parts.append(
                _("route %(route)s (named %(count)s times)")
                % {
                    "route": str(Route(subject.route).label).lower(),
                    "count": subject.route_mentions,
                }
            )
        return _(
            "Subject proposed from the text: %(parts)s. Check it in the Subject "
            "fields; the evidence check warns when the sources studied another."
        ) % {"parts": "; ".join(parts)}

    @property
    def claim_passages(self) -> list[ImportedPassage]:
        return [p for p in self.passages if p.claim_sentences]

    @property
    def claim_sentence_count(self) -> int:
        return sum(len(p.claim_sentences) for p in self.passages)

    @property
    def mentions(self) -> list[MentionMatch]:
        return [m for p in self.passages for m in p.mentions]

    @property
    def matched(self) -> list[MentionMatch]:
        return [m for m in self.mentions if m.matched]

    @property
    def unmatched(self) -> list[MentionMatch]:
        return [m for m in self.mentions if not m.matched]

    @property
    def counts_text(self) -> str:
        """What was read, each count with its own singular or plural."""
        passages, claims = len(self.passages), len(self.claim_passages)
        sentences = self.claim_sentence_count
        return _("%(passages)s and %(headings)s; %(claims)s (%(sentences)s).") % {
            "passages": ngettext("%d passage", "%d passages", passages) % passages,
            "headings": ngettext("%d heading", "%d headings", self.headings)
            % self.headings,
            "claims": ngettext(
                "%d passage makes claims", "%d passages make claims", claims
            )
            % claims,
            "sentences": ngettext("%d claim sentence", "%d claim sentences", sentences)
            % sentences,
        }

    def as_text(self) -> str:
        """The report as plain lines for a terminal."""
        lines = [
            _('Draft "%(title)s" created (page id %(id)s).')
            % {"title": self.page.title, "id": self.page.pk},
            self.counts_text,
            self.standfirst_text,
            self.subject_text,
            "",
            _("Detected claims:"),
        ]
        for passage in self.claim_passages:
            lines.append(f"  #{passage.position} {passage.kind}: {passage.excerpt}")
            lines.extend(f"      - {sentence}" for sentence in passage.claim_sentences)
        lines.append("")
        lines.append(_("Matched mentions (attached as suggested citations):"))
        for match in self.matched:
            sources = "; ".join(
                f"{s.first_author} {s.year}, {s.journal}" for s in match.sources
            )
            lines.append(f'  "{match.mention.text}" -> {sources}')
        if not self.matched:
            lines.append("  " + _("none"))
        lines.append(_("Unmatched mentions (cite these by hand):"))
        for match in self.unmatched:
            lines.append(f'  "{match.mention.text}": {match.reason}')
        if not self.unmatched:
            lines.append("  " + _("none"))
        return "\n".join(lines)


def _new_id() -> str:
    return str(uuid.uuid4())


def _citations(matches: list[MentionMatch]) -> list[dict]:
    seen = set()
    citations = []
    for match in matches:
        for source in match.sources:
            if source.pk in seen:
                continue
            seen.add(source.pk)
            citations.append(
                {
                    "type": "item",
                    "id": _new_id(),
                    "value": {
                        "source": source.pk,
                        "stance": Stance.MENTIONS,
                        "locator": SUGGESTED_LOCATOR,
                    },
                }
            )
    return citations


def _block_value(block: DocumentBlock, role: str, citations: list[dict]) -> dict:
    if block.kind == "paragraph":
        return {"text": f"<p>{block.html}</p>", "role": role, "citations": citations}
    if block.kind == "callout":
        return {
            "text": f"<p>{block.html}</p>",
            "kind": block.callout_kind or "note",
            "role": role,
            "citations": citations,
        }
    if block.kind == "list":
        return {
            "text": [
                {"type": "item", "id": _new_id(), "value": item} for item in block.items
            ],
            "ordered": block.ordered,
            "role": role,
            "citations": citations,
        }
    return {
        "text": {
            "data": [list(row) for row in block.rows],
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_header_choice": "row",
            "table_caption": "",
        },
        "role": role,
        "citations": citations,
    }


@dataclass(frozen=True)
class TakenStandfirst:
    """The standfirst an import takes, the blocks left for the body, and,
    when the standfirst is left empty, why (for the writer)."""

    text: str
    blocks: list[DocumentBlock]
    why_empty: str = ""


def take_standfirst(document: ParsedDocument) -> TakenStandfirst:
    """The standfirst, and the document's blocks without it.

    The standfirst cannot cite sources, so it is taken only from an opening
    paragraph that is context: its first sentences (up to two) leave the
    body, so readers do not read them twice, and the paragraph keeps only
    what follows them (with its bold, italics and links), or goes when
    nothing does. An opening paragraph that names a study (a citation, or
    one to add by hand) or in which the claim detector finds a claim stays
    in the body whole, with its citations, and the standfirst is left empty
    for the writer to write; so is it when the paragraph is the document's
    only passage, or when the document has no paragraph. Nothing the
    document says is lost, and nothing is said twice.
    """
    blocks = list(document.blocks)
    for index, block in enumerate(blocks):
        if block.kind != "paragraph" or not block.text:
            continue
        if why := _why_not_a_standfirst(block):
            return TakenStandfirst("", blocks, why)
        sentences = [v.text for v in detect_sentences(block.text)]
        cut = _end_of_sentences(block.text, sentences[:STANDFIRST_MAX_SENTENCES])
        if cut is None:  # the sentences are not found verbatim: take it all
            standfirst, rest = block.text, ""
        else:
            standfirst, rest = block.text[:cut].strip(), block.text[cut:].strip()
        if rest:
            blocks[index] = replace(block, text=rest, html=_html_rest(block, rest))
        else:
            del blocks[index]
        if not any(b.kind != "heading" for b in blocks):
            return TakenStandfirst(
                "",
                list(document.blocks),
                _("the opening paragraph is the document's only passage"),
            )
        return TakenStandfirst(standfirst, blocks)
    return TakenStandfirst("", blocks, _("the document has no paragraph"))


def _why_not_a_standfirst(block: DocumentBlock) -> str:
    """Why an opening paragraph may not give the standfirst ("" when it
    may): it names a study (the standfirst could not carry the citation),
    or the claim detector finds a claim in it (a claim there could never
    be approved)."""
    text = block.plain_text
    if find_mentions(text):
        return _(
            "the opening paragraph names a study, and the standfirst cannot "
            "cite sources"
        )
    if any(v.is_claim for v in detect_sentences(text)):
        return _(
            "the opening paragraph makes a claim, and the standfirst cannot "
            "cite sources"
        )
    return ""


def _end_of_sentences(text: str, sentences: list[str]) -> int | None:
    """Where the last of `sentences` ends in `text`, read in order."""
    end = 0
    for sentence in sentences:
        start = text.find(sentence, end)
        if start < 0:
            return None
        end = start + len(sentence)
    return end if sentences else None


_HTML_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|.", re.S)


def _html_rest(block: DocumentBlock, rest: str) -> str:
    """The paragraph's HTML without the sentences the standfirst took: cut
    where its text reaches `rest`, outside any element; the plain text,
    escaped, when the cut would fall inside one (a link across sentences)."""
    skip = len(block.text) - len(rest)
    seen, depth = 0, 0
    for token in _HTML_TOKEN.finditer(block.html):
        value = token.group()
        if seen >= skip and depth == 0 and not value.isspace():
            html = block.html[token.start() :].strip()
            return (
                html
                if html_module.unescape(re.sub(r"<[^>]*>", "", html)) == rest
                else escape(rest)
            )
        if value.startswith("<") and len(value) > 1:
            if value.startswith("</"):
                depth -= 1
            elif not value.endswith("/>") and not value.lower().startswith("<br"):
                depth += 1
        else:
            seen += 1
    return escape(rest)


def _unique_slug(parent, title: str) -> str:
    base = slugify(title)[:200] or "imported-article"
    taken = set(
        parent.get_children()
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def build_body(document: ParsedDocument) -> tuple[list[dict], list[ImportedPassage]]:
    """The stored body blocks of the draft, and what each passage holds."""
    texts = [block.plain_text for block in document.blocks]
    mentions = [find_mentions(text) for text in texts]
    matches = iter(match_mentions([m for found in mentions for m in found]))
    matched_by_block = [[next(matches) for _m in found] for found in mentions]

    body: list[dict] = []
    passages: list[ImportedPassage] = []
    carried: list[MentionMatch] = []
    for position, (block, own) in enumerate(
        zip(document.blocks, matched_by_block, strict=True), start=1
    ):
        if block.kind == "heading":
            body.append(
                {
                    "type": "heading",
                    "id": _new_id(),
                    "value": {"text": block.text[:200], "level": block.level},
                }
            )
            carried = []
            continue
        claims = [v.text for v in detect_sentences(block.plain_text) if v.is_claim]
        role = (
            PassageRole.CLAIM
            if claims and block.kind != "callout"
            else PassageRole.CONTEXT
        )
        suggestions = [*own, *(carried if block.kind == "list" else [])]
        body.append(
            {
                "type": block.kind,
                "id": _new_id(),
                "value": _block_value(block, role, _citations(suggestions)),
            }
        )
        passages.append(
            ImportedPassage(
                position=position,
                kind=block.kind,
                excerpt=_excerpt(block.plain_text),
                role=role,
                claim_sentences=claims,
                mentions=own,
            )
        )
        ends_with_colon = block.kind == "paragraph" and block.text.endswith(":")
        carried = [m for m in own if m.matched] if ends_with_colon else []
    return body, passages


def _excerpt(text: str) -> str:
    words = text.split()
    return " ".join(words[:12]) + (" …" if len(words) > 12 else "")


def import_article(filename: str, data: bytes, parent, owner=None) -> ImportReport:
    """Makes a draft article under ``parent`` from the document's bytes.

    Raises ``ImportRefused`` (or ``DocumentError``, a ``ValueError`` too)
    with a message for the writer, and then nothing is created.
    """
    parent = parent.specific
    if not isinstance(parent, ArticleIndexPage):
        raise ImportRefused(
            _("Articles can only be imported into an article index, not “%(title)s”.")
            % {"title": parent.title}
        )
    document = read_document(filename, data)
    with transaction.atomic():
        taken = take_standfirst(document)
        standfirst, blocks = taken.text, taken.blocks
        document = replace(document, blocks=blocks)
        subject = propose_subject(
            "\n".join([document.title, standfirst, *(b.plain_text for b in blocks)])
        )
        body, passages = build_body(document)
        page = ArticlePage(
            title=document.title,
            slug=_unique_slug(parent, document.title),
            standfirst=standfirst,
            subject_intervention=subject.intervention[:120],
            subject_route=subject.route,
            body=json.dumps(body),
            owner=owner,
            live=False,
        )
        parent.add_child(instance=page)
        # A draft may leave the standfirst for the writer, as the editor's
        # "Save draft" may (Wagtail defers required fields until publish):
        # every other field is validated.
        page.full_clean(exclude=[] if standfirst else ["standfirst"])
        page.save_revision(user=owner, log_action=True, clean=False)
    headings = sum(1 for block in body if block["type"] == "heading")
    return ImportReport(
        page=page,
        headings=headings,
        passages=passages,
        subject=subject,
        standfirst_why_empty=taken.why_empty,
    )
