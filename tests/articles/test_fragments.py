"""The rendered article is cached under a key that names its content.

Nothing purges these fragments: any change to what the article shows (its
live version, a cited Source, an author, the publish snapshot, a linked
page's address) gives a new key, so a stored fragment can never be stale.
"""

import pytest
from django.core.cache import cache
from django.test import override_settings

from articles.models import ArticleAuthor, Author
from evidence.models import Source
from tests.factories import (
    SourceFactory,
    make_article,
    paragraph,
    publish_approved,
)

pytestmark = pytest.mark.django_db

URL = "/articles/fragment-article/"
FRAGMENT = "articles/includes/article.html"


@pytest.fixture(autouse=True)
def fragment_cache_only():
    """A real cache for fragments; the whole-page cache off."""
    cache.clear()
    with override_settings(NADSITE_PAGE_CACHE_SECONDS=0):
        yield
    cache.clear()


@pytest.fixture
def source(db):
    return SourceFactory(title="Original source title", sample_size=12)


@pytest.fixture
def live(article_index, writer, reviewer, editor, home, source):
    link = f'<a linktype="page" id="{article_index.pk}">the index</a>'
    page = make_article(
        article_index,
        owner=writer,
        slug="fragment-article",
        title="Fragment article",
        body=[paragraph(f"NR raised NAD+; see {link}.", sources=[source])],
    )
    return publish_approved(page, reviewer, editor)


def rendered(response) -> bool:
    """Whether this response rendered the article (a fragment miss)."""
    return FRAGMENT in [t.name for t in response.templates]


def get(client):
    response = client.get(URL)
    assert response.status_code == 200
    return response


def test_the_article_is_rendered_once_then_served_from_its_fragment(client, live):
    first = get(client)
    assert rendered(first)
    second = get(client)
    assert not rendered(second)
    assert second.content == first.content


def test_editing_a_cited_source_shows_at_once_without_any_purge(client, live, source):
    assert "Original source title" in get(client).content.decode()
    assert not rendered(get(client))
    # A queryset update: no signal, no purge, not even updated_at moves.
    Source.objects.filter(pk=source.pk).update(
        title="Corrected source title", sample_size=48
    )
    response = get(client)
    assert rendered(response)
    html = response.content.decode()
    assert "Corrected source title" in html and "n = 48" in html
    assert "Original source title" not in html


def test_a_new_live_version_and_its_snapshot_show(
    client, live, writer, reviewer, editor
):
    from tests.factories import set_passage_text

    get(client)
    set_passage_text(live, writer, 0, "A second wording.")
    publish_approved(live, reviewer, editor)
    response = get(client)
    assert rendered(response)
    assert "A second wording." in response.content.decode()


def test_renaming_an_author_or_moving_a_linked_page_shows(client, live, article_index):
    author = Author.objects.create(name="Ann Writer")
    ArticleAuthor.objects.create(page=live, author=author, sort_order=0)
    assert "By Ann Writer." in get(client).content.decode()
    Author.objects.filter(pk=author.pk).update(name="Ann Writer-Jones")
    assert "By Ann Writer-Jones." in get(client).content.decode()

    assert 'see <a href="/articles/">the index</a>' in get(client).content.decode()
    # The linked page's address changes (Wagtail routes by slug, so the
    # article is still where it was).
    type(article_index).objects.filter(pk=article_index.pk).update(
        url_path=article_index.url_path.replace("/articles/", "/reading/")
    )
    html = get(client).content.decode()
    assert 'see <a href="/reading/">the index</a>' in html


def test_a_quiet_title_change_on_the_page_row_shows(client, live):
    get(client)
    type(live).objects.filter(pk=live.pk).update(title="Changed quietly")
    assert "Changed quietly" in get(client).content.decode()


def test_previews_are_never_cached(client, live, editor):
    from django.test import RequestFactory

    from articles.reading import article_view

    preview = RequestFactory().get(URL)
    preview.is_preview = True
    assert article_view(live, preview).fragment_key == ""
    assert article_view(live).fragment_key != ""
