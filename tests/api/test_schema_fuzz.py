"""Schemathesis against /api/schema/: no server errors, responses as documented.

Every operation is called with generated input (a bounded number of examples
each) as each role: anonymously, and with the token of a writer, a medical
reviewer and an editor. Requests go
through Django's WSGI handler, inside each test's database transaction.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import member
from tests.factories import SourceFactory, make_article, paragraph

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())

FUZZ = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def connection_kept_open():
    """A real WSGI request closes the database connection when it ends; the
    test's transaction must outlive every request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def content(site_tree):
    source = SourceFactory()
    return make_article(
        site_tree[1], body=[paragraph("NAD+ falls with age.", sources=[source])]
    )


def call_and_check(case, headers):
    cache.clear()  # throttling would otherwise answer 429 to the generator
    response = case.call(headers=headers)
    case.validate_response(
        response, checks=[not_a_server_error, response_schema_conformance]
    )


GROUPS = {"writer": "Writers", "reviewer": "Medical reviewers", "editor": "Editors"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "writer", "reviewer", "editor"])
@schema.parametrize()
@FUZZ
def test_api_conforms_to_its_schema_for_every_role(case, content, role):
    headers = {}
    if role in GROUPS:
        user = member(f"fuzz-{role}", GROUPS[role])
        token, _ = Token.objects.get_or_create(user=user)
        headers = {"Authorization": f"Token {token.key}"}
    call_and_check(case, headers)
