"""schema.org data, OpenGraph and the canonical address of an article."""

import json
import re

import pytest
from django.test import override_settings

from evidence.models import ReviewerProfile
from tests.factories import SourceFactory, make_article, paragraph, publish_approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_article(article_index, writer, reviewer, editor):
    from articles.models import ArticleAuthor, Author

    ReviewerProfile.objects.create(
        user=reviewer, display_name="Dr Rhea Okafor", credentials="MD, MPH"
    )
    trial = SourceFactory(doi="10.1038/s41467-018-03421-7", pmid="29599478")
    page = make_article(
        article_index,
        owner=writer,
        slug="nr-and-nad",
        title="NR </script> and NAD+",
        subject_intervention="NAD+",
        subject_route="intravenous",
        body=[paragraph("NR raised NAD+.", sources=[trial])],
    )
    ArticleAuthor.objects.create(
        page=page, author=Author.objects.create(name="Wren Writer", credentials="MPH")
    )
    page.save_revision(user=writer)
    return publish_approved(page, reviewer, editor)


def json_ld(html: str) -> dict:
    (payload,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    return json.loads(payload)


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0)
def test_article_carries_medical_web_page_json_ld(client, live_article, reviewer):
    data = json_ld(client.get("/articles/nr-and-nad/").content.decode())

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == "NR </script> and NAD+"  # escaped in the page
    assert data["url"] == "http://localhost/articles/nr-and-nad/"
    assert data["lastReviewed"] == live_article.last_reviewed_at.date().isoformat()
    assert data["reviewedBy"] == [
        {
            "@type": "Person",
            "name": "Dr Rhea Okafor",
            "jobTitle": "MD, MPH",
            "url": f"http://localhost/reviewers/{reviewer.pk}/",
        }
    ]
    assert data["author"] == [
        {"@type": "Person", "name": "Wren Writer", "jobTitle": "MPH"}
    ]
    assert data["about"]["name"] == "NAD+"
    (citation,) = data["citation"]
    assert citation["@type"] == "ScholarlyArticle"
    assert {(i["propertyID"], i["value"]) for i in citation["identifier"]} == {
        ("DOI", "10.1038/s41467-018-03421-7"),
        ("PMID", "29599478"),
    }
    assert citation["url"] == "https://doi.org/10.1038/s41467-018-03421-7"


@override_settings(NADSITE_PAGE_CACHE_SECONDS=0)
def test_article_has_canonical_url_and_open_graph(client, live_article):
    html = client.get("/articles/nr-and-nad/").content.decode()
    url = "http://localhost/articles/nr-and-nad/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="NR &lt;/script&gt; and NAD+">' in html
    assert 'property="og:description"' in html
    assert "</script> and NAD+" not in html.split("<body>")[0].split("ld+json")[1]
