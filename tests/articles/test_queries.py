"""The article page costs the same few queries however long it is."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    SourceFactory,
    heading,
    make_article,
    paragraph,
    publish_approved,
    study,
    table,
)

pytestmark = pytest.mark.django_db

# Wagtail routes the request: the site, the home page as its own type, the
# index and the article each read as their own type in one query
# (`PublicPageMixin.route`), the view restrictions of the article's line of
# pages in one (`get_view_restrictions`): 5. Then the snapshot, the cited
# Sources, the linked pages' addresses, the authors and the disclaimer: 10.
# An article republished since its first publication costs one more on a
# cache miss: its Updates list (articles/updates.py, issue 17).
MAX_QUERIES = 10
NO_CACHES = {
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
    "NADSITE_PAGE_CACHE_SECONDS": 0,
}


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


@pytest.mark.parametrize("few, many", [(2, 20), (5, 200)])
@override_settings(**NO_CACHES)
def test_article_queries_do_not_grow_with_citations(
    client, home, article_index, writer, reviewer, editor, few, many
):
    small = publish_approved(
        make_article(
            article_index,
            owner=writer,
            slug="small",
            body=body_with_citations(few, home),
        ),
        reviewer,
        editor,
    )
    large = publish_approved(
        make_article(
            article_index,
            owner=writer,
            slug="large",
            body=body_with_citations(many, home),
        ),
        reviewer,
        editor,
    )
    small_html = client.get(small.url).content.decode()
    large_html = client.get(large.url).content.decode()
    assert small_html.count('<li id="ref-') == few
    assert large_html.count('<li id="ref-') == many
    assert 'href="/"' in large_html  # the page link was expanded

    small_count = queries_for(client, small.url)
    large_count = queries_for(client, large.url)
    assert small_count == large_count
    assert large_count <= MAX_QUERIES
