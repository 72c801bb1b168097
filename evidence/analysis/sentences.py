"""Splitting a passage into sentences, in one pass over the text.

A sentence ends at ".", "!" or "?" (with any closing quotes or brackets)
followed by a space and a word that may start a sentence, and at every line
break, except a break inside a wrapped sentence (the next line starts in
lower case). Abbreviations such as "et al.", "e.g.", "Dr." and "vs." and
initials such as "J." do not end a sentence, nor does the number of a
list item ("1. Enhanced DNA Repair"); decimals such as "1.5 mg" never
look like an end. A sentence longer than ``MAX_SENTENCE_CHARS`` is cut at a
space, so the work per sentence is bounded and the whole split is linear in
the length of the text.
"""

from __future__ import annotations

import re

MAX_SENTENCE_CHARS = 1000

_ABBREVIATIONS = frozenset(
    re.findall(
        r"\S+",
        """
        al approx ca cf dept dr e.g eg esp fig figs i.e ie incl jr mr mrs
        ms mt prof pp resp sr st vol vs viz wt
        """,
    )
)
# A possible end: terminal marks, closing quotes or brackets, then space;
# or a line break.
_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")
_WRAPPED_RE = re.compile(r"(?<=[^\s.!?:;])\n(?=[ \t]*[a-z(])")
_LIST_NUMBER_RE = re.compile(r"\s*(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4})")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _join_wrapped_lines(text: str) -> str:
    """A line break inside a wrapped sentence becomes a space (the text
    keeps its length, so offsets still point into the original)."""
    return _WRAPPED_RE.sub(" ", text)


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the "." at ``dot`` closes an abbreviation or an initial."""
    match = _WORD_BEFORE_RE.search(text, max(0, dot - 12), dot)
    if not match:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():
        return True
    return word.lower().lstrip(".") in _ABBREVIATIONS


def _starts_sentence(text: str, position: int) -> bool:
    """True when the text after ``position`` (spaces skipped) may open a
    new sentence: anything but a lower-case word or a closing mark."""
    length = len(text)
    while position < length and text[position] in " \t":
        position += 1
    if position >= length:
        return True
    char = text[position]
    return not (char.islower() or char in ",;:)]")


def _cut_long(text: str, start: int, end: int):
    """Pieces of at most MAX_SENTENCE_CHARS, cut at the last space."""
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, limit)
        cut = limit if cut < 0 else cut
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        yield start, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the sentences of a plain-text passage,
    without surrounding spaces."""
    if not text:
        return []
    prepared = _join_wrapped_lines(text)
    spans = []
    start = 0
    for match in _END_RE.finditer(prepared):
        end = match.end()
        if match.group(0) != "\n":
            mark = match.group(0)
            single_dot = mark[0] == "." and len(mark.rstrip("\"'”’)]")) == 1
            if single_dot and (
                _is_abbreviation(prepared, match.start())
                or _LIST_NUMBER_RE.fullmatch(prepared, start, match.start())
            ):
                continue
            if not _starts_sentence(prepared, end):
                continue
        spans.append((start, end))
        start = end
    spans.append((start, len(prepared)))
    result = []
    for begin, finish in spans:
        while begin < finish and prepared[begin].isspace():
            begin += 1
        while finish > begin and prepared[finish - 1].isspace():
            finish -= 1
        if begin < finish:
            result.extend(_cut_long(prepared, begin, finish))
    return result


def split_sentences(text: str) -> list[tuple[str, int, int]]:
    """The sentences of a plain-text passage with their offsets in it.

    Line breaks end sentences; abbreviations such as "et al.", "e.g." and
    "Dr." and decimals such as "1.5 mg" do not.
    """
    return [(text[start:end], start, end) for start, end in sentence_spans(text)]
