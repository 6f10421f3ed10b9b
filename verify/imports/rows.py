"""Check one row and turn it into the fields of an incident and of a claim, or into reasons it is bad."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from verify.claims.models import Stance
from verify.core.choices import Credibility, DatePrecision, LocationPrecision
from verify.core.models import LATITUDE_VALIDATORS, LONGITUDE_VALIDATORS
from verify.gazetteer.geocode import Gazetteer
from verify.incidents.columns import INCIDENT_COLUMNS, NO, NOT_IDENTITY_COLUMNS, YES
from verify.incidents.models import LABEL_SEPARATOR, AttackType, Label, TargetType

DATE_FORMATS = ["%Y-%m-%d"]
_GOVERNORATE_KEPT = gettext_lazy("The governorate %(governorate)s was kept, with %(kept)s.")
MAX_COUNT = 1_000_000
MAX_DISTANCE_M = 100_000
KEY_LENGTH = 40
SIX_PLACES = Decimal("0.000001")


def _choice(choices: type[models.TextChoices]) -> forms.ChoiceField:
    allowed = ", ".join(choices.values)
    return forms.ChoiceField(
        choices=[("", ""), *choices.choices],
        required=False,
        error_messages={
            "invalid_choice": format_lazy(
                gettext_lazy("Unknown value “%(value)s”: use one of {allowed}."), allowed=allowed
            )
        },
    )


class RowForm(forms.Form):
    """The verify CSV columns as form fields: the same rules as the pages, one row at a time."""

    reference = forms.CharField(max_length=32, required=False)
    external_id = forms.CharField(max_length=100, required=False)
    title = forms.CharField(max_length=200)
    summary = forms.CharField(required=False, strip=False)
    date_start = forms.DateField(required=False, input_formats=DATE_FORMATS)
    date_end = forms.DateField(required=False, input_formats=DATE_FORMATS)
    date_precision = _choice(DatePrecision)
    governorate = forms.CharField(max_length=200, required=False)
    place = forms.CharField(max_length=200, required=False)
    location_name = forms.CharField(max_length=200, required=False)
    latitude = forms.DecimalField(required=False, validators=LATITUDE_VALIDATORS)
    longitude = forms.DecimalField(required=False, validators=LONGITUDE_VALIDATORS)
    location_precision = _choice(LocationPrecision)
    attack_type = _choice(AttackType)
    target_type = _choice(TargetType)
    source = forms.CharField(max_length=200, required=False)
    source_url = forms.URLField(max_length=1000, required=False, assume_scheme="https")
    stance = _choice(Stance)
    published_on = forms.DateField(required=False, input_formats=DATE_FORMATS)
    killed_min = forms.IntegerField(required=False, min_value=0, max_value=MAX_COUNT)
    killed_max = forms.IntegerField(required=False, min_value=0, max_value=MAX_COUNT)
    injured_min = forms.IntegerField(required=False, min_value=0, max_value=MAX_COUNT)
    injured_max = forms.IntegerField(required=False, min_value=0, max_value=MAX_COUNT)
    perpetrator = forms.CharField(max_length=200, required=False)
    munition = forms.CharField(max_length=200, required=False)
    credibility = _choice(Credibility)
    excerpt = forms.CharField(required=False, strip=False)
    labels = forms.CharField(required=False)
    claim_key = forms.CharField(max_length=KEY_LENGTH, required=False)
    claim_date = forms.DateField(required=False, input_formats=DATE_FORMATS)
    claim_date_precision = _choice(DatePrecision)
    claim_governorate = forms.CharField(max_length=200, required=False)
    claim_place = forms.CharField(max_length=200, required=False)
    claim_latitude = forms.DecimalField(required=False, validators=LATITUDE_VALIDATORS)
    claim_longitude = forms.DecimalField(required=False, validators=LONGITUDE_VALIDATORS)
    claim_location_precision = _choice(LocationPrecision)
    military_objective = forms.ChoiceField(
        choices=[("", ""), (YES, YES), (NO, NO)],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Unknown value “%(value)s”: use yes, no or leave it empty.")},
    )
    military_objective_distance_m = forms.IntegerField(required=False, min_value=0, max_value=MAX_DISTANCE_M)
    derived_from = forms.CharField(max_length=KEY_LENGTH, required=False)

    CLAIM_FACTS = ("source_url", "published_on", "killed_min", "killed_max", "injured_min", "injured_max",
                   "perpetrator", "munition", "excerpt", "claim_key", "claim_date", "claim_place",
                   "claim_governorate", "claim_latitude", "claim_longitude", "military_objective",
                   "military_objective_distance_m", "derived_from")  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        for name in ("date_start", "date_end", "published_on", "claim_date"):
            if data.get(name) and data[name] > today:
                self.add_error(name, gettext("The date is in the future."))
        if data.get("date_start") and data.get("date_end") and data["date_end"] < data["date_start"]:
            self.add_error("date_end", gettext("The date window ends before it starts."))
        for low, high in (("killed_min", "killed_max"), ("injured_min", "injured_max")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(
                    high,
                    gettext("%(low)s (%(low_value)s) is greater than %(high)s (%(high_value)s).")
                    % {"low": low, "low_value": data[low], "high": high, "high_value": data[high]},
                )
        for lat_name, lon_name in (("latitude", "longitude"), ("claim_latitude", "claim_longitude")):
            has_lat, has_lon = data.get(lat_name) is not None, data.get(lon_name) is not None
            if has_lat != has_lon and lat_name not in self.errors and lon_name not in self.errors:
                self.add_error(
                    lon_name if has_lat else lat_name, gettext("Give both latitude and longitude, or neither.")
                )
        if data.get("derived_from") and data.get("derived_from") == data.get("claim_key"):
            self.add_error("derived_from", gettext("A claim cannot be derived from itself."))
        names = split_labels(data.get("labels") or "")
        longest = Label._meta.get_field("name").max_length or 0
        if any(len(name) > longest for name in names):
            self.add_error(
                "labels", gettext("A label name is longer than %(longest)s characters.") % {"longest": longest}
            )
        data["labels"] = names
        if not data.get("source") and any(data.get(name) not in (None, "") for name in self.CLAIM_FACTS):
            self.add_error("source", gettext("The row asserts facts but names no source: who says this?"))
        return data


class _SharedFields(dict):
    """RowForm's fields, shared by every row instead of deep-copied for each: a form per row of a 10,000-row file
    spent more time copying its fields than checking them. Nothing alters a field per row."""

    def __deepcopy__(self, memo) -> "_SharedFields":
        return self


RowForm.base_fields = _SharedFields(RowForm.base_fields)


def _fold(text: str) -> str:
    return text.casefold().replace("-", " ").replace("_", " ").strip()


# Each choice by its stored value or its label, folded: 'Barrel bomb', 'barrel_bomb', 'Barrel-bomb'.
_CHOICE_NAMES: dict[str, dict[str, str]] = {
    name: {_fold(text): value for value, label in choices.choices for text in (value, label)}
    for name, choices in (
        ("date_precision", DatePrecision),
        ("location_precision", LocationPrecision),
        ("attack_type", AttackType),
        ("target_type", TargetType),
        ("stance", Stance),
        ("credibility", Credibility),
        ("claim_date_precision", DatePrecision),
        ("claim_location_precision", LocationPrecision),
    )
}
_CHOICE_NAMES["military_objective"] = {"yes": YES, "true": YES, "1": YES, "no": NO, "false": NO, "0": NO}
# Credibility also by its leading digit: "3 – Possibly true", "3".
_CHOICE_NAMES["credibility"] |= {value: value for value in Credibility.values}


def normalise_choices(values: dict[str, str]) -> dict[str, str]:
    """Accept a choice by its stored value or its label in any case; anything else is left for the form to refuse."""
    result = dict(values)
    for name, names in _CHOICE_NAMES.items():
        raw = _fold(values.get(name) or "")
        if raw:
            result[name] = names.get(raw) or names.get(raw[:1] if name == "credibility" else "", values[name])
    return result


@dataclass
class RowError:
    row: int
    column: str
    message: str
    value: str = ""


@dataclass
class ParsedRow:
    number: int
    key: str  # "ref:SYR-2015-0001" or "ext:<external id>": rows with the same key are one incident
    reference: str
    external_id: str
    incident: dict[str, Any]
    claim: dict[str, Any] | None
    source_name: str
    perpetrator_name: str
    warnings: list[RowError] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    claim_key: str = ""  # names the claim within its incident, for another row's derived_from
    derived_from: str | None = None  # the claim_key of the claim this one repeats; None: the file has no column


def parse_row(
    number: int,
    values: dict[str, str],
    *,
    gazetteer: Gazetteer,
    known_references: Mapping[str, str],
    known_external_ids: Mapping[str, str] | None = None,
) -> ParsedRow | list[RowError]:
    """`known_references` and `known_external_ids` map this database's references and external ids to titles.

    A reference names an incident of this database, unless an earlier import of a file from another verify
    database kept that same reference as an external id: then the title tells the two apart.
    """
    known_external_ids = known_external_ids or {}
    values = normalise_choices(
        {k: (v or "") if k in ("summary", "excerpt") else (v or "").strip() for k, v in values.items()}
    )
    form = RowForm(values)
    if not form.is_valid():
        return [
            RowError(number, column if column != "__all__" else "", message, values.get(column, ""))
            for column, messages in form.errors.items()
            for message in messages
        ]
    data = form.cleaned_data
    warnings: list[RowError] = []
    town_found = False
    place, lat, lon, precision = None, data["latitude"], data["longitude"], data["location_precision"]
    if lat is not None:
        lat, lon = lat.quantize(SIX_PLACES, ROUND_HALF_UP), lon.quantize(SIX_PLACES, ROUND_HALF_UP)
    place_name = data["place"] or data["governorate"]
    if place_name:
        found = gazetteer.lookup(
            place_name,
            governorate=data["governorate"] if data["place"] else "",
            precision=precision or ("governorate" if not data["place"] else ""),
        )
        # A town the gazetteer does not know under the row's governorate keeps at least that governorate; the
        # warning names any place of that name found elsewhere, for the researcher to choose on the incident.
        governorate = gazetteer.lookup_governorate(data["governorate"]) if data["place"] else None
        if found.entry is None and governorate is not None:
            kept = gettext("the row's coordinates") if lat is not None else gettext("the governorate's centre")
            warnings.append(RowError(number, "place", found.problem + " " + _GOVERNORATE_KEPT % {
                "governorate": governorate.name, "kept": kept}, place_name))  # fmt: skip
            place = governorate
            if lat is None:
                lat, lon, precision = place.latitude, place.longitude, LocationPrecision.GOVERNORATE
        elif found.entry is None:
            if lat is None:
                return [RowError(number, "place", found.problem, place_name)]
            warnings.append(
                RowError(
                    number,
                    "place",
                    gettext("%(problem)s The row's coordinates were used.") % {"problem": found.problem},
                    place_name,
                )
            )
        else:
            place, town_found = found.entry, True
            if lat is None:
                lat, lon = place.latitude, place.longitude
                if not precision:
                    precision = "governorate" if place.kind == "governorate" else "town"
    date_start, date_end = data["date_start"], data["date_end"]
    if date_start and not date_end:
        date_end = date_start
    incident = {
        "title": data["title"],
        "summary": data["summary"],
        "date_start": date_start,
        "date_end": date_end,
        "date_precision": data["date_precision"] or (DatePrecision.DAY if date_start else DatePrecision.UNKNOWN),
        "place_id": place.id if place else None,
        "location_name": data["location_name"] or (data["place"] if data["place"] and not town_found else ""),
        "latitude": lat,
        "longitude": lon,
        "location_precision": precision or LocationPrecision.TOWN,
        "attack_type": data["attack_type"] or AttackType.OTHER,
        "target_type": data["target_type"] or TargetType.UNKNOWN,
    }
    claim = None
    if data["source"]:
        claim = {
            "stance": data["stance"] or Stance.ALLEGES,
            "published_on": data["published_on"],
            "url": data["source_url"],
            "excerpt": data["excerpt"],
            "killed_min": data["killed_min"],
            "killed_max": data["killed_max"],
            "injured_min": data["injured_min"],
            "injured_max": data["injured_max"],
            "munition": data["munition"],
            "credibility": data["credibility"] or Credibility.CANNOT_BE_JUDGED,
        }
        details = _claim_details(number, values, data, gazetteer)
        if isinstance(details, RowError):
            return [details]
        claim |= details
    reference, external_id = data["reference"], data["external_id"]
    here = known_references.get(reference) if reference else None
    imported = known_external_ids.get(reference) if reference and not external_id else None
    if here is not None and imported is not None and here != imported:
        # Ours by reference, and also the reference of another incident in the database an earlier import came
        # from: the title tells them apart, and if it does not, nothing is guessed.
        if incident["title"] == imported:
            here = None
        elif incident["title"] != here:
            return [
                RowError(
                    number,
                    "reference",
                    gettext(
                        "%(reference)s is both an incident of this database and the external id of an imported "
                        "one. Put the other database's references in the external_id column."
                    )
                    % {"reference": reference},
                )
            ]
    if here is not None:
        key = f"ref:{reference}"
    else:
        # An export from another verify database: its reference identifies the incident there.
        external_id = external_id or reference
        key = f"ext:{external_id or content_key(values)}"
        external_id = key[4:]
    return ParsedRow(
        number=number,
        key=key,
        reference=reference if key.startswith("ref:") else "",
        external_id=external_id,
        incident=incident,
        claim=claim,
        source_name=data["source"],
        perpetrator_name=data["perpetrator"],
        warnings=warnings,
        labels=data["labels"],
        claim_key=data["claim_key"] if claim is not None else "",
        derived_from=data["derived_from"] if claim is not None and "derived_from" in values else None,
    )


# The claim's own facts: column -> (model field, the value of an empty cell).
_CLAIM_DETAILS = {
    "claim_date": ("event_date", None),
    "claim_date_precision": ("event_date_precision", DatePrecision.DAY),
    "claim_latitude": ("latitude", None),
    "claim_longitude": ("longitude", None),
    "claim_location_precision": ("location_precision", LocationPrecision.TOWN),
    "military_objective_distance_m": ("military_objective_distance_m", None),
}


def _claim_details(number: int, values: dict[str, str], data: dict[str, Any], gazetteer: Gazetteer):
    """The claim's own date, place, coordinates and military objective, for the columns the file has (an older
    file has none of them, and then the claim's stored facts are left alone); or why the row is bad."""
    details: dict[str, Any] = {}
    for column, (name, empty) in _CLAIM_DETAILS.items():
        if column in values:
            value = data[column]
            details[name] = empty if value in (None, "") else value
    for name in ("latitude", "longitude"):
        if details.get(name) is not None:
            details[name] = details[name].quantize(SIX_PLACES, ROUND_HALF_UP)
    if "military_objective" in values:
        details["military_objective_present"] = {YES: True, NO: False}.get(data["military_objective"])
    if "claim_place" in values or "claim_governorate" in values:
        details["place_id"] = None
        name = data.get("claim_place") or data.get("claim_governorate") or ""
        if name:
            found = gazetteer.lookup(
                name,
                governorate=data.get("claim_governorate") or "" if data.get("claim_place") else "",
                precision=data.get("claim_location_precision") or ("" if data.get("claim_place") else "governorate"),
            )
            if found.entry is None:
                return RowError(number, "claim_place", found.problem, name)
            details["place_id"] = found.entry.id
    return details


def split_labels(cell: str) -> list[str]:
    """The label names of a `labels` cell ("double tap; medical facility"), spaces tidied, empty ones left out."""
    return [name for name in (" ".join(part.split()) for part in cell.split(LABEL_SEPARATOR)) if name]


def content_key(values: dict[str, str]) -> str:
    """A stable id for a row that brings none: the hash of its incident columns, so a re-import matches it."""
    text = "\x1f".join(
        (values.get(name) or "").strip() for name in INCIDENT_COLUMNS if name not in NOT_IDENTITY_COLUMNS
    )
    return "sha1:" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:20]
