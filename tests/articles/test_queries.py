"""The article page costs the same few queries however long it is."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    SourceFactory,
    heading,
    make_article,
    paragraph,
    publish_approved,
    set_passage_text,
    study,
    table,
)

pytestmark = pytest.mark.django_db

# Wagtail routes the request: the article read as its own type in one query
# (`PublicPageMixin.route`), the view restrictions of the article's line of
# pages in one (`get_view_restrictions`): 2 (the request's Site, with its
# root page as its own type, the index the request passes through and the
# site's disclaimer setting come from the cache, articles/sites.py). Then
# the snapshot, the cited Sources, the linked pages and the authors: 6. An
# article republished since its first publication costs one more on a
# fragment miss: its Updates list (articles/updates.py, issue 17): 7.
MAX_QUERIES = 10
# With every cache empty (a new cache, or a flushed one), Wagtail also looks
# up the Site, the home page as its own type, the index, the disclaimer and
# its site root paths (`get_full_url`): five more (11 for the articles here,
# published once; 12 republished). A publish empties none of them: Wagtail
# clears its root paths when a Site or a site's root page is saved, and
# after an hour; articles/sites.py starts a new generation when a Site or a
# site setting changes or a page moves.
MAX_COLD_QUERIES = 12
NO_CACHES = {
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
    "NADSITE_PAGE_CACHE_SECONDS": 0,
}
FRAGMENT = "articles/includes/article.html"


def body_with_citations(count: int, home) -> list:
    """Passages of every kind citing `count` distinct sources in all, five
    per passage, with internal links in the rich text."""
    sources = SourceFactory.create_batch(count)
    link = f'<a linktype="page" id="{home.pk}">home</a>'
    body = [heading("Start")]
    for n in range(0, count, 5):
        group = sources[n : n + 5]
        body.append(paragraph(f"Claim {n} with a {link} link.", sources=group))
        if n % 50 == 0:
            body.append(study(group[0]))
            body.append(table([["a", "b"], ["1", "2"]], sources=group[:1]))
            body.append(heading(f"Section {n}", level="h3"))
    return body


def queries_for(client, url) -> int:
    client.get(url)  # warm Python-level imports and templates
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def publish_both(client, article_index, writer, reviewer, editor, few, many, home):
    pages = [
        publish_approved(
            make_article(
                article_index,
                owner=writer,
                slug=slug,
                body=body_with_citations(count, home),
            ),
            reviewer,
            editor,
        )
        for slug, count in (("small", few), ("large", many))
    ]
    for page, count in zip(pages, (few, many), strict=True):
        html = client.get(page.url).content.decode()
        assert html.count('<li id="ref-') == count
        assert 'href="/"' in html  # the page link was expanded
    return pages


@pytest.mark.parametrize("few, many", [(2, 20), (5, 200)])
@override_settings(NADSITE_PAGE_CACHE_SECONDS=0)
def test_the_first_render_after_a_publish_costs_the_same_few_queries(
    client, home, article_index, writer, reviewer, editor, few, many
):
    """As on a running site: the article was read before, then a new version
    goes live; its first request misses the fragment caches and renders."""
    cache.clear()
    pages = publish_both(
        client, article_index, writer, reviewer, editor, few, many, home
    )
    link = f'<a linktype="page" id="{home.pk}">home</a>'
    counts = []
    for page in pages:
        set_passage_text(page, writer, 1, f"A new wording with a {link} link.")
        publish_approved(page, reviewer, editor)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.url)
        assert response.status_code == 200
        assert FRAGMENT in [t.name for t in response.templates]  # rendered
        assert "A new wording" in response.content.decode()
        counts.append(len(captured.captured_queries))
        # Then the page cache missed, the fragments kept: one fewer (the
        # Updates list is only read to render).
        assert queries_for(client, page.url) == counts[-1] - 1
    assert counts[0] == counts[1]
    assert counts[1] <= MAX_QUERIES


@pytest.mark.parametrize("few, many", [(2, 20), (5, 200)])
@override_settings(**NO_CACHES)
def test_with_every_cache_empty_the_count_does_not_grow_with_citations(
    client, home, article_index, writer, reviewer, editor, few, many
):
    small, large = publish_both(
        client, article_index, writer, reviewer, editor, few, many, home
    )
    small_count = queries_for(client, small.url)
    large_count = queries_for(client, large.url)
    assert small_count == large_count
    assert large_count <= MAX_COLD_QUERIES
