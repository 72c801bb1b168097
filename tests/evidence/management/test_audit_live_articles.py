"""audit_live_articles: live articles that no longer pass the gate."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from evidence.gate.publish import publish_latest
from tests.factories import SourceFactory, approve, make_article, paragraph

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_article(article_index, writer, reviewer, editor):
    source = SourceFactory(authors="Martens CR, Denman BA", year=2018)
    page = make_article(
        article_index,
        body=[paragraph("NAD+ levels rose in older adults.", sources=[source])],
        owner=writer,
        title="NAD+ in older adults",
    )
    approve(page, reviewer)
    publish_latest(page, editor)
    return page, source


def run(*args):
    out = StringIO()
    call_command("audit_live_articles", *args, stdout=out)
    return out.getvalue()


def test_all_passing_exits_cleanly(live_article):
    assert "Every live article passes" in run()


def test_retracted_source_is_listed_and_exits_non_zero(live_article):
    page, source = live_article
    source.retraction_status = "retracted"
    source.save()
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("audit_live_articles", stdout=out)
    assert failed.value.returncode == 1
    text = out.getvalue()
    assert "NAD+ in older adults" in text
    assert "[retracted_source]" in text and "Martens CR 2018" in text


def test_json_format(live_article):
    page, source = live_article
    source.retraction_status = "retracted"
    source.save()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("audit_live_articles", "--format", "json", stdout=out)
    [entry] = json.loads(out.getvalue())
    assert entry["id"] == page.pk
    assert [p["rule"] for p in entry["problems"]] == ["retracted_source"]
    assert set(entry["problems"][0]) == {
        "block_id",
        "position",
        "rule",
        "excerpt",
        "message",
    }


def test_drafts_are_not_audited(article_index, writer):
    make_article(article_index, body=[paragraph("NAD+ cures all.")], owner=writer)
    assert json.loads(run("--format", "json")) == []
