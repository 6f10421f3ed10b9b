import pytest
from rest_framework.test import APIClient

from verify.api import services


def token_client(user, scope: str = "read_write") -> APIClient:
    _token, secret = services.token_create(user=user, name="test", scope=scope, expires_in_days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def api_as():
    """A client with a fresh read-and-write token of this user (read-only tokens for roles that only read)."""

    def make(user, scope: str | None = None) -> APIClient:
        if scope is None:
            scope = "read_write" if user.has_perm("incidents.add_incident") else "read"
        return token_client(user, scope)

    return make
