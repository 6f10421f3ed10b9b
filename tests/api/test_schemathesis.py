"""Schemathesis against the live schema (/api/schema/), in-process through the WSGI application, as a Researcher
and as a Viewer: no endpoint answers 500, and every answer conforms to the schema (status code, content type,
body). Bounded: a few examples per operation."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from verify.api import services
from verify.api.throttling import TokenRateThrottle

MAX_EXAMPLES = 4
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _live_schema(user) -> dict:
    client = Client()
    client.force_login(user)
    response = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.parametrize("role", ["researcher", "viewer"])
def test_every_operation_conforms_to_the_schema(db, request, role, researcher, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "100000/min", "token_write": "100000/min"})
    user = request.getfixturevalue(role)
    factories.claimed_incident(created_by=researcher)
    _token, secret = services.token_create(
        user=user, name="fuzz", scope="read_write" if role == "researcher" else "read", expires_in_days=1
    )
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_dict(_live_schema(user))
    app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures = []
    # As Django's test client does: the test's database connection must survive each request's end.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _fuzz(operations, app, headers, failures)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert not failures, "\n\n".join(failures)


def _fuzz(operations, app, headers, failures) -> None:
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(app=app, headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # every operation's failure, reported together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:600]}")
