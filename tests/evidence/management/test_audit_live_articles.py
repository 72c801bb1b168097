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
    # The retraction also changed the evidence the approval rested on.
    assert [p["rule"] for p in entry["problems"]] == [
        "retracted_source",
        "approval_voided",
    ]
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


def test_a_live_page_resting_on_another_pages_reviews_is_listed(
    live_article, article_index, editor
):
    """A page that went live on reviews recorded for another page (before
    decisions were scoped to their page, a page reusing block ids did) now
    fails the rules, and the audit names it (issue 12, rule 5)."""
    import json as _json

    from articles.models import ArticlePage

    original, _source = live_article
    original = ArticlePage.objects.get(pk=original.pk)
    twin = make_article(
        article_index,
        body=list(original.body.raw_data),
        owner=editor,
        title="Twin made before the rule",
    )
    ArticlePage.objects.filter(pk=twin.pk).update(  # live behind the gate's back
        live=True, live_revision_id=twin.latest_revision_id
    )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("audit_live_articles", "--format", "json", stdout=out)
    [entry] = _json.loads(out.getvalue())
    assert entry["id"] == twin.pk
    # Its claim unapproved, its title and standfirst never read.
    assert {p["rule"] for p in entry["problems"]} == {
        "unapproved_claim",
        "undecided_unit",
    }
