"""The writing half of an import run: new records are validated one by one (the model's field and clean() rules;
the foreign keys are objects loaded by the run) and inserted in batches with their history, which is what makes
10,000 rows take seconds rather than minutes. Changes to existing records go through the services, one by one.
"""

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from verify.claims import services as claim_services
from verify.claims.models import Actor, Claim, Source
from verify.core.choices import Reliability
from verify.gazetteer.models import Place
from verify.imports.models import ImportJob
from verify.imports.names import NameIndex
from verify.imports.row_helpers import differs, digest, messages, validate
from verify.imports.rows import ParsedRow, RowError
from verify.incidents import services as incident_services
from verify.incidents import workflow
from verify.incidents.models import Incident, Label
from verify.lib.fold import fold

BATCH_SIZE = 500
# A new incident whose external id a hidden incident already holds keeps it with this separator and a suffix.
HIDDEN_ID_SEPARATOR = "~"
HIDDEN_ID_SUFFIX_LENGTH = 8


class RunWriter:
    """Writes the rows of an `ImportRun`, which sets up the state below (see `ImportRun.__init__`)."""

    job: ImportJob
    user: User
    counts: dict[str, int]
    # Incident key -> (first row, incident pk or None when it is new, a digest of its incident fields).
    seen: dict[str, tuple[int, int | None, int]]
    references: dict[str, int]
    external_ids: dict[str, int]
    hidden_external_ids: set[str]
    visible: set[int]
    sources: NameIndex
    actors: NameIndex
    places: dict[int, Place]
    new_sources: set[str]
    new_actors: set[str]
    labels: dict[str, Label]  # casefolded name -> label
    new_labels: dict[str, str]  # folded name (verify.lib.fold) -> the name as first written
    pending_labels: dict[int, tuple[Incident, set[int]]]  # id() of a pending new incident -> it, its label ids
    touched: list[str]  # references of the incidents imported, for links on the result page
    group_ids: list[int]
    restricted_origin: bool  # names first given by a restricted import stay restricted
    targets: dict[str, Incident | int]  # incident key -> the incident pending, or its id once saved
    next_numbers: dict[int, int]
    pending_incidents: list[Incident]
    pending_claims: list[Claim]
    created_ids: set[int]  # incidents this import created (their claims change nothing reviewed)
    claims: dict[tuple, Claim]
    claims_loaded: set[int]
    savepoint: str | None
    claim_refs: dict[tuple[str, str], Any]  # (incident key, claim_key) -> the Claim, or its id once saved
    derivations: list[tuple[int, str, Any, str]]  # (row, incident key, the Claim or its id, derived_from)

    def _note_claim_key(self, parsed: ParsedRow, claim: Any) -> None:
        raise NotImplementedError  # ImportRun's

    def _incident_pk(self, parsed: ParsedRow) -> int | None:
        if parsed.key in self.seen:
            return self.seen[parsed.key][1]
        return self.references.get(parsed.reference) if parsed.reference else self.external_ids.get(parsed.external_id)

    def _write_row(self, parsed: ParsedRow) -> list[RowError]:
        """Write one good row; returns why it failed, if it did, with nothing of it kept.

        New records are checked in full before anything is kept. Changes to existing ones go through the services;
        the first of them opens a savepoint, so a row that fails half-way is undone alone (and an unchanged row,
        the common case of a re-import, costs no savepoint at all)."""
        self.savepoint, counts = None, dict(self.counts)
        try:
            self._write(parsed)
        except ValidationError as exc:
            if self.savepoint:
                transaction.savepoint_rollback(self.savepoint)
                self.counts = counts
                self.targets.pop(parsed.key, None)
                self.flush()  # then forget cached objects that the rollback may have made stale
                self.claims.clear()
                self.claims_loaded.clear()
            return [RowError(parsed.number, column, message) for column, message in messages(exc)]
        if self.savepoint:
            transaction.savepoint_commit(self.savepoint)
        return []

    def _before_change(self) -> None:
        if self.savepoint is None:
            self.savepoint = transaction.savepoint()

    def _write(self, parsed: ParsedRow) -> None:
        data = dict(parsed.incident)
        data["place"] = self._place(data.pop("place_id"))
        target = self.targets.get(parsed.key)
        # An id: imported earlier in this run and already flushed.
        incident = Incident.objects.get(pk=target) if isinstance(target, int) else target
        if incident is not None:
            self._check_claim(parsed, incident)
        elif (pk := self._incident_pk(parsed)) is None:
            incident = self._new_incident(parsed, data)
        else:
            incident = self._existing_incident(pk, parsed, data)
        self.targets[parsed.key] = incident
        self.seen.setdefault(parsed.key, (parsed.number, incident.pk, digest(parsed.incident)))
        if parsed.claim is not None:
            self._write_claim(incident, parsed, parsed.claim)
        if parsed.labels:
            self._add_labels(incident, parsed.labels)
        if len(self.pending_incidents) >= BATCH_SIZE or len(self.pending_claims) >= BATCH_SIZE:
            self.flush()

    def _add_labels(self, incident: Incident, names: list[str]) -> None:
        """The row's labels join the incident's (an import never removes one). Not a substantive change."""
        ids = {self._label(name).pk for name in names}
        if incident.pk is None:
            self.pending_labels.setdefault(id(incident), (incident, set()))[1].update(ids)
            return
        current = set(incident.labels.values_list("pk", flat=True))
        if ids - current:
            self._before_change()
            incident_services.incident_update(
                incident=incident,
                user=self.user,
                data={},
                expected_version=incident.version,
                labels=list(Label.objects.filter(pk__in=current | ids)),
            )

    def _label(self, name: str) -> Label:
        key = fold(name)
        if key not in self.labels:
            self.labels[key] = incident_services.label_create(user=self.user, name=name)
            self.new_labels.setdefault(key, name)
        return self.labels[key]

    @staticmethod
    def _check_claim(parsed: ParsedRow, incident: Incident | None) -> None:
        # Checked before anything is kept, so a bad claim never leaves its incident half-imported.
        if parsed.claim is not None:
            validate(Claim(incident=incident, **parsed.claim))

    def _new_incident(self, parsed: ParsedRow, data: dict[str, Any]) -> Incident:
        external_id = self._free_external_id(parsed.external_id)
        incident = Incident(**data, external_id=external_id, created_by=self.user)
        validate(incident)
        self._check_claim(parsed, incident)
        incident = self._add_incident(incident)
        self.counts["incidents_created"] += 1
        return incident

    def _existing_incident(self, pk: int, parsed: ParsedRow, data: dict[str, Any]) -> Incident:
        self._check_claim(parsed, None)
        incident = Incident.objects.select_related("last_edited_by").get(pk=pk)
        checked = self.job.checked_versions.get(str(pk))
        if checked is not None and checked != incident.version:
            editor = incident.last_edited_by
            who = (editor.get_full_name() or editor.username) if editor else gettext("someone")
            raise ValidationError(
                gettext(
                    "%(reference)s was changed by %(who)s after the check (version %(checked)s, now %(version)s); "
                    "it was not overwritten. Check the file again."
                )
                % {"reference": incident.reference, "who": who, "checked": checked, "version": incident.version}
            )
        # Only a real change is saved: an unchanged re-import leaves versions and history alone.
        changed: list[str] = []
        if differs(incident, data):
            self._before_change()
            changed = incident_services.incident_update(
                incident=incident, user=self.user, data=data, expected_version=incident.version
            )
        self.counts["incidents_updated" if changed else "incidents_unchanged"] += 1
        self.touched.append(incident.reference)
        return incident

    def _free_external_id(self, external_id: str) -> str:
        if external_id not in self.hidden_external_ids:
            return external_id
        suffix = HIDDEN_ID_SEPARATOR + uuid.uuid4().hex[:HIDDEN_ID_SUFFIX_LENGTH]
        max_length = Incident._meta.get_field("external_id").max_length
        assert max_length is not None  # a CharField always has one
        return external_id[: max_length - len(suffix)] + suffix

    def _add_incident(self, incident: Incident) -> Incident:
        year = (incident.date_start or timezone.localdate()).year
        if year not in self.next_numbers:
            self.next_numbers[year] = int(incident_services.next_reference(year=year).rsplit("-", 1)[1])
        incident.reference = f"{settings.VERIFY_REFERENCE_PREFIX}-{year}-{self.next_numbers[year]:04d}"
        self.next_numbers[year] += 1
        incident.last_edited_by = self.user
        incident.restricted = bool(self.group_ids)
        self.pending_incidents.append(incident)
        self.touched.append(incident.reference)
        return incident

    def _write_claim(self, incident: Incident, parsed: ParsedRow, claim_fields: dict[str, Any]) -> None:
        data = dict(claim_fields)
        if "place_id" in data:
            data["place"] = self._place(data.pop("place_id"))
        data["source"] = self._source(parsed.source_name)
        data["perpetrator"] = self._actor(parsed.perpetrator_name) if parsed.perpetrator_name else None
        key = self._claim_key(incident, data)
        if key not in self.claims and incident.pk is not None and incident.pk not in self.claims_loaded:
            self.claims_loaded.add(incident.pk)
            for claim in Claim.objects.filter(incident=incident).order_by("-pk"):
                self.claims[self._claim_key(incident, vars(claim) | {"source": claim.source_id})] = claim
        existing = self.claims.get(key)
        if existing is None:
            claim = Claim(incident=incident, created_by=self.user, last_edited_by=self.user, **data)
            validate(claim)
            self.pending_claims.append(claim)
            self.claims[key] = claim
            self.counts["claims_created"] += 1
            self._note_claim_key(parsed, claim)
        elif existing.pk is None:  # the same claim twice in this file: the later row wins
            for name, value in data.items():
                setattr(existing, name, value)
            validate(existing)
            self._note_claim_key(parsed, existing)
        else:
            self._note_claim_key(parsed, existing)
            changed: list[str] = []
            if differs(existing, data):
                self._before_change()
                changed = claim_services.claim_update(
                    claim=existing, user=self.user, data=data, expected_version=existing.version
                )
            self.counts["claims_updated" if changed else "claims_unchanged"] += 1

    @staticmethod
    def _claim_key(incident: Incident, claim: dict[str, Any]) -> tuple:
        source = claim["source"]
        return (
            incident.pk or id(incident),
            source if isinstance(source, int) else source.pk,
            claim["url"],
            claim["published_on"],
            claim["stance"],
        )

    def flush(self) -> None:
        reason = f"imported:{self.job.pk}"
        if self.pending_incidents:
            for incident in self.pending_incidents:
                incident.refresh_search_text()  # bulk_create does not call save()
            bulk_create_with_history(
                self.pending_incidents, Incident, default_user=self.user, default_change_reason=reason
            )
            Incident.allowed_groups.through.objects.bulk_create(
                [
                    Incident.allowed_groups.through(incident_id=incident.pk, group_id=group_id)
                    for incident in self.pending_incidents
                    for group_id in self.group_ids
                ]
            )
            for incident in self.pending_incidents:
                self.created_ids.add(incident.pk)
                self.external_ids[incident.external_id] = incident.pk
                self.visible.add(incident.pk)
                self.claims_loaded.add(incident.pk)  # it has no claims but those pending here
            self.pending_incidents = []
        if self.pending_labels:
            Incident.labels.through.objects.bulk_create(
                [
                    Incident.labels.through(incident_id=incident.pk, label_id=label_id)
                    for incident, label_ids in self.pending_labels.values()
                    for label_id in sorted(label_ids)
                ]
            )
            self.pending_labels = {}
        if self.pending_claims:
            for claim in self.pending_claims:
                claim.incident = claim.incident  # picks up the incident's new primary key
            bulk_create_with_history(self.pending_claims, Claim, default_user=self.user, default_change_reason=reason)
            # New claims on records that existed before this import are a substantive change: the workflow's rule
            # (a verified record goes back to review) applies as it does on the page.
            for incident_id in sorted({c.incident_id for c in self.pending_claims} - self.created_ids):
                workflow.record_change(
                    incident=Incident.objects.get(pk=incident_id),
                    by=self.user,
                    change=workflow.Change.IMPORTED,
                    job=self.job.pk,
                )
            self.pending_claims = []
        # Keep ids, not objects, so memory stays flat however long the file: a later row of an incident flushed
        # here reloads it, and its claims, from the database.
        for key, target in self.targets.items():
            if not isinstance(target, int):
                self.targets[key] = target.pk
        for ref, claim in self.claim_refs.items():
            if isinstance(claim, Claim):
                self.claim_refs[ref] = claim.pk
        self.derivations = [
            (number, key, claim.pk if isinstance(claim, Claim) else claim, derived_from)
            for number, key, claim, derived_from in self.derivations
        ]
        self.claims.clear()
        self.claims_loaded.clear()

    def _write_link(self, number: int, claim_id: int, target_id: int | None) -> list[RowError]:
        """Make a claim derived from another of its incident (or from none), through the service, alone in a
        savepoint."""
        claim = Claim.objects.select_related("incident", "source").get(pk=claim_id)
        if claim.derived_from_id == target_id:
            return []
        target = Claim.objects.get(pk=target_id) if target_id is not None else None
        savepoint = transaction.savepoint()
        try:
            claim_services.claim_update(
                claim=claim, user=self.user, data={"derived_from": target}, expected_version=claim.version
            )
        except ValidationError as exc:
            transaction.savepoint_rollback(savepoint)
            return [RowError(number, column or "derived_from", message) for column, message in messages(exc)]
        transaction.savepoint_commit(savepoint)
        return []

    def _place(self, place_id: int | None) -> Place | None:
        if place_id is None:
            return None
        if place_id not in self.places:
            self.places[place_id] = Place.objects.get(pk=place_id)
        return self.places[place_id]

    def _source(self, name: str) -> Source:
        if (known := self.sources.get(name)) is None:
            known = claim_services.source_create(
                data={
                    "name": name,
                    "reliability": Reliability.F,
                    "notes": gettext("Added by the import of %(file)s: rate its reliability.")
                    % {"file": self.job.original_filename},
                    "restricted_origin": self.restricted_origin,
                },
                user=self.user,
            )
            self.sources.add(name, known)
            self.new_sources.add(name)
        return known

    def _actor(self, name: str) -> Actor:
        if (known := self.actors.get(name)) is None:
            known = claim_services.actor_create(
                data={
                    "name": name,
                    "description": gettext("Added by the import of %(file)s.") % {"file": self.job.original_filename},
                    "restricted_origin": self.restricted_origin,
                }
            )
            self.actors.add(name, known)
            self.new_actors.add(name)
        return known
