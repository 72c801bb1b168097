"""The API walk-through in docs/api.md, run as written against a live server.

Only the address in its first line is changed, to the test server's; every
other line is the documented script, run by bash with curl and python3.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache

from articles.demo import load_demo_content
from articles.models import ArticlePage

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
LOCAL_ADDRESS = "http://127.0.0.1:8000"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def walkthrough_script() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("\n## Walk-through\n", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def json_documents(output: str) -> list:
    """The JSON answers the script printed, one after another."""
    decoder, documents, at = json.JSONDecoder(), [], 0
    while at < len(output):
        if output[at].isspace():
            at += 1
            continue
        document, at = decoder.raw_decode(output, at)
        documents.append(document)
    return documents


def test_the_documented_walkthrough_runs_as_written(live_server):
    assert shutil.which("curl"), "the walk-through needs curl (make system-deps)"
    script = walkthrough_script()
    assert script.startswith(f"API={LOCAL_ADDRESS}/api/v1\n")
    cache.clear()
    load_demo_content()

    result = subprocess.run(
        ["bash", "-eu", "-o", "pipefail", "-c"]
        + [script.replace(LOCAL_ADDRESS, live_server.url, 1)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    documents = json_documents(result.stdout)
    readiness, refused, confirmed, review, published, public = documents
    assert readiness["publishable"] is False
    assert [(p["block_id"], p["rule"]) for p in readiness["problems"]][:2] == [
        ("title", "undecided_unit"),
        ("standfirst", "undecided_unit"),
    ]
    assert readiness["problems"][2]["rule"] == "unapproved_claim"
    assert refused["publishable"] is False
    assert refused["problems"] == readiness["problems"]
    assert [d["decision"] for d in confirmed] == ["not_a_claim", "not_a_claim"]
    assert review["decision"] == "approve"
    assert review["certainty"] == review["suggested_certainty"] == "high"
    assert published["live"] is True
    assert public["id"] == published["id"]
    title, standfirst, passage = public["passages"]
    assert (title["type"], title["text"]) == ("title", "Oral NR and NAD+")
    assert standfirst["review"]["status"] == "confirmed_not_claim"
    assert passage["review"]["status"] == "approved"
    assert passage["text"] == "Oral NR raised blood NAD+ in adults."
    assert [p["name"] for p in public["reviewed_by"]] == ["Dr Rhea Okafor"]

    article = ArticlePage.objects.get(pk=public["id"])
    assert article.live and article.owner.username == "writer"
    assert [r.user.username for r in article.revisions.order_by("pk")] == ["writer"]
