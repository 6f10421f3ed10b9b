"""Every form and list that names sources or actors links to where they are managed (issue 20, item 15)."""

import pytest

pytestmark = pytest.mark.django_db


def links(html: str) -> set[str]:
    return {href for href in ("/claims/sources/", "/claims/actors/", "/claims/sources/new/", "/claims/actors/new/")
            if f'href="{href}"' in html}  # fmt: skip


@pytest.mark.parametrize(
    "path",
    ["/incidents/new/", "/incidents/{ref}/claims/new/", "/incidents/{ref}/", "/review/"],
)
def test_forms_and_lists_link_to_source_and_actor_management(client, researcher, reviewer, incident, path):
    client.force_login(reviewer if path == "/review/" else researcher)
    response = client.get(path.format(ref=incident.reference))
    assert response.status_code == 200
    found = links(response.content.decode())
    assert {"/claims/sources/", "/claims/actors/"} <= found
    if path != "/review/":  # a researcher may add sources and actors; the page offers it
        assert {"/claims/sources/new/", "/claims/actors/new/"} <= found


def test_a_viewer_sees_the_registers_but_no_add_links(client, viewer, incident):
    client.force_login(viewer)
    found = links(client.get(f"/incidents/{incident.reference}/").content.decode())
    assert "/claims/sources/" in found and "/claims/actors/" in found
    assert "/claims/sources/new/" not in found and "/claims/actors/new/" not in found
