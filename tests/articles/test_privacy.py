"""Private articles stay private: Wagtail's view restrictions are enforced on
article pages, whichever page of the line above them carries the restriction."""

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from wagtail.models import PageViewRestriction

from tests.factories import SourceFactory, make_article, paragraph, publish_approved

pytestmark = pytest.mark.django_db

SECRET = "Only members may read this passage."
NO_PAGE_CACHE = {"NADSITE_PAGE_CACHE_SECONDS": 0}


@pytest.fixture
def article(article_index, writer, reviewer, editor):
    page = make_article(
        article_index,
        owner=writer,
        slug="members-only",
        body=[paragraph(SECRET, sources=[SourceFactory()])],
    )
    return publish_approved(page, reviewer, editor)


def restrict(page, kind, **fields):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=kind, **fields
    )


@override_settings(**NO_PAGE_CACHE)
def test_an_unrestricted_article_is_public(client, article):
    response = client.get("/articles/members-only/")
    assert response.status_code == 200
    assert SECRET in response.content.decode()


@override_settings(**NO_PAGE_CACHE)
def test_login_restriction_on_the_article(client, article, writer):
    restrict(article, PageViewRestriction.LOGIN)
    response = client.get("/articles/members-only/")
    assert response.status_code == 302
    assert "members-only" in response["Location"]
    assert SECRET not in response.content.decode()

    client.force_login(writer)
    response = client.get("/articles/members-only/")
    assert response.status_code == 200
    assert SECRET in response.content.decode()


@override_settings(**NO_PAGE_CACHE)
def test_password_restriction_on_the_article_index(client, article, article_index):
    restrict(article_index, PageViewRestriction.PASSWORD, password="letmein")
    response = client.get("/articles/members-only/")
    html = response.content.decode()
    assert SECRET not in html
    assert 'name="password"' in html


@override_settings(**NO_PAGE_CACHE)
def test_group_restriction_on_the_home_page(client, article, home, writer):
    members = Group.objects.create(name="Members")
    restrict(home, PageViewRestriction.GROUPS).groups.add(members)
    client.force_login(writer)
    assert SECRET not in client.get("/articles/members-only/").content.decode()

    writer.groups.add(members)
    response = client.get("/articles/members-only/")
    assert response.status_code == 200
    assert SECRET in response.content.decode()


@override_settings(**NO_PAGE_CACHE)
def test_an_alias_takes_its_source_pages_restriction(client, article, article_index):
    article_index.create_alias(recursive=True, update_slug="mirror")
    assert SECRET in client.get("/mirror/members-only/").content.decode()

    restrict(article, PageViewRestriction.LOGIN)
    response = client.get("/mirror/members-only/")
    assert response.status_code == 302
    assert SECRET not in response.content.decode()
