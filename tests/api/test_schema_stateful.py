"""Schemathesis, stateful: sequences of calls that follow the links
schemathesis infers between operations (an article created, then read,
edited, checked, reviewed, published; a source added, then read, edited,
its citations listed), as an editor, with no server error and every
answer as documented."""

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import member
from tests.api.test_schema_fuzz import connection_kept_open, content, schema  # noqa: F401


@pytest.mark.django_db
def test_call_sequences_as_an_editor(content):  # noqa: F811 (the fixture)
    token, _ = Token.objects.get_or_create(user=member("fuzz-editor", "Editors"))
    base = schema.as_state_machine()

    class EditorWorkflow(base):
        """Each sequence runs in a savepoint rolled back at its end, so every
        sequence starts from the same database."""

        def __init__(self):
            super().__init__()
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

        def get_call_kwargs(self, case):
            cache.clear()  # throttles
            return {"headers": {"Authorization": f"Token {token.key}"}}

        def validate_response(self, response, case, **kwargs):
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )

    run_state_machine_as_test(
        EditorWorkflow,
        settings=settings(
            max_examples=8,
            stateful_step_count=5,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        ),
    )
