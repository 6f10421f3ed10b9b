"""The offline basemap's data from the app: the gazetteer's towns as labels, and a self-hosted PMTiles file.

The borders, coastlines and governorates are static files (static/vendor/world-atlas-2.0.2 and
natural-earth-admin1-syria); static/js/basemap.js draws them under the incidents with these.
"""

import os
import re
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from verify.gazetteer.models import Place

LABEL_KINDS = (Place.Kind.CITY, Place.Kind.LOCALITY)


def place_labels() -> dict:
    """Every town and locality with its names, position and population, the largest first (the script shows
    the larger towns at lower zooms)."""
    rows = (
        Place.objects.filter(kind__in=LABEL_KINDS)
        .order_by(F("population").desc(nulls_last=True), "name")
        .values_list("name", "name_ar", "latitude", "longitude", "population")
    )
    return {
        "places": [
            {"name": name, "name_ar": name_ar, "lat": float(lat), "lng": float(lng), "population": population or 0}
            for name, name_ar, lat, lng, population in rows
        ]
    }


RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def pmtiles_response(request: HttpRequest) -> HttpResponseBase:
    """The file at MAP_PMTILES_PATH, whole or the one byte range asked for (PMTiles readers ask for ranges)."""
    if not settings.MAP_PMTILES_PATH:
        raise Http404(_("No basemap file is configured."))
    path = Path(settings.MAP_PMTILES_PATH)
    try:
        size = path.stat().st_size
    except OSError:
        raise Http404(_("The basemap file is missing.")) from None
    asked = request.headers.get("Range", "")
    match = RANGE.match(asked.strip())
    if not asked or not match or match.groups() == ("", ""):
        response: HttpResponseBase = FileResponse(path.open("rb"), content_type="application/octet-stream")
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first == "":  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    with path.open("rb") as handle:
        handle.seek(start)
        body = handle.read(end - start + 1)
    response = HttpResponse(body, status=206, content_type="application/octet-stream")
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


def pmtiles_url() -> str:
    """The URL the map reads the PMTiles file from, or "" when there is none."""
    from django.urls import reverse

    if not settings.MAP_PMTILES_PATH or not os.path.exists(settings.MAP_PMTILES_PATH):
        return ""
    return reverse("maps:basemap_pmtiles")
