"""The schema validates as OpenAPI 3, documents every endpoint, and the documentation page is served from vendored
assets with no inline script (the site's CSP allows no other)."""

import re

import yaml
from django.test import Client
from django.urls import get_resolver
from drf_spectacular.validation import validate_schema


def test_schema_validates_and_names_every_endpoint(db, viewer):
    client = Client()
    client.force_login(viewer)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    paths = set(schema["paths"])
    from verify.api.urls import v1

    for pattern in v1:
        route = "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern)).replace("{pk}", "{id}")
        assert route in paths, route
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), (method, path)
    assert get_resolver()  # the URLconf loads


def test_schema_needs_signing_in(db):
    response = Client().get("/api/schema/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_docs_page_uses_vendored_assets_and_no_inline_script(db, viewer):
    client = Client()
    client.force_login(viewer)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<style" not in html
    assert not re.search(r"<script>(?!\s*</script>)", html)
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources and all(src.startswith("/") for src in sources), sources  # our own origin: no CDN
    assert any("swagger-ui-dist" in src for src in sources)
    script = client.get(sources[-1].replace("&amp;", "&"))
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_schema_generates_without_a_warning(db, tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").stat().st_size > 10_000
