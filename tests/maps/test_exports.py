"""CSV and GeoJSON exports: the verify CSV columns, formula injection, Arabic text, streaming."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from tests import factories
from verify.claims.models import Stance
from verify.incidents.columns import VERIFY_CSV_COLUMNS
from verify.lib.csvsafe import escape_cell, unescape_cell

CSV_URL = reverse("maps:export_csv")
GEOJSON_URL = reverse("maps:export_geojson")


def download(client, url, params=None) -> tuple[StreamingHttpResponse, bytes]:
    response = client.get(url, params or {})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return response, b"".join(response.streaming_content)


def csv_rows(client, params=None) -> list[dict]:
    _, body = download(client, CSV_URL, params)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_the_verify_columns_in_order_with_a_bom(client, viewer, dataset):
    client.force_login(viewer)
    response, body = download(client, CSV_URL)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="verify-incidents-')
    assert body.startswith(b"\xef\xbb\xbf")  # so that Excel reads UTF-8
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert tuple(header) == VERIFY_CSV_COLUMNS


def test_csv_has_one_row_per_claim_and_one_for_an_incident_without_claims(client, viewer, dataset):
    client.force_login(viewer)
    rows = csv_rows(client)

    market = [r for r in rows if r["reference"] == dataset["market"].reference]
    assert len(market) == 3
    assert {r["source"] for r in market} == {"Local activists", "Amnesty International", "Russian Ministry of Defence"}
    assert all(r["title"] == "Ariha market" and r["place"] == "Ariha" and r["governorate"] == "Idlib" for r in market)
    denial = next(r for r in market if r["stance"] == Stance.DENIES)
    assert denial["killed_min"] == "" and denial["perpetrator"] == ""
    amnesty = next(r for r in market if r["source"] == "Amnesty International")
    assert (amnesty["killed_min"], amnesty["killed_max"], amnesty["perpetrator"]) == (
        "49",
        "49",
        "Russian Aerospace Forces",
    )
    assert amnesty["date_start"] == "2015-11-29" and amnesty["latitude"] == "35.813740"
    assert amnesty["attack_type"] == "missile" and amnesty["grade"] == "fair"

    spring = [r for r in rows if r["reference"] == dataset["spring"].reference]
    assert len(spring) == 1
    assert all(spring[0][column] == "" for column in ("source", "stance", "killed_min", "excerpt"))
    undated = next(r for r in rows if r["reference"] == dataset["undated"].reference)
    assert undated["date_start"] == "" and undated["latitude"] == ""


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("payload", FORMULAS)
def test_csv_cells_cannot_start_a_formula(client, viewer, researcher, payload):
    incident = factories.incident(created_by=researcher, title=payload, summary=payload, location_name=payload)
    factories.claim(incident=incident, excerpt=payload, munition=payload, source=factories.source(payload))
    client.force_login(viewer)

    row = csv_rows(client)[0]

    for column in ("title", "summary", "location_name", "excerpt", "munition", "source"):
        assert row[column] == "'" + payload, column
        assert unescape_cell(row[column]) == payload


def test_negative_numbers_stay_numbers(client, viewer, researcher):
    factories.incident(created_by=researcher, latitude=Decimal("-33.900000"), longitude=Decimal("-70.600000"))
    client.force_login(viewer)
    row = csv_rows(client)[0]
    assert (row["latitude"], row["longitude"]) == ("-33.900000", "-70.600000")


def test_escape_cell_leaves_ordinary_text_alone():
    for text in ("Ariha market", "34 killed", "'quoted'", "a=b", "", "سوق أريحا"):
        assert escape_cell(text) == text
        assert unescape_cell(text) == text


def test_arabic_text_survives_the_csv_and_the_geojson(client, viewer, researcher):
    title = "غارة على سوق أريحا"
    incident = factories.incident(created_by=researcher, title=title)
    factories.claim(incident=incident, excerpt="قتل ٣٤ مدنياً على الأقل")
    client.force_login(viewer)

    row = csv_rows(client)[0]
    assert row["title"] == title
    assert row["excerpt"] == "قتل ٣٤ مدنياً على الأقل"
    _, body = download(client, GEOJSON_URL)
    assert json.loads(body)["features"][0]["properties"]["title"] == title


def test_script_in_text_is_data_not_markup_in_the_exports(client, viewer, researcher):
    script = "<script>alert(1)</script>"
    factories.incident(created_by=researcher, title=script)
    client.force_login(viewer)
    assert csv_rows(client)[0]["title"] == script
    _, body = download(client, GEOJSON_URL)
    assert json.loads(body)["features"][0]["properties"]["title"] == script


def test_geojson_export_is_a_valid_feature_collection(client, viewer, dataset):
    client.force_login(viewer)
    response, body = download(client, GEOJSON_URL)

    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(body)
    assert data["type"] == "FeatureCollection"
    by_ref = {f["id"]: f for f in data["features"]}
    market = by_ref[dataset["market"].reference]
    assert market["type"] == "Feature"
    lng, lat = float(dataset["market"].longitude), float(dataset["market"].latitude)
    assert market["geometry"] == {"type": "Point", "coordinates": [lng, lat]}
    props = market["properties"]
    assert props["killed"] == [34, 49]
    assert props["claims"] == 3
    assert props["sources"] == ["Amnesty International", "Local activists", "Russian Ministry of Defence"]
    assert props["denied_by_party"] is True and props["governorate"] == "Idlib"
    assert by_ref[dataset["undated"].reference]["geometry"] is None  # RFC 7946 allows an unlocated feature


@pytest.mark.parametrize("url", [CSV_URL, GEOJSON_URL])
def test_exports_stream_in_chunks_with_a_few_queries_per_chunk(client, viewer, researcher, settings, url):
    """A chunk of incidents is fetched, then its claims: the queries grow with the chunks, never per incident."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.EXPORT_CHUNK_SIZE = 4
    for _ in range(10):
        factories.claim(incident=factories.incident(created_by=researcher))
    client.force_login(viewer)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        chunks = list(response.streaming_content)
    claim_queries = [q for q in captured.captured_queries if 'FROM "claims_claim"' in q["sql"]]
    assert len(claim_queries) == 3  # 10 incidents in chunks of 4
    assert len(chunks) > 3
