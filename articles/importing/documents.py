"""Turning a Markdown, plain-text or Word document into article blocks.

How a document's parts become blocks:

- the first heading (or, in plain text, the first line) is the title;
- headings become section headings (a first-level or second-level heading a
  section, anything deeper a subheading);
- paragraphs become paragraphs, bullet and numbered lines become one list per
  run of lines, and tables (Word tables, Markdown tables, or plain-text lines
  between "|" bars) become tables whose first row is the header;
- a paragraph that starts with "Disclaimer" (or "Medical disclaimer",
  "Important", or "This article is for educational purposes") becomes a
  disclaimer box.

In plain text, a heading is a short line in title case with no full stop,
comma, colon or semicolon at its end ("Understanding Cellular Senescence",
"How Does It Compare?"); a numbered line that stands alone and reads like a
heading ("1. Enhanced DNA Repair") is a heading too. A line that ends
without punctuation and is followed by a line starting in lower case is a
wrapped sentence and is joined to it.

Nothing here touches the database: a document is read completely, and every
problem is reported, before any page is made.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree.ElementTree import Element

from django.conf import settings
from django.utils.translation import gettext as _

from evidence.limits import passage_length_problem

SUPPORTED_EXTENSIONS = (".md", ".markdown", ".txt", ".docx")
MAX_HEADING_LENGTH = 200
MAX_LIST_ITEM_LENGTH = 1000


class DocumentError(ValueError):
    """The file cannot be imported; the message says why, for the writer."""


@dataclass(frozen=True)
class DocumentBlock:
    """One part of an imported document.

    ``kind`` is "heading", "paragraph", "list", "table" or "callout";
    ``text`` is plain text (a heading, paragraph or callout), ``html`` the
    same with bold, italic and links kept, ``items`` a list's entries and
    ``rows`` a table's cells, header row first.
    """

    kind: str
    text: str = ""
    html: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    ordered: bool = False
    level: str = "h2"
    callout_kind: str = ""

    @property
    def plain_text(self) -> str:
        """Everything the block says, for the claim detector: one line per
        list entry or table row, so each is judged on its own."""
        if self.kind == "list":
            return "\n".join(self.items)
        if self.kind == "table":
            return "\n".join(" | ".join(cell for cell in row) for row in self.rows)
        return self.text


@dataclass
class ParsedDocument:
    title: str
    blocks: list[DocumentBlock] = field(default_factory=list)


_DISCLAIMER_RE = re.compile(
    r"""^\W*(?:(?:medical|important|legal)\s+)?disclaimer\b |
        ^\W*important\s*: |
        ^\W*this\s+(?:article|page|content|information|guide)\s+is\s+
            (?:for\s+(?:educational|informational|general)|not\s+(?:medical|a\s+
            substitute|intended))""",
    re.IGNORECASE | re.VERBOSE,
)
_TITLE_CASE_EXCEPTIONS = (
    "a an and as at but by for from in into of on or per the to vs via "
    "with is are be does do can your you it its than"
)
_SMALL_WORDS = frozenset(_TITLE_CASE_EXCEPTIONS.split())
_WORD_RE = re.compile(r"[A-Za-z][\w'’+-]*")
_BULLET_RE = re.compile(
    r"^\s*(?:[-*+]\s*[•·▪◦‣]\s*|[•·▪◦‣]\s*|[-*+]\s+|(?P<number>\d{1,3})[.)]\s+)"
)
_TABLE_RULE_RE = re.compile(r"^\|?[\s:|-]+\|?$")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_STASH_RE = re.compile("\x02wzxhzdk:\\d+\x03")
_SPACES_RE = re.compile(r"\s+")


def is_disclaimer(text: str) -> bool:
    return bool(_DISCLAIMER_RE.search(text))


def looks_like_heading(line: str) -> bool:
    """A short title-case line with no closing punctuation other than "?"."""
    stripped = line.strip().strip("*_#").strip()
    if not stripped or len(stripped) > MAX_HEADING_LENGTH:
        return False
    if stripped[-1] in ".,;:!" or stripped.startswith("|"):
        return False
    words = _WORD_RE.findall(stripped)
    if not words or len(stripped.split()) > 14:
        return False
    significant = [word for word in words if word.lower() not in _SMALL_WORDS]
    if not significant:
        return False
    capitalised = sum(1 for word in significant if word[0].isupper())
    return capitalised / len(significant) >= 0.8


def _clean(text: str) -> str:
    return _SPACES_RE.sub(" ", _STASH_RE.sub("", text or "")).strip()


def _inline_text_html(text: str) -> str:
    """Plain text as rich text: escaped, with **bold** kept as bold."""
    parts = []
    position = 0
    for match in _BOLD_RE.finditer(text):
        parts.append(html.escape(text[position : match.start()], quote=False))
        inner = match.group(1) or match.group(2)
        parts.append(f"<b>{html.escape(inner, quote=False)}</b>")
        position = match.end()
    parts.append(html.escape(text[position:], quote=False))
    return "".join(parts)


def _strip_bold(text: str) -> str:
    return _BOLD_RE.sub(lambda m: m.group(1) or m.group(2), text)


def _text_block(kind: str, text: str, rich: str, **extra) -> DocumentBlock:
    if kind == "paragraph" and is_disclaimer(text):
        return DocumentBlock(
            "callout", text=text, html=rich, callout_kind="disclaimer", **extra
        )
    return DocumentBlock(kind, text=text, html=rich, **extra)


def _list_block(items: list[str], ordered: bool) -> DocumentBlock:
    return DocumentBlock(
        "list",
        items=tuple(item[:MAX_LIST_ITEM_LENGTH] for item in items if item),
        ordered=ordered,
    )


def _table_block(rows: list[list[str]]) -> DocumentBlock | None:
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        return None
    width = max(len(row) for row in rows)
    padded = tuple(tuple(row + [""] * (width - len(row))) for row in rows)
    return DocumentBlock("table", rows=padded)


# Plain text -----------------------------------------------------------------


def _table_cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [_clean(_strip_bold(cell)) for cell in inner.split("|")]


def parse_text(text: str) -> ParsedDocument:
    """A plain-text article: the first line is its title."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title = ""
    while lines and not title:
        title = _clean(_strip_bold(lines.pop(0).lstrip("#")))
    blocks: list[DocumentBlock] = []
    paragraph: list[str] = []
    items: list[str] = []
    ordered = False
    table: list[list[str]] = []

    def flush():
        nonlocal paragraph, items, table
        if paragraph:
            joined = " ".join(paragraph)
            blocks.append(_text_block("paragraph", _clean(_strip_bold(joined)), joined))
            paragraph = []
        if items:
            blocks.append(_list_block(items, ordered))
            items = []
        if table:
            block = _table_block(table)
            if block:
                blocks.append(block)
            table = []

    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("|"):
            if not table:
                flush()
            if not _TABLE_RULE_RE.match(line):
                table.append(_table_cells(line))
            continue
        bullet = _BULLET_RE.match(line)
        if bullet and _is_numbered_heading(
            line, bullet, bool(items), lines[index + 1 :]
        ):
            flush()
            blocks.append(DocumentBlock("heading", text=_clean(line), level="h3"))
            continue
        if bullet:
            is_numbered = bool(bullet.group("number"))
            if not items or ordered != is_numbered:
                flush()
            ordered = is_numbered
            items.append(_clean(_strip_bold(line[bullet.end() :])))
            continue
        if looks_like_heading(line):
            flush()
            blocks.append(DocumentBlock("heading", text=_clean(_strip_bold(line))))
            continue
        if items or table:
            flush()
        if paragraph and paragraph[-1][-1] not in ".!?:;\"'”’)" and line[0].islower():
            paragraph.append(line)
            continue
        flush()
        paragraph.append(line)
    flush()
    return ParsedDocument(title, [_as_rich(block) for block in blocks])


