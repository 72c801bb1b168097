from pathlib import Path

import httpx
import pytest

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def fixture_bytes(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()


class Recorder:
    """A MockTransport handler that replays queued answers and logs requests."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


@pytest.fixture
def sleeps():
    """An injectable sleep that records the waits instead of waiting."""
    waits: list[float] = []
    return waits


def json_response(relative: str, status: int = 200) -> httpx.Response:
    return httpx.Response(
        status,
        content=fixture_bytes(relative),
        headers={"Content-Type": "application/json;charset=utf-8"},
    )


def xml_response(relative: str) -> httpx.Response:
    return httpx.Response(
        200, content=fixture_bytes(relative), headers={"Content-Type": "text/xml"}
    )


@pytest.fixture
def replay():
    """Build a Recorder: ``replay(response_or_exception, ...)``."""
    return Recorder


@pytest.fixture
def recorded():
    """Recorded bodies as responses: ``recorded.json(path)``, ``.xml(path)``."""

    class Recorded:
        json = staticmethod(json_response)
        xml = staticmethod(xml_response)
        bytes = staticmethod(fixture_bytes)

    return Recorded
