"""Turning outside bibliographic records into SourceRecords.

Reviewers never type a reference by hand: they give a DOI, a PMID or a
reference-manager file, and this package returns SourceRecords, or an
IngestError saying in one sentence why nothing was imported.

- ``crossref.fetch_doi(doi)`` / ``crossref.parse_work(message)``
- ``crossref.fetch_updates(doi)`` / ``crossref.notices_about(doi, records)``
- ``pubmed.fetch_pmids(pmids)`` / ``pubmed.parse_efetch(xml)`` /
  ``pubmed.parse_esummary(xml)``
- ``files.parse_file(name, data)`` and ``parse_bibtex``, ``parse_ris``,
  ``parse_csl_json``
- ``classify.with_suggestions(record)``: guessed design, population, grade

Nothing here imports Django models or reads settings at import time;
saving, de-duplicating and merging records into Source is the caller's job.
"""

from evidence.library.ingest.records import (
    IngestError,
    NoticeTarget,
    RetractionNotice,
    SourceRecord,
)

__all__ = ["IngestError", "NoticeTarget", "RetractionNotice", "SourceRecord"]