def _is_numbered_heading(line, bullet, in_list: bool, rest: list[str]) -> bool:
    """A numbered line on its own that reads like a heading ("1. Enhanced
    DNA Repair", followed by a paragraph, not by the next item)."""
    if in_list or not bullet.group("number"):
        return False
    if not looks_like_heading(line[bullet.end() :]):
        return False
    following = next((other.strip() for other in rest if other.strip()), "")
    return not _BULLET_RE.match(following)


def _as_rich(block: DocumentBlock) -> DocumentBlock:
    """Plain-text paragraphs keep their **bold** as bold rich text."""
    if block.kind in {"paragraph", "callout"}:
        return DocumentBlock(
            block.kind,
            text=block.text,
            html=_inline_text_html(block.html or block.text),
            callout_kind=block.callout_kind,
        )
    return block


# Markdown -------------------------------------------------------------------

_SAFE_URL_RE = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)


def _inline_html(element: Element) -> str:
    """The inline content of a Markdown element as rich text.

    Bold, italic and web links are kept; anything else becomes its text.
    """
    parts = [html.escape(element.text or "", quote=False)]
    for child in element:
        inner = _inline_html(child)
        tag = child.tag
        if tag in {"strong", "b"}:
            parts.append(f"<b>{inner}</b>")
        elif tag in {"em", "i"}:
            parts.append(f"<i>{inner}</i>")
        elif tag == "a" and _SAFE_URL_RE.match(child.get("href", "")):
            href = html.escape(child.get("href", ""), quote=True)
            parts.append(f'<a href="{href}">{inner}</a>')
        elif tag == "br":
            parts.append(" ")
        elif tag in {"ul", "ol"}:
            pass
        else:
            parts.append(inner)
        parts.append(html.escape(child.tail or "", quote=False))
    return _STASH_RE.sub("", "".join(parts)).strip()


