"""Records from reference-manager exports: BibTeX, RIS and CSL-JSON.

``parse_file(name, data)`` picks the reader from the file name and, for
ambiguous names such as ``.txt``, from the content; ``parse_bibtex``,
``parse_ris`` and ``parse_csl_json`` read text directly.

A file is imported whole or not at all. Every record must have a title and
any DOI or PMID it gives must be well formed; one bad record fails the file,
and the IngestError lists every bad record with its line or position so the
reviewer can fix the export in one pass.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import bibtexparser
from bibtexparser import model as bibmodel
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    SeparateCoAuthors,
    SplitNameParts,
)
from django.conf import settings

from evidence import limits
from evidence.library.ingest.records import IngestError, SourceRecord, _, doi_url
from evidence.vocab import is_valid_doi, is_valid_pmid, normalize_doi, normalize_pmid

_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_RIS_START = re.compile(r"^TY  -", re.M)
_BIBTEX_START = re.compile(r"^\s*@\s*\w+\s*[{(]", re.M)
_DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/\S+")


def _clean(value) -> str:
    return " ".join(str(value or "").split())


def _year(value) -> int | None:
    match = re.search(r"\b(1[5-9]\d\d|2\d\d\d)\b", str(value or ""))
    return int(match.group(1)) if match else None


def _initials(given: str) -> str:
    parts = [p for p in re.split(r"[\s.\-~]+", given) if p]
    return "".join(
        p if p.isalpha() and p.isupper() and len(p) <= 3 else p[0].upper()
        for p in parts
    )


def _short_name(family: str, given: str) -> str:
    """ "Martens CR" from family "Martens" and given "Christopher R." """
    family, initials = _clean(family), _initials(_clean(given))
    return f"{family} {initials}" if family and initials else family or initials


def _name_from_text(name: str) -> str:
    """A "Last, First" or "First Last" name in the short form."""
    name = _clean(name)
    if "," in name:
        family, given = name.split(",", 1)
        return _short_name(family, given)
    parts = name.split()
    if len(parts) <= 1:
        return name
    if len(parts) == 2 and parts[1].isupper() and len(parts[1]) <= 3:
        return name
    return _short_name(parts[-1], " ".join(parts[:-1]))


def _pages(value) -> str:
    return re.sub(r"\s*(?:-{1,3}|\u2013|\u2014)\s*", "-", _clean(value))


def _doi(value) -> str:
    doi = normalize_doi(_clean(value))
    if not is_valid_doi(doi) and (match := _DOI_IN_TEXT.search(doi)):
        doi = match.group(0)
    return doi


def _check(record: SourceRecord, where: str, problems: list[str]) -> None:
    """Add what is wrong with one record to ``problems``."""
    if not record.title:
        problems.append(_("%(where)s has no title.") % {"where": where})
    if record.doi and not is_valid_doi(record.doi):
        problems.append(
            _('%(where)s has "%(doi)s" as its DOI, which is not a DOI.')
            % {"where": where, "doi": record.doi}
        )
    if record.pmid and not is_valid_pmid(record.pmid):
        problems.append(
            _('%(where)s has "%(pmid)s" as its PMID, which is not a PMID.')
            % {"where": where, "pmid": record.pmid}
        )


def _check_count(kind: str, count: int) -> None:
    """Refuse a file with more records than one import takes, before reading
    any of them."""
    limit = settings.NADSITE_REFERENCES_MAX_RECORDS
    if count > limit:
        raise IngestError(
            _(
                "The %(kind)s file holds %(count)s references; at most "
                "%(limit)s are imported at a time. Export them in smaller "
                "batches; nothing was imported."
            )
            % {"kind": kind, "count": f"{count:,}", "limit": f"{limit:,}"}
        )


def _finish(
    kind: str, records: list[SourceRecord], problems: list[str]
) -> list[SourceRecord]:
    if problems:
        raise IngestError(
            _(
                "The %(kind)s file has %(count)d problem(s); nothing was "
                "imported. Fix these in the reference manager and export again:"
            )
            % {"kind": kind, "count": len(problems)},
            problems,
        )
    if not records:
        raise IngestError(
            _("The %(kind)s file holds no references; nothing was imported.")
            % {"kind": kind}
        )
    return records


# BibTeX


def _bib_field(entry: bibmodel.Entry, *keys: str):
    for key in keys:
        field = entry.fields_dict.get(key) or entry.fields_dict.get(key.upper())
        if field is not None and field.value not in ("", None, []):
            return field.value
    return ""


def _bib_authors(value) -> str:
    if isinstance(value, list):
        names = []
        for person in value:
            if hasattr(person, "last"):
                family = " ".join([*person.von, *person.last, *person.jr])
                names.append(_short_name(family, " ".join(person.first)))
            else:
                names.append(_name_from_text(str(person)))
        return ", ".join(n for n in names if n)
    return ", ".join(
        _name_from_text(n) for n in re.split(r"\s+and\s+", _clean(value)) if n
    )


def _bib_text(value) -> str:
    """Plain text: braces dropped, simple inline maths such as NAD$^+$ or
    CO$_2$ written out as NAD+ and CO2."""
    text = re.sub(r"\$[\^_]\{?([^{}$]*)\}?\$", r"\1", str(value or ""))
    return _clean(text.replace("{", "").replace("}", ""))


def _bib_record(entry: bibmodel.Entry) -> SourceRecord:
    eprint_type = _clean(_bib_field(entry, "eprinttype")).lower()
    pmid = _bib_field(entry, "pmid") or (
        _bib_field(entry, "eprint") if eprint_type == "pubmed" else ""
    )
    doi = _doi(_bib_field(entry, "doi"))
    return SourceRecord(
        title=_bib_text(_bib_field(entry, "title")),
        authors=_bib_authors(_bib_field(entry, "author")),
        journal=_bib_text(_bib_field(entry, "journal", "journaltitle", "booktitle")),
        year=_year(_bib_field(entry, "year", "date")),
        volume=_clean(_bib_field(entry, "volume")),
        issue=_clean(_bib_field(entry, "number", "issue")),
        pages=_pages(_bib_field(entry, "pages")),
        doi=doi,
        pmid=normalize_pmid(_clean(pmid)),
        url=_clean(_bib_field(entry, "url")) or doi_url(doi),
        publication_type=entry.entry_type.lower(),
        publication_types=[entry.entry_type.lower()],
        abstract=_bib_text(_bib_field(entry, "abstract")),
        origin="bibtex",
    )


def _first_line(raw: str) -> str:
    line = (raw or "").strip().splitlines()[0] if (raw or "").strip() else ""
    return line[:60] + ("…" if len(line) > 60 else "")


def parse_bibtex(text: str) -> list[SourceRecord]:
    """Every entry in a BibTeX file, or an IngestError listing bad ones."""
    _check_count("BibTeX", len(_BIBTEX_START.findall(text)))
    try:
        library = bibtexparser.parse_string(
            text,
            append_middleware=[
                LatexDecodingMiddleware(),
                SeparateCoAuthors(),
                SplitNameParts(),
            ],
        )
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        raise IngestError(
            _("The BibTeX file could not be read (%(error)s); nothing was imported.")
            % {"error": exc}
        ) from exc
    problems: list[str] = []
    for block in library.failed_blocks:
        line = block.start_line + 1
        if isinstance(block, bibmodel.DuplicateBlockKeyBlock):
            problems.append(
                _("The entry on line %(line)d reuses the key '%(key)s'.")
                % {"line": line, "key": block.key}
            )
        else:
            problems.append(
                _(
                    "The block starting on line %(line)d (%(start)s) is not "
                    "valid BibTeX; check its braces, quotes and commas."
                )
                % {"line": line, "start": _first_line(block.raw)}
            )
    records = []
    for entry in library.entries:
        record = _bib_record(entry)
        where = _("Entry '%(key)s' (line %(line)d)") % {
            "key": entry.key,
            "line": entry.start_line + 1,
        }
        _check(record, where, problems)
        records.append(record)
    return _finish("BibTeX", records, problems)


# RIS


def _ris_chunks(text: str) -> tuple[list[tuple[int, str]], list[str]]:
    """The text of each TY … ER record with its first line number."""
    chunks, problems = [], []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        match = _RIS_TAG.match(line.rstrip())
        tag = match.group(1) if match else ""
        if tag == "TY":
            if current is not None:
                problems.append(
                    _(
                        "Record %(index)d (line %(line)d) has no ER line "
                        "closing it before the next TY line."
                    )
                    % {"index": len(chunks) + 1, "line": start}
                )
                chunks.append((start, ""))
            current, start = [line], number
        elif current is not None:
            current.append(line)
            if tag == "ER":
                chunks.append((start, "\n".join(current)))
                current = None
        elif line.strip() and tag not in ("", "ER"):
            problems.append(
                _("Line %(line)d (%(tag)s) is outside any TY … ER record.")
                % {"line": number, "tag": tag}
            )
    if current is not None:
        problems.append(
            _("Record %(index)d (line %(line)d) has no ER line closing it.")
            % {"index": len(chunks) + 1, "line": start}
        )
    return chunks, problems


def _first(values) -> str:
    if isinstance(values, list):
        values = values[0] if values else ""
    return _clean(values)


def _ris_record(data: dict) -> SourceRecord:
    authors = [*data.get("authors", []), *data.get("first_authors", [])]
    start, end = _clean(data.get("start_page")), _clean(data.get("end_page"))
    pmid = ""
    accession = _clean(data.get("accession_number"))
    database = _clean(
        f"{data.get('name_of_database', '')} {data.get('database_provider', '')}"
    ).lower()
    if re.fullmatch(r"(?i)pmid:?\s*\d+", accession) or (
        "pubmed" in database or "nlm" in database
    ):
        pmid = normalize_pmid(re.sub(r"(?i)^pmid:?\s*", "", accession))
    doi = _doi(data.get("doi"))
    kind = _clean(data.get("type_of_reference"))
    return SourceRecord(
        title=_clean(data.get("title") or data.get("primary_title")),
        authors=", ".join(_name_from_text(a) for a in authors if _clean(a)),
        journal=_clean(
            data.get("secondary_title")
            or data.get("journal_name")
            or data.get("alternate_title3")
            or data.get("alternate_title2")
            or data.get("alternate_title1")
        ),
        year=_year(
            data.get("year") or data.get("publication_year") or data.get("date")
        ),
        volume=_clean(data.get("volume")),
        issue=_clean(data.get("number")),
        pages=f"{start}-{end}" if start and end else start,
        doi=doi,
        pmid=pmid,
        url=_first(data.get("urls")) or doi_url(doi),
        publication_type=kind,
        publication_types=[kind] if kind else [],
        abstract=_clean(data.get("abstract") or data.get("notes_abstract")),
        origin="ris",
    )


def parse_ris(text: str) -> list[SourceRecord]:
    """Every TY … ER record in a RIS file, or an IngestError listing bad ones."""
    import rispy

    _check_count("RIS", len(_RIS_START.findall(text)))
    chunks, problems = _ris_chunks(text.lstrip("\ufeff"))
    records = []
    for index, (line, chunk) in enumerate(chunks, start=1):
        if not chunk:
            continue
        parsed = rispy.loads(chunk)
        record = _ris_record(parsed[0] if parsed else {})
        first_author = record.authors.split(",")[0] if record.authors else ""
        where = _("Record %(index)d (line %(line)d%(who)s)") % {
            "index": index,
            "line": line,
            "who": f", {first_author}" if first_author else "",
        }
        _check(record, where, problems)
        records.append(record)
    return _finish("RIS", records, problems)


# CSL-JSON


def _csl_year(item: dict) -> int | None:
    for key in ("issued", "published-print", "published-online"):
        value = item.get(key)
        if isinstance(value, dict):
            parts = value.get("date-parts") or [[]]
            if isinstance(parts, list) and parts and isinstance(parts[0], list):
                if parts[0]:
                    return _year(parts[0][0])
            elif parts:
                return _year(parts)
            if value.get("raw") or value.get("literal"):
                return _year(value.get("raw") or value.get("literal"))
        elif value:
            return _year(value)
    return None


def _csl_list(value) -> list:
    """A CSL list field (authors): a list, one item, or nothing."""
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, dict | str) and value else []


def _csl_author(person) -> str:
    if not isinstance(person, dict):
        return _name_from_text(str(person))
    if person.get("literal"):
        return _clean(person["literal"])
    family = " ".join(
        _clean(person.get(k))
        for k in ("non-dropping-particle", "family")
        if person.get(k)
    )
    return _short_name(family, _clean(person.get("given")))


def _csl_record(item: dict) -> SourceRecord:
    doi = _doi(item.get("DOI") or item.get("doi"))
    kind = _clean(item.get("type"))
    return SourceRecord(
        title=_clean(item.get("title")),
        authors=", ".join(
            a for a in map(_csl_author, _csl_list(item.get("author"))) if a
        ),
        journal=_clean(
            item.get("container-title") or item.get("container-title-short")
        ),
        year=_csl_year(item),
        volume=_clean(item.get("volume")),
        issue=_clean(item.get("issue")),
        pages=_pages(item.get("page")),
        doi=doi,
        pmid=normalize_pmid(_clean(item.get("PMID") or item.get("pmid"))),
        url=_clean(item.get("URL")) or doi_url(doi),
        publication_type=kind,
        publication_types=[kind] if kind else [],
        abstract=_clean(item.get("abstract")),
        origin="csl-json",
    )


def parse_csl_json(text: str) -> list[SourceRecord]:
    """Every item in a CSL-JSON file (a list, one item, or {"items": [...]})."""
    try:
        data = limits.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            _(
                "The CSL-JSON file is not valid JSON (line %(line)d: %(error)s); "
                "nothing was imported."
            )
            % {"line": exc.lineno, "error": exc.msg}
        ) from exc
    except ValueError as exc:
        raise IngestError(
            _("The CSL-JSON file cannot be read: %(error)s Nothing was imported.")
            % {"error": exc}
        ) from exc
    if isinstance(data, dict):
        data = data.get("items", [data])
    if not isinstance(data, list):
        raise IngestError(
            _("The CSL-JSON file does not hold a list of items; nothing was imported.")
        )
    _check_count("CSL-JSON", len(data))
    problems: list[str] = []
    records = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(_("Item %(index)d is not an object.") % {"index": index})
            continue
        record = _csl_record(item)
        label = f" ({_clean(item['id'])})" if item.get("id") else ""
        _check(
            record, _("Item %(index)d%(id)s") % {"index": index, "id": label}, problems
        )
        records.append(record)
    return _finish("CSL-JSON", records, problems)


# Choosing a reader

READERS: dict[str, Callable[[str], list[SourceRecord]]] = {
    ".bib": parse_bibtex,
    ".bibtex": parse_bibtex,
    ".ris": parse_ris,
    ".json": parse_csl_json,
    ".csljson": parse_csl_json,
}


def _decode(data: bytes) -> str:
    """Exports are UTF-8 nowadays; older EndNote files are Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def sniff(text: str) -> Callable[[str], list[SourceRecord]] | None:
    """The reader the content looks like it needs, if any."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if re.search(r"^TY  -", stripped, re.M):
        return parse_ris
    if stripped[:1] in "[{" and stripped:
        return parse_csl_json
    if _BIBTEX_START.search(stripped):
        return parse_bibtex
    return None


def parse_file(name: str, data: bytes) -> list[SourceRecord]:
    """Every reference in an uploaded file; all of them or an IngestError."""
    limit = settings.NADSITE_REFERENCES_MAX_BYTES
    if len(data) > limit:
        raise IngestError(
            _(
                "%(name)s is larger than %(size)s; export fewer references at "
                "a time. Nothing was imported."
            )
            % {"name": name, "size": f"{limit / 2**20:.3g} MB"}
        )
    text = _decode(data)
    extension = re.search(r"\.[^.]+$", name or "")
    reader = READERS.get(extension.group(0).lower() if extension else "")
    if reader is None:
        reader = sniff(text)
    if reader is None:
        raise IngestError(
            _(
                "%(name)s is not a file this importer can read; export the "
                "references as BibTeX (.bib), RIS (.ris) or CSL-JSON (.json)."
            )
            % {"name": name}
        )
    try:
        return reader(text)
    except IngestError as exc:
        raise IngestError(f"{name}: {exc.message}", exc.problems) from exc
