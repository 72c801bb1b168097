"""Finding the studies an article mentions by author and year, and matching
them against the Source library.

Writers name studies the way journalists do: "Martens et al. (2018, Nature
Communications)", "Yoshino et al. (2021, Science)", "Lopez-Otin and
colleagues (Cell, 2013, updated 2023)", "a 2019 study in Science" or "the
2013 Sinclair lab study (Cell)". A mention matches a Source when

- the year is one of the mention's years, and
- the surname is the Source's first author (accents, hyphens and case are
  ignored, so "Lopez-Otin" is "López-Otín"); for a "lab study" the named
  person usually leads the lab and is listed last, so any listed author
  counts, and
- the journal, when the mention gives one, is the Source's journal.

A mention with a journal and a year but no name ("a 2019 study in Science")
matches only when exactly one Source fits; otherwise it is reported as
ambiguous. Matches are suggestions: the import attaches them as "mentions"
citations, and a medical reviewer confirms them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from evidence.models import Source

_YEAR = r"(?:19|20)\d\d[a-z]?"
_SURNAME = r"(?:(?:van|von|de|da|del|der|di|le|la|du|dos|mac|o')\s+)?" + (
    r"[A-Z][\w’'\-]*[a-z][\w’'\-]*"
)
_JOURNAL_WORD = r"(?:[A-Z][\w.&’'\-]*|of|and|the|for|in|&)"

_AUTHOR_RE = re.compile(
    rf"""(?P<name>{_SURNAME})
        \s+(?:et\s+al\.?|and\s+(?:colleagues|co-?workers|coauthors)|
              (?:and|&)\s+{_SURNAME})
        (?:\s*,?\s*\((?P<inside>[^()]*?{_YEAR}[^()]*)\)
          |\s*,?\s+(?:in\s+)?(?P<year>{_YEAR})\b)""",
    re.VERBOSE,
)
_LAB_RE = re.compile(
    rf"""\b(?P<year>{_YEAR})\s+(?P<name>{_SURNAME})\s+
        (?:[Ll]ab(?:oratory)?|[Gg]roup|[Tt]eam)\s+
        (?:[Ss]tudy|[Tt]rial|[Pp]aper|[Rr]eport)
        (?:\s*\((?P<journal>[^()]+)\))?""",
    re.VERBOSE,
)
_STUDY_IN_RE = re.compile(
    rf"""\b(?:[Aa]n?|[Tt]he|[Oo]ne)\s+(?P<year>{_YEAR})\s+
        (?:[\w-]+\s+){{0,2}}?
        (?:study|trial|paper|review|analysis|meta-analysis|report|experiment)
        \s+(?:published\s+)?in\s+(?:the\s+)?(?:journal\s+)?
        (?P<journal>[A-Z][\w.&’'\-]*(?:\s+{_JOURNAL_WORD})*)""",
    re.VERBOSE,
)
_YEAR_RE = re.compile(rf"\b{_YEAR}\b")
_TRAILING_SMALL = re.compile(r"(?:\s+(?:of|and|the|for|in|&))+$")
_INITIALS_RE = re.compile(r"^(?:[A-Z]\.?){1,4}$")


@dataclass(frozen=True)
class Mention:
    """A study named in the text, by author and year or by year and journal."""

    text: str
    surname: str
    years: tuple[int, ...]
    journal: str = ""
    any_author: bool = False


@dataclass
class MentionMatch:
    mention: Mention
    sources: list[Source] = field(default_factory=list)
    reason: str = ""

    @property
    def matched(self) -> bool:
        return bool(self.sources)


def fold(value: str) -> str:
    """Lower case, accents and everything but letters and digits removed."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def fold_journal(value: str) -> str:
    words = re.sub(r"[^\w\s]", " ", value or "").split()
    words = [word for word in words if word.lower() != "the"]
    return fold(" ".join(words))


def author_surnames(authors: str) -> list[str]:
    """Folded surnames from a Vancouver-style author list ("López-Otín C,
    Blasco MA, ..."), dropping "et al."."""
    surnames = []
    for author in (authors or "").replace(";", ",").split(","):
        words = author.strip().split()
        if not words or fold(" ".join(words)) in {"etal", ""}:
            continue
        if len(words) > 1 and _INITIALS_RE.match(words[-1]):
            words = words[:-1]
        surnames.append(fold(" ".join(words)))
    return surnames


def _years(text: str) -> tuple[int, ...]:
    return tuple(dict.fromkeys(int(match[:4]) for match in _YEAR_RE.findall(text)))


def _journal_from_parentheses(inside: str) -> str:
    for part in inside.split(","):
        part = part.strip()
        if part and not _YEAR_RE.search(part):
            return part
    return ""


def find_mentions(text: str) -> list[Mention]:
    """Every study the text names by author and year or by year and journal."""
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(match, mention):
        span = match.span()
        if any(start < span[1] and span[0] < end for start, end in taken):
            return
        taken.append(span)
        mentions.append(mention)

    for match in _AUTHOR_RE.finditer(text or ""):
        inside = match.group("inside")
        if inside is not None:
            years = _years(inside)
            journal = _journal_from_parentheses(inside)
        else:
            years = _years(match.group("year"))
            journal = ""
        add(match, Mention(match.group(0), match.group("name"), years, journal))
    for match in _LAB_RE.finditer(text or ""):
        add(
            match,
            Mention(
                match.group(0),
                match.group("name"),
                _years(match.group("year")),
                (match.group("journal") or "").strip(),
                any_author=True,
            ),
        )
    for match in _STUDY_IN_RE.finditer(text or ""):
        journal = _TRAILING_SMALL.sub("", match.group("journal").rstrip(".,;:"))
        add(match, Mention(match.group(0), "", _years(match.group("year")), journal))
    mentions.sort(key=lambda mention: (text or "").find(mention.text))
    return mentions


def _fits(mention: Mention, source: Source) -> bool:
    if source.year not in mention.years:
        return False
    if mention.journal and fold_journal(mention.journal) != fold_journal(
        source.journal
    ):
        return False
    if not mention.surname:
        return True
    surnames = author_surnames(source.authors)
    wanted = fold(mention.surname)
    if mention.any_author:
        return wanted in surnames
    return bool(surnames) and surnames[0] == wanted


def match_mentions(mentions: list[Mention]) -> list[MentionMatch]:
    """Each mention with the Sources it matches, in one query for all."""
    years = {year for mention in mentions for year in mention.years}
    candidates = (
        list(Source.objects.filter(year__in=years).order_by("year", "pk"))
        if years
        else []
    )
    results = []
    for mention in mentions:
        found = [source for source in candidates if _fits(mention, source)]
        if not mention.surname and len(found) > 1:
            results.append(
                MentionMatch(
                    mention,
                    [],
                    f"{len(found)} sources fit; choose the right one by hand",
                )
            )
        elif found:
            results.append(MentionMatch(mention, found))
        else:
            results.append(MentionMatch(mention, [], "no source in the library fits"))
    return results
