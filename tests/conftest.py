import pytest
from django.db import connection

from articles.demo.site_tree import ensure_site_tree
from tests.factories import UserFactory

pytest_plugins = ["tests.stack_fixtures"]


def pytest_collection_modifyitems(config, items):
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
        for item in items:
            if "postgres" in item.keywords or item.get_closest_marker("stack"):
                item.add_marker(skip)


@pytest.fixture
def site_reviewer(db):
    """The medical reviewer who read the site tree's titles and
    introductions. The permission is on the account, not through the
    "Medical reviewers" group, so review tasks never email them."""
    from evidence.roles import review_permissions

    user = UserFactory(username="site-reviewer")
    user.user_permissions.add(*review_permissions())
    return user


@pytest.fixture
def site_tree(site_reviewer):
    """The home page and the article index at /articles/, live through the
    publish gate: `site_reviewer` confirmed their units, as anyone must."""
    return ensure_site_tree(site_reviewer)


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


@pytest.fixture
def reviewer(db):
    """A member of "Medical reviewers"."""
    from tests.factories import user_in_group

    return user_in_group("Medical reviewers", username="reviewer1")


@pytest.fixture
def second_reviewer(db):
    from tests.factories import user_in_group

    return user_in_group("Medical reviewers", username="reviewer2")


@pytest.fixture
def editor(db):
    """A member of "Editors": may publish, and is gated like everyone."""
    from tests.factories import user_in_group

    return user_in_group("Editors", username="editor1")


@pytest.fixture
def writer_in_group(db):
    """A member of "Writers" (the plain `writer` fixture has no group)."""
    from tests.factories import user_in_group

    return user_in_group("Writers", username="writer2")
