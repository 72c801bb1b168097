import httpx
import pytest

from evidence.library.ingest import http
from evidence.library.ingest.records import IngestError

URL = "https://api.crossref.org/works/10.1000/x"


def test_client_names_the_project_and_contact(replay, settings):
    settings.NADSITE_CONTACT_EMAIL = "reviews@nadsite.test"
    seen = replay(httpx.Response(200, json={}))
    with http.make_client(transport=httpx.MockTransport(seen)) as client:
        client.get(URL)
    agent = seen.requests[0].headers["User-Agent"]
    assert agent.startswith("nadsite/1.0 (+https://")
    assert agent.endswith("; mailto:reviews@nadsite.test)")
    assert client.timeout.connect == 5.0 and client.timeout.read == 10.0


def test_503_then_200_is_retried_after_backing_off(replay, sleeps):
    seen = replay(httpx.Response(503), httpx.Response(200, json={"ok": True}))
    response = http.get(seen.client(), URL, service="Crossref", sleep=sleeps.append)
    assert response.json() == {"ok": True}
    assert len(seen.requests) == 2
    assert sleeps == [0.5]


def test_retry_after_is_honoured(replay, sleeps):
    seen = replay(
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(200),
    )
    http.get(seen.client(), URL, service="Crossref", sleep=sleeps.append)
    assert sleeps == [7.0]


def test_backoff_grows_and_then_gives_up(replay, sleeps):
    seen = replay(httpx.Response(502), httpx.Response(502), httpx.Response(502))
    with pytest.raises(IngestError, match="HTTP 502 3 times; nothing was imported"):
        http.get(seen.client(), URL, service="Crossref", sleep=sleeps.append)
    assert sleeps == [0.5, 1.0]


def test_timeouts_become_a_sentence(replay, sleeps):
    seen = replay(*[httpx.ReadTimeout("slow") for _ in range(3)])
    with pytest.raises(IngestError) as caught:
        http.get(seen.client(), URL, service="Crossref", sleep=sleeps.append)
    assert str(caught.value).startswith(
        "Crossref did not answer within 10 seconds; nothing was imported."
    )


def test_connection_errors_are_retried(replay, sleeps):
    seen = replay(httpx.ConnectError("refused"), httpx.Response(200))
    assert http.get(seen.client(), URL, service="PubMed", sleep=sleeps.append)
    assert len(seen.requests) == 2


def test_client_errors_other_than_429_are_not_retried(replay, sleeps):
    seen = replay(httpx.Response(404))
    assert http.get(seen.client(), URL, service="Crossref").status_code == 404
    assert sleeps == []


def test_rate_limiter_spaces_calls():
    now = [100.0]
    waits = []

    def sleep(seconds):
        waits.append(round(seconds, 6))
        now[0] += seconds

    limiter = http.RateLimiter(3, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        limiter.wait()
    assert waits == [round(1 / 3, 6), round(1 / 3, 6), round(1 / 3, 6)]


def test_ncbi_identification_without_a_key(settings):
    settings.NADSITE_CONTACT_EMAIL = "editors@example.org"
    settings.NCBI_API_KEY = ""
    params = http.ncbi_params()
    assert params == {"tool": "nadsite", "email": "editors@example.org"}
    assert http.ncbi_limiter().interval == pytest.approx(1 / 3)


def test_ncbi_key_is_sent_and_raises_the_rate(settings):
    settings.NCBI_API_KEY = "abc123"
    assert http.ncbi_params()["api_key"] == "abc123"
    assert http.ncbi_limiter().interval == pytest.approx(1 / 10)


def test_contact_defaults_when_the_setting_is_empty(settings):
    settings.NADSITE_CONTACT_EMAIL = ""
    assert http.contact_email() == "editors@example.org"
