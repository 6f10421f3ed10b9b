"""The incident list's URLs and filter errors (issue 20, item 12): no empty parameters, an invalid filter value shows
its error and no rows (never the unfiltered list), references that do not wrap."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_empty_parameters_are_dropped_by_a_redirect(client, viewer, researcher):
    client.force_login(viewer)
    response = client.get("/incidents/?q=&status=verified&grade=&date_from=")
    assert response.status_code == 302 and response["Location"] == "/incidents/?status=verified"
    response = client.get("/incidents/?q=&grade=")
    assert response.status_code == 302 and response["Location"] == "/incidents/"
    assert client.get("/incidents/?status=verified").status_code == 200


def test_an_invalid_filter_value_shows_the_error_and_no_rows(client, viewer, researcher):
    factories.claimed_incident(created_by=researcher, title="Should not be listed")
    client.force_login(viewer)
    assert "Should not be listed" in client.get("/incidents/").content.decode()
    for query in ("date_from=not-a-date", "status=no-such-status", "grade=bogus"):
        response = client.get(f"/incidents/?{query}")
        html = response.content.decode()
        assert response.status_code == 400, query
        assert "Should not be listed" not in html and not list(response.context["page"].object_list)
        assert "A filter value is not valid" in html and 'class="error"' in html
        assert "No incidents match" not in html


def test_references_sit_in_a_cell_that_does_not_wrap(client, viewer, researcher):
    made = factories.claimed_incident(created_by=researcher)
    client.force_login(viewer)
    html = client.get("/incidents/").content.decode()
    assert f'<td class="list-ref"><a href="{made.get_absolute_url()}">{made.reference}</a>' in html
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/app.css").read_text()
    assert "table.list td.list-ref, table.list td.list-ref a { white-space: nowrap; }" in css
