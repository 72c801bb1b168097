"""The source library: bringing outside records in, without duplicates.

Reviewers never type a reference by hand. They give DOIs, PMIDs or a
reference-manager file; `ingest` turns those into SourceRecords (no models),
and the modules here save them into the library:

- `importing`: a batch of records saved whole or not at all;
- `matching`: whether a record is a Source the library already holds;
- `grades`: a grade is a medical reviewer's judgement, confirmed by one;
- `merging`: two Sources for one paper become one, citations and all;
- `retractions`: keeping retraction statuses current, and the live pages
  that cite a retracted Source;
- `references`: AMA reference strings, formatted by citeproc-py;
- `mentions`: studies an article names by author and year, matched.

The HTTP seam below is how the library reaches Crossref and PubMed; tests
replace it to serve recorded answers.
"""

import time

import httpx

from evidence.library.ingest import http


def http_client() -> httpx.Client:
    """The client used to reach Crossref and PubMed."""
    return http.make_client()


def retry_sleep(seconds: float) -> None:
    """How the importer waits between retries."""
    time.sleep(seconds)