def _element_text(element: Element, skip_lists: bool = False) -> str:
    if skip_lists:
        pieces = [element.text or ""]
        for child in element:
            if child.tag not in {"ul", "ol"}:
                pieces.append(_element_text(child))
            pieces.append(child.tail or "")
        return _clean("".join(pieces))
    return _clean("".join(element.itertext()))


def _list_items(element: Element) -> list[str]:
    """Every entry of a Markdown list, nested entries after their parent."""
    items = []
    for li in element.findall("li"):
        text = _element_text(li, skip_lists=True)
        if text:
            items.append(text)
        for nested in li:
            if nested.tag in {"ul", "ol"}:
                items.extend(_list_items(nested))
    return items


def _markdown_tree(text: str) -> Element:
    import markdown
    from markdown.treeprocessors import Treeprocessor

    captured: list[Element] = []

    class Capture(Treeprocessor):
        def run(self, root):
            captured.append(root)

    converter = markdown.Markdown(extensions=["tables", "sane_lists"])
    converter.treeprocessors.register(Capture(converter), "capture_tree", 0)
    converter.convert(text)
    return captured[0]


# Python-Markdown scans from every "[" and "<" to the end of its paragraph
# looking for the link or tag it may open: quadratic time in a paragraph
# full of them (4,000 "[" take 15 s). A paragraph with more than this many
# has them escaped, read as the characters they are.
MAX_MARKUP_OPENERS = 16
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


def _bounded_markdown(text: str) -> str:
    """`text` with each paragraph checked against the passage length limit,
    and dense link and tag syntax escaped, before Markdown reads it."""
    chunks = _BLANK_LINE_RE.split(text)
    for position, chunk in enumerate(chunks):
        if problem := passage_length_problem(chunk):
            raise DocumentError(_part_problem(chunk, problem))
        if chunk.count("[") > MAX_MARKUP_OPENERS:
            chunk = chunk.replace("[", "\\[")
        if chunk.count("<") > MAX_MARKUP_OPENERS:
            chunk = chunk.replace("<", "&lt;")
        chunks[position] = chunk
    return "\n\n".join(chunks)


