"""Whether a record is a paper the library already holds.

A record is the same paper as a Source when their DOIs match (DOIs are
case-insensitive), else when their PMIDs match, else when the title
(ignoring case, punctuation and a "RETRACTED:" prefix), the year and the
first author's surname all match, provided no DOI or PMID on either side
says they are different papers. Importing a paper the library already holds
updates that Source; it never adds a second one.
"""

from __future__ import annotations

import re

from evidence.library.ingest.records import SourceRecord
from evidence.models import Source
from evidence.vocab import normalize_doi, normalize_pmid, normalize_title


def _surname(authors: str) -> str:
    """The first author's surname, lower case: "Wakefield AJ" gives
    "wakefield", "van der Berg AB" gives "van der berg"."""
    first = (authors or "").split(",")[0].split(";")[0].strip()
    words = first.split()
    if len(words) > 1 and re.fullmatch(r"[A-Z]{1,4}\.?", words[-1]):
        words = words[:-1]
    return " ".join(words).lower()


def differ(a: str, b: str) -> bool:
    return bool(a and b and a != b)


def find_existing(record: SourceRecord) -> tuple[Source | None, list[Source]]:
    """The Source this record describes, if the library has it, and any
    other Sources it also matches (which look like duplicates of each other).
    """
    doi, pmid = normalize_doi(record.doi), normalize_pmid(record.pmid)
    matches: list[Source] = []
    if doi:
        matches += list(Source.objects.filter(doi__iexact=doi))
    if pmid:
        matches += [s for s in Source.objects.filter(pmid=pmid) if s not in matches]
    title = normalize_title(record.title)
    if not matches and title:
        surname = _surname(record.authors)
        candidates = Source.objects.filter(year=record.year)
        candidates = (
            candidates.filter(authors__istartswith=surname.split()[0])
            if surname
            else candidates.filter(authors="")
        )
        for source in candidates:
            if (
                normalize_title(source.title) == title
                and _surname(source.authors) == surname
                and not differ(source.doi, doi)
                and not differ(source.pmid, pmid)
            ):
                matches.append(source)
    if not matches:
        return None, []
    return matches[0], matches[1:]
