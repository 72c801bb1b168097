"""Only public facts to the public: with a draft, a private page and a live
page with unpublished changes present, nothing an anonymous visitor can ask
for (every API read in the schema, the site's pages, search, the sitemap)
mentions their titles, slugs or words."""

import itertools
import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from wagtail.models import PageViewRestriction

from tests.factories import (
    SourceFactory,
    edit_body,
    make_article,
    paragraph,
    publish_approved,
)

pytestmark = pytest.mark.django_db

SECRETS = [
    "Quokka secret draft",
    "quokka-draft",
    "quokkaword",
    "Wombat private article",
    "wombat-private",
    "wombatword",
    "Numbat new title",
    "numbatword",
]


@pytest.fixture
def pages(article_index, writer, reviewer, editor):
    source = SourceFactory(title="A trial of riboside")
    draft = make_article(
        article_index,
        owner=writer,
        title="Quokka secret draft",
        slug="quokka-draft",
        standfirst="Never published quokkaword.",
        body=[paragraph("Riboside quokkaword helps.", sources=[source])],
    )
    private = publish_approved(
        make_article(
            article_index,
            owner=writer,
            title="Wombat private article",
            slug="wombat-private",
            standfirst="Behind a password wombatword.",
            body=[paragraph("Riboside wombatword helps.", sources=[source])],
        ),
        reviewer,
        editor,
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    live = publish_approved(
        make_article(
            article_index,
            owner=writer,
            title="Riboside in people",
            slug="riboside-people",
            body=[paragraph("Riboside raised NAD+.", sources=[source])],
        ),
        reviewer,
        editor,
    )

    def change(blocks):
        blocks[0]["value"]["text"] = "<p>Riboside numbatword helps.</p>"
        return blocks

    revision = edit_body(live, writer, change)
    revision.content["title"] = "Numbat new title"
    revision.save(update_fields=["content"])
    return {"draft": draft, "private": private, "live": live, "source": source}


def assert_no_secret(url, response):
    """No secret in the answer, but for those the visitor sent (a private
    page's password form repeats the address asked for)."""
    text = response.content.decode(errors="replace")
    for secret in SECRETS:
        if secret.lower() in url.lower():
            continue
        assert secret.lower() not in text.lower(), (url, secret, text[:500])


def test_anonymous_citations_of_a_source_name_only_live_public_pages(pages):
    client = APIClient()
    response = client.get(f"/api/v1/sources/{pages['source'].pk}/citations/")
    assert response.status_code == 200
    assert_no_secret("citations", response)
    data = response.json()
    assert data["count"] == 1
    assert [row["page"] for row in data["results"]] == [pages["live"].pk]


def api_reads():
    """Every GET in the API's schema, as a path template."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [path for path, methods in schema["paths"].items() if "get" in methods]


def test_every_anonymous_read_keeps_drafts_and_private_pages_out(pages):
    client = APIClient()
    page_ids = [pages[name].pk for name in ("draft", "private", "live")]
    block_ids = [
        block.id for name in ("draft", "private", "live") for block in pages[name].body
    ]
    queries = ["", "?revision=latest", "?q=quokkaword", "?page_size=100"]
    urls = ["/api/v1/", "/api/schema/", "/api/docs/"]
    for template in api_reads():
        names = re.findall(r"{(\w+)}", template)
        choices = [
            [pages["source"].pk]
            if name == "id" and template.startswith("/api/v1/sources/")
            else block_ids
            if name == "block_id"
            else page_ids
            for name in names
        ]
        for values in itertools.product(*choices):
            path = template
            for name, value in zip(names, values, strict=True):
                path = path.replace("{" + name + "}", str(value), 1)
            urls.extend(path + query for query in queries)
    urls += [
        "/",
        "/articles/",
        "/articles/quokka-draft/",
        "/articles/wombat-private/",
        "/articles/riboside-people/",
        "/search/?q=quokkaword",
        "/search/?q=wombatword",
        "/search/?q=numbatword",
        "/search/?q=riboside",
        "/sitemap.xml",
        "/robots.txt",
    ]
    statuses = set()
    for url in urls:
        response = client.get(url, follow=True)
        statuses.add(response.status_code)
        assert response.status_code < 500, url
        assert_no_secret(url, response)
    assert 200 in statuses