def _part_problem(text: str, problem: str) -> str:
    start = " ".join(text.split()[:8])
    return _("The part starting “%(start)s…”: %(problem)s") % {
        "start": start[:80],
        "problem": problem,
    }


def parse_markdown(text: str) -> ParsedDocument:
    """A Markdown article: the first "#" heading is its title."""
    root = _markdown_tree(_bounded_markdown(text))
    title = ""
    blocks: list[DocumentBlock] = []

    def walk(elements):
        nonlocal title
        for element in elements:
            tag = element.tag
            if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                heading_text = _element_text(element)
                if not heading_text:
                    continue
                if not title and (tag == "h1" or not blocks):
                    title = heading_text
                    continue
                level = "h2" if tag in {"h1", "h2"} else "h3"
                blocks.append(DocumentBlock("heading", text=heading_text, level=level))
            elif tag == "p":
                plain = _element_text(element)
                if plain:
                    blocks.append(
                        _text_block("paragraph", plain, _inline_html(element))
                    )
            elif tag in {"ul", "ol"}:
                items = _list_items(element)
                if items:
                    blocks.append(_list_block(items, ordered=tag == "ol"))
            elif tag == "table":
                rows = [
                    [_element_text(cell) for cell in row if cell.tag in {"th", "td"}]
                    for row in element.iter("tr")
                ]
                block = _table_block(rows)
                if block:
                    blocks.append(block)
            elif tag == "blockquote":
                walk(list(element))
            elif tag == "pre":
                plain = _element_text(element)
                if plain:
                    blocks.append(
                        DocumentBlock(
                            "paragraph", text=plain, html=html.escape(plain, False)
                        )
                    )

    walk(list(root))
    if not title and blocks and blocks[0].kind == "paragraph":
        first = blocks.pop(0)
        title = first.text
    return ParsedDocument(title, blocks)


# Word -----------------------------------------------------------------------


def _run_html(paragraph) -> str:
    parts = []
    for run in paragraph.runs:
        text = html.escape(run.text or "", quote=False)
        if not text:
            continue
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        parts.append(text)
    return "".join(parts).strip()


def _docx_kind(paragraph) -> tuple[str, str]:
    """("title" | "heading" | "list" | "paragraph", detail) for a paragraph."""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    lowered = style.lower()
    if lowered == "title":
        return "title", ""
    if lowered.startswith("heading"):
        digits = re.findall(r"\d+", lowered)
        level = int(digits[0]) if digits else 2
        return "heading", str(level)
    properties = paragraph._p.pPr
    numbered = properties is not None and properties.numPr is not None
    if lowered.startswith("list") or numbered:
        return "list", "ordered" if "number" in lowered else ""
    return "paragraph", ""


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.3g} MB"


