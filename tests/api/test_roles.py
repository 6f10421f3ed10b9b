"""Every write endpoint by role, with a browser session (so that the role, not the token's scope, decides): the
roles' permissions are the pages'."""

import pytest
from django.test import Client

from tests import factories

WRITES = [
    # (method, path template, body, roles allowed past the permission check)
    ("post", "/api/v1/incidents/", {"title": "T"}, {"researcher", "reviewer", "admin"}),
    ("patch", "/api/v1/incidents/{ref}/", {"title": "T2", "version": 1}, {"researcher", "reviewer", "admin"}),
    ("post", "/api/v1/incidents/{ref}/claims/", {"stance": "alleges"}, {"researcher", "reviewer", "admin"}),
    ("patch", "/api/v1/claims/{claim}/", {"version": 1}, {"researcher", "reviewer", "admin"}),
    ("delete", "/api/v1/claims/{claim}/", None, {"admin"}),
    ("post", "/api/v1/incidents/{ref}/submit/", {}, {"researcher", "reviewer", "admin"}),
    ("post", "/api/v1/incidents/{ref}/take/", None, {"reviewer", "admin"}),
    ("post", "/api/v1/review/take-next/", None, {"reviewer", "admin"}),
    ("post", "/api/v1/incidents/{ref}/verdict/", {}, {"reviewer", "admin"}),
    ("post", "/api/v1/incidents/{ref}/comments/", {"body": "hi"}, {"researcher", "reviewer", "admin"}),
    ("post", "/api/v1/sources/", {"name": "S"}, {"researcher", "reviewer", "admin"}),
    ("post", "/api/v1/actors/", {"name": "A"}, {"researcher", "reviewer", "admin"}),
    ("patch", "/api/v1/actors/{actor}/", {"version": 1}, {"admin"}),
    ("post", "/api/v1/labels/", {"name": "L"}, {"researcher", "reviewer", "admin"}),
    ("get", "/api/v1/review/queue/", None, {"reviewer", "admin"}),
    ("get", "/api/v1/imports/", None, {"researcher", "reviewer", "admin"}),
]


@pytest.mark.parametrize(("method", "path", "body", "allowed"), WRITES, ids=[f"{m} {p}" for m, p, _b, _a in WRITES])
def test_roles(db, method, path, body, allowed, researcher, reviewer, viewer, admin_user, outsider):
    author = factories.user("author-x")
    incident = factories.claimed_incident(created_by=author)
    actor = factories.actor()
    url = path.format(ref=incident.reference, claim=incident.claims.get().pk, actor=actor.pk)
    users = {"researcher": researcher, "reviewer": reviewer, "viewer": viewer, "admin": admin_user}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        kwargs = {"content_type": "application/json"} if body is not None else {}
        response = getattr(client, method)(url, body, **kwargs) if body is not None else getattr(client, method)(url)
        if response.status_code != 204:
            assert response["Content-Type"].startswith("application/json"), (role, response.content[:200])
        if role in allowed:
            assert response.status_code != 403, (role, response.json())
        else:
            assert response.status_code == 403, (role, response.status_code)
            assert response.json()["code"] == "forbidden"
    # Signed in but in no role: nothing is visible, not even to write.
    client = Client()
    client.force_login(outsider)
    response = getattr(client, method)(url, body or {}, content_type="application/json")
    assert response.status_code in (403, 404)
