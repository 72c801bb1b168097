"""The favicon and the admin's avatars (issue 14, item 8): /favicon.ico is
not a 404, and the admin asks no third party (Gravatar) for pictures."""

import io

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_the_sites_icon(client, site_tree):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url == "/static/favicon.ico"
    with open(finders.find("favicon.ico"), "rb") as icon:
        image = Image.open(io.BytesIO(icon.read()))
        assert image.format == "ICO"
        assert (32, 32) in image.info["sizes"]
    assert finders.find("favicon.svg")


def test_every_page_links_its_icon(client, site_tree):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.ico"' in html
    assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in html


def test_the_admin_shows_no_gravatar(client, editor):
    editor.email = "eli.editor@example.org"
    editor.save()
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "gravatar.com" not in html
    assert "default-user-avatar" in html