def check_docx_archive(data: bytes) -> None:
    """Refuse a Word file that would unpack to too much, from its zip index.

    A .docx is a zip archive, and a few hundred kilobytes of it can unpack to
    gigabytes (a "zip bomb"). The archive's index gives every part's size
    before anything is unpacked, and Python's zipfile never unpacks a part
    past the size the index gives, so checking the index bounds the memory
    the reader can use.
    """
    damaged = _("This is not a readable Word (.docx) file; it may be damaged.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise DocumentError(damaged) from error
    if len(parts) > settings.NADSITE_DOCX_MAX_PARTS:
        raise DocumentError(
            _(
                "This Word file has %(count)s parts; at most %(limit)s are "
                "read. Save the article as a new document and try again."
            )
            % {"count": f"{len(parts):,}", "limit": settings.NADSITE_DOCX_MAX_PARTS}
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > settings.NADSITE_DOCX_MAX_UNPACKED_BYTES:
        raise DocumentError(
            _(
                "Unpacked, this Word file would be %(size)s; at most %(limit)s "
                "are read. Remove large pictures or embedded files, or split "
                "the article."
            )
            % {
                "size": _megabytes(unpacked),
                "limit": _megabytes(settings.NADSITE_DOCX_MAX_UNPACKED_BYTES),
            }
        )


def parse_docx(data: bytes) -> ParsedDocument:
    """A Word article: the Title paragraph (or the first heading) is its title."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml import etree

    check_docx_archive(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        etree.LxmlError,
        KeyError,
        ValueError,
    ) as error:
        raise DocumentError(
            _("This is not a readable Word (.docx) file; it may be damaged.")
        ) from error

    title = ""
    blocks: list[DocumentBlock] = []
    items: list[str] = []
    ordered = False

    def flush_list():
        nonlocal items
        if items:
            blocks.append(_list_block(items, ordered))
            items = []

    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            flush_list()
            table = Table(child, document)
            rows = [[_clean(cell.text) for cell in row.cells] for row in table.rows]
            block = _table_block(rows)
            if block:
                blocks.append(block)
            continue
        if tag != "p":
            continue
        paragraph = Paragraph(child, document)
        plain = _clean(paragraph.text)
        if not plain:
            continue
        kind, detail = _docx_kind(paragraph)
        if kind == "list":
            is_ordered = detail == "ordered"
            if items and is_ordered != ordered:
                flush_list()
            ordered = is_ordered
            items.append(plain)
            continue
        flush_list()
        if (
            kind in {"title", "heading"}
            and not title
            and (kind == "title" or not blocks)
        ):
            title = plain
        elif kind in {"title", "heading"}:
            level = "h2" if kind == "title" or int(detail) <= 2 else "h3"
            blocks.append(DocumentBlock("heading", text=plain, level=level))
        else:
            blocks.append(
                _text_block("paragraph", plain, _run_html(paragraph) or plain)
            )
    flush_list()
    if not title and blocks and blocks[0].kind == "paragraph":
        title = blocks.pop(0).text
    return ParsedDocument(title, blocks)


# Any file -------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(
            _(
                "The file is not UTF-8 text (it could not be decoded at byte "
                "%(position)s). Save it as UTF-8 and try again."
            )
            % {"position": error.start}
        ) from error


def too_large_message() -> str:
    return _("The file is larger than %(size)s.") % {
        "size": _megabytes(settings.NADSITE_IMPORT_MAX_BYTES)
    }


def read_document(filename: str, data: bytes) -> ParsedDocument:
    """The title and blocks of a document, or a DocumentError saying why not.

    The kind of document is taken from the file name's extension.
    """
    extension = PurePath(filename or "").suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise DocumentError(
            _(
                "“%(name)s” cannot be imported: only Markdown (.md), plain "
                "text (.txt) and Word (.docx) files can."
            )
            % {"name": PurePath(filename or "").name or _("The file")}
        )
    if not data or not data.strip():
        raise DocumentError(_("The file is empty."))
    if len(data) > settings.NADSITE_IMPORT_MAX_BYTES:
        raise DocumentError(too_large_message())
    text_limit = settings.NADSITE_IMPORT_MAX_TEXT_BYTES
    if extension != ".docx" and len(data) > text_limit:
        raise DocumentError(
            _(
                "The file is larger than %(size)s, the most a Markdown or text "
                "article may be. Split it into several articles."
            )
            % {"size": _megabytes(text_limit)}
        )
    if extension == ".docx":
        parsed = parse_docx(data)
    elif extension == ".txt":
        parsed = parse_text(_decode(data))
    else:
        parsed = parse_markdown(_decode(data))
    if not parsed.title:
        raise DocumentError(_("The document has no title (no heading or first line)."))
    if not any(block.kind != "heading" for block in parsed.blocks):
        raise DocumentError(
            _("The document has a title but no paragraphs, lists or tables.")
        )
    for block in parsed.blocks:
        if problem := passage_length_problem(block.plain_text):
            raise DocumentError(_part_problem(block.plain_text, problem))
    parsed.title = parsed.title[:255]
    return parsed
