"""Exports and languages: Arabic survives byte for byte, the CSV keeps the documented verify columns by default
(so that it imports back), and gives headers in the reader's language only when asked with headers=local."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories
from verify.incidents.columns import COLUMN_LABELS, VERIFY_CSV_COLUMNS, csv_header

CSV_URL = reverse("maps:export_csv")
GEOJSON_URL = reverse("maps:export_geojson")
TITLE = "غارة على سوق أريحا"
EXCERPT = "قتل ٣٤ مدنياً على الأقل"


def body(client, url, params=None, **headers) -> bytes:
    response = client.get(url, params or {}, **headers)
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


@pytest.fixture
def arabic(researcher):
    incident = factories.incident(created_by=researcher, title=TITLE)
    factories.claim(incident=incident, excerpt=EXCERPT)
    return incident


def test_arabic_is_written_as_utf8_bytes_in_the_csv_and_the_geojson(client, viewer, arabic):
    client.force_login(viewer)
    data = body(client, CSV_URL)
    assert data.startswith(b"\xef\xbb\xbf")
    assert TITLE.encode("utf-8") in data and EXCERPT.encode("utf-8") in data

    geojson = body(client, GEOJSON_URL)
    # As UTF-8 text, not \\u escapes: the file reads as Arabic in any editor.
    assert TITLE.encode("utf-8") in geojson
    assert b"\\u" not in geojson
    assert json.loads(geojson)["features"][0]["properties"]["title"] == TITLE


def test_the_csv_header_is_the_documented_columns_by_default_in_every_language(client, viewer, arabic):
    client.force_login(viewer)
    for language in ("en", "ar"):
        data = body(client, CSV_URL, HTTP_ACCEPT_LANGUAGE=language)
        assert next(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == list(VERIFY_CSV_COLUMNS)


def test_headers_local_gives_the_column_names_in_the_readers_language(client, viewer, arabic):
    client.force_login(viewer)
    data = body(client, CSV_URL, {"headers": "local"}, HTTP_ACCEPT_LANGUAGE="en")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [str(COLUMN_LABELS[c]) for c in VERIFY_CSV_COLUMNS]
    assert rows[0][:3] == ["Reference", "External ID", "Title"]
    assert rows[0] != list(VERIFY_CSV_COLUMNS)
    # The values stay machine values: the title as written, codes, ISO dates.
    assert rows[1][2] == TITLE
    default = list(csv.reader(io.StringIO(body(client, CSV_URL).decode("utf-8-sig"))))
    assert rows[1:] == default[1:]


def test_the_local_header_is_made_in_the_language_active_when_asked():
    with translation.override("ar"):
        arabic = csv_header("local")
    with translation.override("en"):
        english = csv_header("local")
        assert csv_header() == list(VERIFY_CSV_COLUMNS)
    assert english[0] == "Reference"
    assert len(arabic) == len(english) == len(VERIFY_CSV_COLUMNS)
    if translation.trans_real.translation("ar").gettext("Reference") != "Reference":  # once the catalogue exists
        assert arabic != english


def test_an_unknown_headers_value_is_refused(client, viewer, arabic):
    client.force_login(viewer)
    response = client.get(CSV_URL, {"headers": "klingon"})
    assert response.status_code == 400
    assert "headers" in response.content.decode()


def test_the_export_links_offer_headers_in_the_readers_language(client, viewer, arabic):
    """A path of its own, so that the map's script, which replaces the links' query strings, keeps it."""
    client.force_login(viewer)
    page = client.get(reverse("incidents:list"), {"q": "x"}).content.decode()
    local_url = reverse("maps:export_csv_local_headers")
    assert f'href="{local_url}?q=x"' in page
    data = body(client, local_url, HTTP_ACCEPT_LANGUAGE="en")
    assert data.decode("utf-8-sig").splitlines()[0].startswith("Reference,External ID,Title")
