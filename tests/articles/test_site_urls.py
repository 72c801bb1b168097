"""Absolute URLs (sitemap, canonical, JSON-LD) come from the Site's hostname and
port, never from a hard-coded http://localhost/ (issue 14, item 8)."""

import json
import re

import pytest
from django.test import override_settings
from wagtail.models import Site

from articles.demo import load_demo_content
from articles.models import ArticlePage

pytestmark = pytest.mark.django_db

SLUG = "nad-iv-therapy-and-ageing"


def absolute_urls(client, host):
    article = client.get(f"/articles/{SLUG}/", HTTP_HOST=host)
    assert article.status_code == 200
    html = article.content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
    ld = json.loads(
        re.search(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.S
        ).group(1)
    )
    sitemap = client.get("/sitemap.xml", HTTP_HOST=host).content.decode()
    return canonical, ld, sitemap


@override_settings(ALLOWED_HOSTS=["*"])
def test_urls_follow_the_sites_hostname_and_port(client):
    load_demo_content()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "health.example.org", 8443
    site.save()
    canonical, ld, sitemap = absolute_urls(client, "health.example.org:8443")
    expected = f"http://health.example.org:8443/articles/{SLUG}/"
    assert canonical == expected
    assert ld["url"] == ld["mainEntityOfPage"] == expected
    assert f"<loc>{expected}</loc>" in sitemap
    assert "localhost" not in sitemap

    site.hostname, site.port = "health.example.org", 443
    site.save()
    canonical, ld, sitemap = absolute_urls(client, "health.example.org")
    expected = f"https://health.example.org/articles/{SLUG}/"
    assert canonical == expected and ld["url"] == expected
    assert f"<loc>{expected}</loc>" in sitemap


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_the_demo_site_has_the_address_it_is_served_at(client):
    """`make run` serves http://127.0.0.1:8000/: the demo's URLs say so, not
    Wagtail's placeholder http://localhost/."""
    load_demo_content()
    canonical, ld, sitemap = absolute_urls(client, "127.0.0.1:8000")
    expected = f"http://127.0.0.1:8000/articles/{SLUG}/"
    assert canonical == expected and ld["url"] == expected
    assert f"<loc>{expected}</loc>" in sitemap
    assert "localhost" not in sitemap + canonical


def test_a_site_someone_set_is_left_alone(site_tree):
    # Saved as the admin saves it (Wagtail forgets its cached site root paths).
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "health.example.org", 443
    site.save()
    with override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000"):
        load_demo_content()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("health.example.org", 443)
    assert (
        ArticlePage.objects.get(slug=SLUG)
        .get_full_url()
        .startswith("https://health.example.org/")
    )
