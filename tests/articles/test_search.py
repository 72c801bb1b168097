"""Search: live articles only, highlighted matches, pages of results."""

import re

import pytest

from articles.views import highlight, query_terms
from tests.factories import SourceFactory, make_article, paragraph, publish_approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(article_index, writer, reviewer, editor):
    source = SourceFactory()

    def live(title, standfirst, slug, text="Riboside raised NAD+ levels."):
        page = make_article(
            article_index,
            owner=writer,
            slug=slug,
            title=title,
            standfirst=standfirst,
            body=[paragraph(text, sources=[source])],
        )
        return publish_approved(page, reviewer, editor)

    return {
        "nr": live(
            "Nicotinamide riboside and ageing",
            "What riboside trials <found> in people.",
            "nr-ageing",
        ),
        "iv": live(
            "IV drips", "Infusions sold by clinics.", "iv-drips", "Drips cost a lot."
        ),
        "draft": make_article(
            article_index,
            owner=writer,
            slug="riboside-draft",
            title="Riboside secret draft",
            standfirst="Riboside draft.",
        ),
    }


def test_search_finds_live_articles_and_never_drafts(client, articles):
    response = client.get("/search/", {"q": "riboside"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "/articles/nr-ageing/" in html
    assert "/articles/iv-drips/" not in html
    assert "secret draft" not in html
    assert "1 article matches" in html


def test_search_highlights_the_words_searched_safely(client, articles):
    html = client.get("/search/", {"q": "riboside"}).content.decode()
    assert "Nicotinamide <mark>riboside</mark> and ageing" in html
    assert "What <mark>riboside</mark> trials &lt;found&gt; in people." in html


def test_search_results_are_paginated(client, article_index, writer, reviewer, editor):
    source = SourceFactory()
    for n in range(12):
        publish_approved(
            make_article(
                article_index,
                owner=writer,
                title=f"Sirtuin article {n}",
                body=[paragraph("Sirtuins need NAD+.", sources=[source])],
            ),
            reviewer,
            editor,
        )
    first = client.get("/search/", {"q": "sirtuin"}).content.decode()
    second = client.get("/search/", {"q": "sirtuin", "page": 2}).content.decode()
    assert first.count('class="teaser"') == 10
    assert second.count('class="teaser"') == 2
    assert "12 articles match" in first
    assert 'href="?q=sirtuin&amp;page=2"' in first


def test_empty_and_unmatched_searches_say_so(client, articles):
    assert "<mark>" not in client.get("/search/").content.decode()
    html = client.get("/search/", {"q": "zebrafish"}).content.decode()
    assert "0 articles match" in html and "Try fewer or different words" in html


def test_header_has_a_labelled_search_form(client, articles):
    html = client.get("/articles/").content.decode()
    assert 'role="search"' in html
    assert '<label class="visually-hidden" for="site-search-q">' in html


def test_highlight_escapes_text_and_terms():
    terms = query_terms("<b> NAD")
    assert terms == ["nad"]
    assert highlight("NAD+ & <b>nadir</b>", terms) == (
        "<mark>NAD</mark>+ &amp; &lt;b&gt;<mark>nad</mark>ir&lt;/b&gt;"
    )
    assert highlight("amp &amp", ["amp"]) == "<mark>amp</mark> &amp;<mark>amp</mark>"


def test_results_show_the_body_passage_that_matched(client, articles):
    html = client.get("/search/", {"q": "cost"}).content.decode()
    assert "/articles/iv-drips/" in html
    assert '<p class="teaser__excerpt">Drips <mark>cost</mark> a lot.</p>' in html


def test_matching_excerpt_trims_long_passages_at_word_boundaries(article_index):
    from articles.views import matching_excerpt

    words = " ".join(f"word{n}" for n in range(200))
    page = make_article(article_index, body=[paragraph(f"{words} target {words}")])
    excerpt = str(matching_excerpt(page, ["target"]))
    assert re.match(r"… word\d+ ", excerpt), excerpt
    assert re.search(r" word\d+ …$", excerpt), excerpt
    assert "<mark>target</mark>" in excerpt
    assert len(excerpt) < 300


@pytest.mark.parametrize(
    "query",
    ['"', 'riboside"', '"riboside', "\x00", "riboside\x00", "NEAR(", "*", "a:b", "\\"],
)
def test_any_query_is_answered_without_an_error(articles, query):
    from django.test import Client

    response = Client(raise_request_exception=False).get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "secret draft" not in html
    if "riboside" in query:
        assert "/articles/nr-ageing/" in html


def test_a_query_with_no_words_says_what_is_looked_up(client, articles):
    html = client.get("/search/", {"q": '" * ( )'}).content.decode()
    assert "letters and numbers are looked up" in html


def test_search_looks_up_a_bounded_number_of_words(settings):
    from articles.views import search_words

    settings.NADSITE_SEARCH_MAX_WORDS = 3
    assert search_words('"NAD+" AND (riboside OR "mice_") x y') == [
        "NAD",
        "AND",
        "riboside",
    ]
