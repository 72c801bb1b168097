"""Fixtures for the REST API tests: role accounts and authenticated clients."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counters live in the cache; start every test with none."""
    cache.clear()
    yield
    cache.clear()


def member(username, group):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def staff_writer(db):
    return member("api-writer", "Writers")


@pytest.fixture
def reviewer(db):
    return member("api-reviewer", "Medical reviewers")


@pytest.fixture
def second_reviewer(db):
    return member("api-reviewer-2", "Medical reviewers")


@pytest.fixture
def editor(db):
    return member("api-editor", "Editors")


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def role_clients(staff_writer, reviewer, editor, superuser):
    """A token client for each role, and an anonymous one."""
    return {
        "anonymous": client_for(None),
        "writer": client_for(staff_writer),
        "reviewer": client_for(reviewer),
        "editor": client_for(editor),
        "superuser": client_for(superuser),
    }
