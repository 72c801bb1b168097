"""Text as a reader sees it: the one normaliser for detection and fingerprints.

Before the claim detector reads a passage, and before the publish gate
pins a decision to a passage's text, the text is put into one form, so
that what a reviewer approved and what the detector judged are the words
the page shows:

- Unicode NFKC: full-width letters, ligatures and non-breaking spaces
  become their plain forms;
- invisible characters (zero-width spaces and joiners, soft hyphens,
  direction marks, word joiners, control characters and the like) are
  removed, and reported, because they hide words from a reader of the
  source while changing nothing on the page;
- letters of another script that look like Latin ones (a Cyrillic "а" or a
  Greek "Ο" inside an English word) are reported with the words that hold
  them; for detection only they are folded to the Latin letters they
  imitate, so "сures" reads as "cures";
- stored rich text is read as the page renders it: tags are dropped, block
  elements become line breaks and entities are decoded, while a "<" that
  does not open a tag stays text. Plain values (list items, table cells,
  titles) are never treated as HTML: "<Cures arthritis>" is text;
- a table row is read as one sentence with its header: "Alzheimer's
  disease | Reversed" under "Condition | Effect" reads "Condition:
  Alzheimer's disease; Effect: Reversed."

Everything here is pure Python and linear in the length of the text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Unicode's format characters (category Cf), which have no glyph, and the
# other characters that render as nothing: the combining grapheme joiner,
# Hangul and Khmer fillers, Mongolian and other variation selectors.
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
    (0xE0100, 0xE01EF),
)
# Control characters other than tab and the line breaks.
_CONTROL_RANGES = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F))


def _char_class(ranges: Iterable[tuple[int, int]]) -> str:
    return "".join(
        re.escape(chr(low))
        if low == high
        else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in ranges
    )


_INVISIBLE_RE = re.compile(
    f"[{_char_class(_INVISIBLE_RANGES)}{_char_class(_CONTROL_RANGES)}]"
)
_LINE_BREAKS_RE = re.compile("\r\n?|[\u2028\u2029\x85]")

# Cyrillic and Greek letters drawn like Latin ones, with the letter they
# imitate. Letters that merely resemble one (Greek beta and mu, Cyrillic
# small "в", "к", "м", "н", "т") are left out: "β-carotene", "μg" and
# "Москва" are honest spellings.
_LOOKALIKES = {
    # Cyrillic
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "ѕ": "s", "і": "i",
    "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ү": "y",
    "ё": "e", "ї": "i", "ѵ": "v",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
    "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I",
    "Ј": "J", "Ԛ": "Q", "Ԝ": "W", "Ү": "Y", "Һ": "h", "Ӏ": "I", "Ё": "E",
    "Ї": "I",
    # Greek
    "ο": "o", "ν": "v", "α": "a", "ι": "i", "ρ": "p", "υ": "u",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K",
    "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}  # fmt: skip
_FOLD_TABLE = str.maketrans(_LOOKALIKES)
_WORD_RE = re.compile(r"[^\W\d_]+")
_LATIN_RE = re.compile(r"[A-Za-z\u00C0-\u024F]")
_LOOKALIKE_RE = re.compile(f"[{''.join(_LOOKALIKES)}]")


@dataclass(frozen=True)
class NormalisedText:
    """A text in the one form the detector and the fingerprints use.

    ``text`` is what the page shows (NFKC, invisible characters removed);
    ``folded`` is the same text with look-alike letters replaced by the
    Latin letters they imitate, character for character, so an offset in
    one is the same offset in the other. ``invisible`` lists the removed
    characters in order; ``mixed_script`` the words (as in ``text``) that
    hide look-alike letters.
    """

    text: str
    folded: str
    invisible: tuple[str, ...] = ()
    mixed_script: tuple[str, ...] = ()

    @property
    def suspicious(self) -> bool:
        """True when the source hides something from a reader: invisible
        characters or letters of another script inside Latin words."""
        return bool(self.invisible or self.mixed_script)

    def invisible_names(self) -> list[str]:
        """The Unicode names of the removed characters, each once, such as
        "ZERO WIDTH SPACE"."""
        names = []
        for char in dict.fromkeys(self.invisible):
            names.append(unicodedata.name(char, f"U+{ord(char):04X}"))
        return names


def _mixed_script_words(text: str) -> tuple[str, ...]:
    """Words that mix Latin letters with Cyrillic or Greek look-alikes, and
    words of two or more look-alike letters only in a text written in the
    Latin alphabet (an all-Cyrillic "сое" posing as a Latin word)."""
    if not _LOOKALIKE_RE.search(text):
        return ()
    latin_text = None
    words = []
    for match in _WORD_RE.finditer(text):
        word = match.group(0)
        if not _LOOKALIKE_RE.search(word):
            continue
        if _LATIN_RE.search(word):
            words.append(word)
            continue
        if len(word) < 2 or word.translate(_FOLD_TABLE) == word:
            continue
        if any(char not in _LOOKALIKES for char in word):
            continue
        if latin_text is None:
            latin = len(_LATIN_RE.findall(text))
            latin_text = latin * 2 > sum(1 for c in text if c.isalpha())
        if latin_text:
            words.append(word)
    return tuple(dict.fromkeys(words))


def normalise(text: str) -> NormalisedText:
    """The text as the page shows it, with what was hidden in it.

    Line breaks become "\\n"; tabs stay. The result is the same for any
    text that looks the same on the page, except for look-alike letters,
    which stay in ``text`` (they are what the source says) and are folded
    in ``folded``.
    """
    text = _LINE_BREAKS_RE.sub("\n", text or "")
    if text.isascii():
        # NFKC leaves ASCII as it is and no ASCII letter is a look-alike:
        # only control characters can hide in it (the common case, fast).
        invisible = tuple(_INVISIBLE_RE.findall(text))
        if invisible:
            text = _INVISIBLE_RE.sub("", text)
        return NormalisedText(text, text, invisible, ())
    text = unicodedata.normalize("NFKC", text)
    invisible = tuple(_INVISIBLE_RE.findall(text))
    if invisible:
        text = _INVISIBLE_RE.sub("", text)
        text = unicodedata.normalize("NFKC", text)
    mixed = _mixed_script_words(text)
    folded = _fold(text, mixed) if mixed else text
    return NormalisedText(text, folded, invisible, mixed)


def _fold(text: str, words: Sequence[str]) -> str:
    """Look-alike letters replaced by Latin ones, inside the given words
    only (length kept): a Greek passage stays Greek."""
    wanted = set(words)
    return _WORD_RE.sub(
        lambda m: (
            m.group(0).translate(_FOLD_TABLE) if m.group(0) in wanted else m.group(0)
        ),
        text,
    )


def fold_lookalikes(text: str) -> str:
    """The text for detection: normalised, look-alike letters folded."""
    return normalise(text).folded


# A "<" opens a tag only when a letter, "/", "!" or "?" follows it, as in
# an HTML parser; "[^<>]*" keeps the scan linear on unclosed brackets.
_TAG_RE = re.compile(r"<[A-Za-z/!?][^<>]*>")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_SCRIPT_RE = re.compile(
    r"<(script|style)\b[^<>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|table|thead|tbody|"
    r"tfoot|tr|caption|section|article|header|footer|aside|nav|figure|"
    r"figcaption|hr|address|details|summary)\b[^<>]*>",
    re.IGNORECASE,
)
_BR_RE = re.compile(r"<br\b[^<>]*>", re.IGNORECASE)
_CELL_RE = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_ROW_END_RE = re.compile(r"</t[dh]\s*>\s*</tr\s*>", re.IGNORECASE)
_SPACES_RE = re.compile(r"[ \t\f\v]+")
_BLANK_LINES_RE = re.compile(r"\n\s*\n\s*")


def text_from_html(value: str, *, normalised: bool = True) -> str:
    """The words a page shows for stored rich text, normalised: the one
    HTML-to-text helper.

    Block elements (paragraphs, headings, list items, table rows) become
    paragraphs separated by a blank line, so a heading never runs into the
    sentence after it; ``<br>`` is a line break; table cells are separated
    by " | "; other tags disappear; entities are decoded after the tags are
    gone, so an escaped "&lt;Cures arthritis&gt;" stays text.

    ``normalised=False`` keeps the characters as they came (no NFKC, no
    invisible characters removed), for outside metadata such as a title's
    "m²"; spaces are tidied either way.
    """
    if not value:
        return ""
    value = _SCRIPT_RE.sub(" ", value)
    value = _COMMENT_RE.sub("", value)
    value = _BR_RE.sub("\n", value)
    value = _ROW_END_RE.sub("\n\n", value)
    value = _CELL_RE.sub(" | ", value)
    value = _BLOCK_TAG_RE.sub("\n\n", value)
    value = _TAG_RE.sub("", value)
    value = html.unescape(value)
    return _tidy(normalise(value).text if normalised else value)


def plain_value(value: str) -> str:
    """A plain-text value (list item, table cell, title) as the page shows
    it: normalised, spaces tidied, nothing read as a tag."""
    return _tidy(normalise(value or "").text)


def _tidy(text: str) -> str:
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()


def _cell(value) -> str:
    return plain_value("" if value is None else str(value)).replace("\n", " ")


def table_row_text(header: Sequence, row: Sequence) -> str:
    """One table row read as a sentence with its header.

    Each cell is named by its column's heading ("Condition: Alzheimer's
    disease; Effect: Reversed."); a cell under an empty heading, or a row
    without header, is read as it stands. Empty cells are skipped.
    """
    parts = []
    for index, value in enumerate(row):
        cell = _cell(value)
        if not cell:
            continue
        heading = _cell(header[index]) if index < len(header) else ""
        heading = heading.rstrip(":").strip()
        parts.append(f"{heading}: {cell}" if heading else cell)
    if not parts:
        return ""
    sentence = "; ".join(parts)
    return sentence if sentence[-1] in ".!?" else sentence + "."


def table_sentences(
    rows: Sequence[Sequence], caption: str = "", first_row_is_header: bool = True
) -> list[str]:
    """A table as the sentences a reader takes from it: the caption, then
    each body row read with the header row (see ``table_row_text``)."""
    sentences = []
    caption = _cell(caption)
    if caption:
        sentences.append(caption)
    rows = [list(row or []) for row in rows or []]
    header: list = []
    if first_row_is_header and rows:
        header = rows.pop(0)
        if not rows:
            text = table_row_text([], header)
            return [*sentences, text] if text else sentences
    for row in rows:
        text = table_row_text(header, row)
        if text:
            sentences.append(text)
    return sentences
