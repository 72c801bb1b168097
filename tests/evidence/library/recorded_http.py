"""Recorded Crossref and PubMed answers served through the library's seam.

``serve(monkeypatch, routes)`` makes ``evidence.library.http_client()`` return
a client whose transport answers from ``tests/fixtures/`` (never the
network) and makes retries wait no time. ``routes`` maps a URL fragment
(a DOI path, ``filter=updates:...``, ``id=993``) to an answer: an
``httpx.Response``, an exception to raise, or a callable taking the request.
Requests with no route get a 404 and are logged, so a test can assert on
every request made.
"""

from pathlib import Path
from urllib.parse import unquote

import httpx

from evidence import library
from evidence.library.ingest import http

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

WAKEFIELD_DOI = "10.1016/S0140-6736(97)11096-0"
WAKEFIELD_WORK = "crossref/10.1016_s0140-6736(97)11096-0.json"
WAKEFIELD_UPDATES = "crossref/works_filter_updates_10.1016_s0140-6736(97)11096-0.json"
PLOS_DOI = "10.1371/journal.pone.0033693"
PLOS_WORK = "crossref/10.1371_journal.pone.0033693.json"
SREP_DOI = "10.1038/srep16696"
SREP_WORK = "crossref/10.1038_srep16696.json"
MISSING_DOI = "10.1371/notarealdoi"
MISSING_BODY = "crossref/10.1371_notarealdoi.404.txt"
SLEEP_PMID = "37883555"
SLEEP_EFETCH = "pubmed/efetch_37883555.xml"
RETRACTED_PMID = "993"
RETRACTED_EFETCH = "pubmed/efetch_993_retracted_publication.xml"
NOTICE_PMID = "27508352"
NOTICE_EFETCH = "pubmed/efetch_27508352_retraction_notice.xml"
EMPTY_UPDATES = b'{"status":"ok","message-type":"work-list","message":{"items":[]}}'


def body(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()


def json_answer(relative: str, status: int = 200) -> httpx.Response:
    return httpx.Response(
        status, content=body(relative), headers={"Content-Type": "application/json"}
    )


def xml_answer(relative: str) -> httpx.Response:
    return httpx.Response(
        200, content=body(relative), headers={"Content-Type": "text/xml"}
    )


def not_found() -> httpx.Response:
    return httpx.Response(
        404, content=body(MISSING_BODY), headers={"Content-Type": "text/plain"}
    )


def empty_updates() -> httpx.Response:
    return httpx.Response(
        200, content=EMPTY_UPDATES, headers={"Content-Type": "application/json"}
    )


class Routes:
    """A MockTransport handler answering by URL fragment."""

    def __init__(self, routes: dict):
        self.routes = {k.lower(): v for k, v in routes.items()}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        url = unquote(str(request.url)).lower()
        for fragment, answer in self.routes.items():
            if fragment in url:
                if isinstance(answer, Exception):
                    raise answer
                if callable(answer):
                    return answer(request)
                return answer
        return not_found()

    def client(self) -> httpx.Client:
        """The project's client (timeouts, User-Agent) on a recorded transport."""
        return http.make_client(transport=httpx.MockTransport(self))


def serve(monkeypatch, routes: dict) -> Routes:
    handler = Routes(routes)
    monkeypatch.setattr(library, "http_client", handler.client)
    monkeypatch.setattr(library, "retry_sleep", lambda seconds: None)
    return handler


def wakefield_routes() -> dict:
    """Crossref's work and its notices: the paper is retracted."""
    return {
        "filter=updates:10.1016/s0140-6736(97)11096-0": json_answer(WAKEFIELD_UPDATES),
        "/works/10.1016/s0140-6736(97)11096-0": json_answer(WAKEFIELD_WORK),
    }
