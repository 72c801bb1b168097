import pytest
from django.db import connection

from articles.site_tree import ensure_site_tree
from tests.factories import UserFactory


def pytest_collection_modifyitems(config, items):
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def site_tree(db):
    """The home page and the article index at /articles/."""
    return ensure_site_tree()


@pytest.fixture
def home(site_tree):
    return site_tree[0]


@pytest.fixture
def article_index(site_tree):
    return site_tree[1]


@pytest.fixture
def writer(db):
    return UserFactory(username="writer1")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root1", is_staff=True, is_superuser=True)
