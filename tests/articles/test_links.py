"""Internal page links in rich text: Wagtail's addresses, every linked page
read in one query (articles/links.py)."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
from wagtail.rich_text import expand_db_html, features
from wagtail.rich_text.pages import PageLinkHandler
from wagtail.rich_text.rewriters import LinkRewriter

from articles.links import PageLinks
from tests.factories import SourceFactory, make_article, paragraph, publish_approved

pytestmark = pytest.mark.django_db

MISSING = 987654


def link(page_id, text="link") -> str:
    return f'<a linktype="page" id="{page_id}">{text}</a>'


@pytest.fixture
def article(article_index, writer, reviewer, editor):
    page = make_article(
        article_index,
        owner=writer,
        slug="linked",
        body=[paragraph(sources=[SourceFactory()])],
    )
    return publish_approved(page, reviewer, editor)


def wagtails_own(html: str) -> str:
    """`html` with its page links expanded by Wagtail's own handler."""
    return LinkRewriter(bulk_rules={"page": PageLinkHandler.expand_db_attributes_many})(
        html
    )


def test_page_links_are_ours_for_every_rich_text():
    assert features.get_link_types()["page"] is PageLinks


def test_every_linked_page_is_read_in_one_query_with_wagtails_addresses(
    home, article_index, article
):
    html = " ".join(
        link(page.pk, page.title)
        for page in (home, article_index, article, home, Page(pk=MISSING))
    )
    Site.get_site_root_paths()  # Wagtail's cached root paths, as when serving
    with CaptureQueriesContext(connection) as captured:
        ours = expand_db_html(html)
    # Wagtail's handler: the pages, then each of the three types: 4 queries.
    assert len(captured) == 1
    assert ours == wagtails_own(html)
    assert '<a href="/">' in ours and '<a href="/articles/linked/">' in ours
    assert ours.endswith("<a></a>")  # a missing page: an empty link


def test_a_text_without_page_links_costs_no_query(home):
    html = '<p><a href="https://example.org/">out</a> and <b>bold</b></p>'
    with CaptureQueriesContext(connection) as captured:
        assert expand_db_html(html) == html
    assert len(captured) == 0


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["*"])
def test_an_article_links_to_its_own_site_by_path_and_to_another_in_full(
    client, home, article_index, writer, reviewer, editor
):
    """The article's links are Wagtail's addresses for the request
    (`page.get_url(request)`): a path on the site serving it, the full
    address on another site."""
    other_root = Page.get_first_root_node().add_child(
        instance=Page(title="Other site", slug="other-root")
    )
    elsewhere = other_root.add_child(instance=Page(title="Elsewhere", slug="there"))
    Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    page = make_article(
        article_index,
        owner=writer,
        slug="two-sites",
        body=[
            paragraph(
                f"See {link(article_index.pk, 'the index')} and "
                f"{link(elsewhere.pk, 'elsewhere')}.",
                sources=[SourceFactory()],
            )
        ],
    )
    publish_approved(page, reviewer, editor)
    html = client.get("/articles/two-sites/").content.decode()
    assert '<a href="/articles/">the index</a>' in html
    assert '<a href="http://other.example/there/">elsewhere</a>' in html
