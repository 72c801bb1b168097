import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from articles.models import ArticlePage
from evidence.models import Source
from evidence.passages import read_passages

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Source.objects.count(),
        ArticlePage.objects.count(),
        get_user_model().objects.count(),
        sorted(ArticlePage.objects.values_list("slug", "live", "latest_revision_id")),
    )


def test_demo_loads_and_loading_twice_changes_nothing(capsys):
    call_command("load_demo_content")
    first = snapshot()
    call_command("load_demo_content")
    assert snapshot() == first
    assert "writer-demo-pass" in capsys.readouterr().out


def test_demo_article_is_live_and_every_claim_is_cited():
    call_command("load_demo_content")
    article = ArticlePage.objects.get(slug="nad-iv-therapy-and-ageing")
    assert article.live
    passages = read_passages(article)
    claims = [p for p in passages if p.is_claim]
    assert len(claims) >= 15
    assert all(p.usable_citations for p in claims), [
        p.excerpt for p in claims if not p.usable_citations
    ]


def test_demo_home_and_index_intros_went_live_through_review():
    """From an empty database: the home page's and the index's titles and
    introductions were read by the demo reviewer and published by the demo
    editor through the gate (issue 12, rule 1)."""
    from wagtail.models import PageLogEntry

    from articles.models import ArticleIndexPage, HomePage
    from evidence.gate import publish_problems
    from evidence.models import ReviewDecision

    call_command("load_demo_content")
    users = get_user_model().objects
    reviewer, editor = users.get(username="reviewer"), users.get(username="editor")
    for page in (HomePage.objects.get(), ArticleIndexPage.objects.get()):
        assert page.live and page.intro
        assert publish_problems(page) == []
        decided = ReviewDecision.objects.filter(page=page)
        assert sorted(decided.values_list("block_id", flat=True)) == ["intro", "title"]
        assert {d.reviewer for d in decided} == {reviewer}
        published = PageLogEntry.objects.get(page=page, action="wagtail.publish")
        assert published.user == editor


def test_demo_records_the_trials_as_oral_precursors():
    call_command("load_demo_content")
    martens = Source.objects.get(doi="10.1038/s41467-018-03421-7")
    yoshino = Source.objects.get(doi="10.1126/science.abe9985")
    assert (martens.route, martens.study_design, martens.population) == (
        "oral",
        "rct",
        "human",
    )
    assert yoshino.route == "oral" and yoshino.sample_size == 25


def test_promotional_article_is_an_uncited_draft():
    call_command("load_demo_content")
    promo = ArticlePage.objects.get(slug="nad-and-cellular-senescence")
    assert not promo.live
    draft = promo.get_latest_revision_as_object()
    passages = read_passages(draft)
    assert passages and not any(p.citations for p in passages)


def test_demo_block_ids_are_stable_across_loads():
    call_command("load_demo_content")
    ids = [p.block_id for p in read_passages(ArticlePage.objects.get(live=True))]
    ArticlePage.objects.all().delete()
    call_command("load_demo_content")
    assert [
        p.block_id for p in read_passages(ArticlePage.objects.get(live=True))
    ] == ids


@override_settings(DEMO_CONTENT_ALLOWED=False)
def test_demo_refuses_to_run_in_production_mode():
    with pytest.raises(CommandError, match="local sites only"):
        call_command("load_demo_content")
    assert not get_user_model().objects.filter(username="writer").exists()


def test_demo_grades_are_confirmed_by_the_demo_reviewer():
    call_command("load_demo_content")
    reviewer = get_user_model().objects.get(username="reviewer")
    assert not Source.objects.exclude(grade_confirmed_by=reviewer).exists()


def test_demo_articles_credit_their_author(client):
    call_command("load_demo_content")
    article = ArticlePage.objects.get(slug="nad-iv-therapy-and-ageing")
    assert article.author_names() == ["Wren Writer, MSc"]
    assert "Wren Writer" in client.get(article.url).content.decode()


INTERNAL_NOTES = re.compile(
    r"re-?verif|not (?:been )?verified|as we recall|\bTODO\b|\bFIXME\b|\bseed\b",
    re.IGNORECASE,
)


def test_demo_shows_readers_nothing_internal(client):
    """Notes for the team ("dose not re-verified") stay in data.py's comments:
    no page, study card, reference or API answer shows them (issue 14)."""
    call_command("load_demo_content")
    article = ArticlePage.objects.get(slug="nad-iv-therapy-and-ageing")
    seen = [
        client.get(article.url).content.decode(),
        client.get(f"/api/v1/articles/{article.pk}/").content.decode(),
        client.get("/api/v1/sources/?page_size=100").content.decode(),
    ]
    for text in seen:
        assert not INTERNAL_NOTES.search(text), INTERNAL_NOTES.search(text)
    for source in Source.objects.all():
        shown = " ".join([source.title, source.intervention, source.grade_rationale])
        assert not INTERNAL_NOTES.search(shown), (source.title, shown)
