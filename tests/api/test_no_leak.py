"""No API endpoint shows or counts a restricted incident to someone outside its groups: every GET operation of the
schema, lists before and after the restricted incident exists (identical), and every operation with an id or a
reference in its path, filled with the restricted records' (the same 404 as a record that does not exist).

tests/security's crawler walks these URLs too, with the whole site; this is the API's own, quicker check."""

import json
import re

from django.test import Client

from tests import factories
from verify.api import services
from verify.claims.services import claim_create
from verify.evidence.services import evidence_store
from verify.review.services import comment_create

MARK = "ZQXLEAK"


def _client(user) -> Client:
    _token, secret = services.token_create(user=user, name="leak", scope="read", expires_in_days=1)
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _schema(user) -> dict:
    client = Client()
    client.force_login(user)
    return json.loads(client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"}).content)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_no_get_endpoint_shows_or_counts_a_restricted_incident(db, researcher, viewer, desk):
    public = factories.claimed_incident(created_by=researcher, title="Public strike")
    comment_create(incident=public, user=researcher, body="public comment")
    api = _client(viewer)
    paths = [p for p, ops in _schema(viewer)["paths"].items() if "get" in ops]
    lists = [p for p in paths if "{" not in p]
    queries = ["", f"?q={MARK}", "?zoom=18&bbox=-180,-90,180,90"]
    before = {p + q: _body(api.get(p + q)) for p in lists for q in queries}

    researcher.groups.add(desk)
    hidden = factories.incident(
        created_by=researcher, restricted=True, groups=[desk], title=f"{MARK} title", summary=f"{MARK} summary"
    )
    # Through the service, as the page does: a source first named in restricted work is as restricted as it.
    claim = claim_create(
        user=researcher,
        incident=hidden,
        data={"stance": "alleges", "excerpt": f"{MARK} excerpt"},
        new_source={"name": f"{MARK} source", "kind": "other", "reliability": "F"},
    )
    comment_create(incident=hidden, user=researcher, body=f"{MARK} comment")
    from tests.api.test_evidence import _jpeg

    item, _created = evidence_store(
        user=researcher,
        original_filename=f"{MARK}.jpg",
        metadata={"title": f"{MARK} photo", "kind": "photo"},
        incident=hidden,
        chunks=[_jpeg(7)],
    )
    needles = [MARK, hidden.reference, item.sha256]

    for path_query, earlier in before.items():
        now = _body(api.get(path_query))
        assert now == earlier, f"{path_query} changed when a restricted incident was added"
        assert not any(n in now for n in needles), path_query

    values = {"reference": hidden.reference, "id": None}
    ids = {"claims": claim.pk, "evidence": item.pk}
    for path in paths:
        if "{" not in path:
            continue
        kind = path.split("/")[3]
        if "{id}" in path and kind not in ids:
            continue  # sources, actors, labels, imports: not part of an incident
        filled = path.replace("{reference}", values["reference"]).replace("{id}", str(ids.get(kind, "")))
        bogus = path.replace("{reference}", "SYR-1999-9999").replace("{id}", "999999")
        hidden_answer, missing_answer = api.get(filled), api.get(bogus)
        assert hidden_answer.status_code == missing_answer.status_code == 404, (filled, hidden_answer.status_code)
        assert _body(hidden_answer) == _body(missing_answer), filled
    # A member of the group sees it, through the same endpoints: the test can fail.
    member = _client(researcher)
    assert MARK in _body(member.get(f"/api/v1/incidents/{hidden.reference}/"))
    assert re.search(MARK, _body(member.get("/api/v1/sources/")))
