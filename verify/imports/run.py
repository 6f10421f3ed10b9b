"""One pass over an import job's file. Without `write` the run only predicts what an import would do (the check);
with it, it writes (see `RunWriter`).

A row becomes an incident plus the claim of the row's source. Rows are matched to incidents by reference (an
incident of this database) or external id, and claims by (incident, source, URL, publication date, stance), so
importing the same file again updates what it created and adds nothing.
"""

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from verify.claims.models import Actor, Claim, Source
from verify.gazetteer.geocode import Gazetteer
from verify.imports.models import ImportJob, ImportStatus
from verify.imports.names import NameIndex, apply_resolutions, unusable_names
from verify.imports.progress import progress_set
from verify.imports.readers import FileUnreadable, iter_rows
from verify.imports.row_helpers import digest
from verify.imports.rows import ParsedRow, RowError, parse_row
from verify.imports.run_write import HIDDEN_ID_SEPARATOR, HIDDEN_ID_SUFFIX_LENGTH, RunWriter
from verify.imports.storage import job_path
from verify.incidents.models import Incident, Label
from verify.lib.fold import fold
from verify.lib.names import normalise

PROGRESS_EVERY = 200
MAX_LISTED_PROBLEMS = 10_000
MAX_LINKED_REFERENCES = 200


class ImportRun(RunWriter):
    """Reads the job's file once. Without `write` it only predicts; with it, it writes through the services."""

    def __init__(self, job: ImportJob, *, write: bool, on_progress: Callable[[int, int], None] | None = None):
        # The state the writing shares is declared, with what it holds, in `RunWriter`.
        self.job, self.write, self.user = job, write, job.created_by
        phase = ImportStatus.IMPORTING if write else ImportStatus.VALIDATING
        self.on_progress = on_progress or (lambda position, rows: progress_set(job, position, rows, phase=phase))
        self.gazetteer = Gazetteer()
        self.visible = set(Incident.objects.visible_to(self.user).values_list("pk", flat=True))
        self._load_known_incidents()
        # Only the names this user may see, through their aliases: a hidden one is predicted as new, like any
        # unknown name. At the import, the researcher's mappings of unknown names apply first.
        self.sources, self.actors = NameIndex(Source, self.user), NameIndex(Actor, self.user)
        self.places = {}
        self.seen = {}
        self.claim_keys: dict[tuple, int] = {}
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self.rows_total = self.rows_bad = 0
        self.counts = dict.fromkeys(
            ("incidents_created", "incidents_updated", "incidents_unchanged", "claims_created", "claims_updated",
             "claims_unchanged"), 0)  # fmt: skip
        self.new_sources, self.new_actors = set(), set()
        self.labels = {fold(label.name): label for label in Label.objects.all()}
        self.new_labels: dict[str, str] = {}
        self.pending_labels: dict[int, tuple[Incident, set[int]]] = {}
        self.ignored_columns_noted = False
        self.touched = []
        self.group_ids = list(job.allowed_groups.values_list("pk", flat=True)) if job.restricted else []
        self.restricted_origin = bool(self.group_ids)
        self.targets, self.next_numbers = {}, {}
        self.pending_incidents, self.pending_claims = [], []
        self.created_ids = set()
        self.claims, self.claims_loaded = {}, set()
        self.existing_claim_keys: dict[int, set[tuple]] = {}
        self.checked_versions: dict[str, int] = {}
        self.savepoint = None
        # derived_from: (incident key, claim_key) -> the claim (its row number in the check, then the Claim or its
        # id), and the links to make once every claim of the file is written (see _link_derived).
        self.claim_refs: dict[tuple[str, str], Any] = {}
        self.derivations: list[tuple[int, str, Any, str]] = []
        # Rows whose derived_from the check could not resolve: the import leaves them out whole.
        self.unlinkable_rows = (
            {e.get("row") for e in job.errors or [] if e.get("column") == "derived_from"} if write else set()
        )
        if write:
            apply_resolutions(self)

    def _load_known_incidents(self) -> None:
        """References and external ids of the incidents this user can see, in one pass over all incidents.

        An incident the user cannot see is simply not known here: its reference or external id gets exactly the
        answer an unknown one gets (a new incident), so the check confirms nothing about it and never writes to
        it. External ids are unique in the database, so a new incident whose external id a hidden one holds
        stores it with a short suffix (`HIDDEN_ID_SEPARATOR`), and later imports find it again by the plain id.
        """
        self.references, self.titles, self.external_ids, self.external_titles = {}, {}, {}, {}
        self.hidden_external_ids: set[str] = set()
        rows = list(Incident.objects.values_list("pk", "reference", "external_id", "title", "merged_into_id"))
        merged = {pk: merged_into for pk, _ref, _ext, _title, merged_into in rows if merged_into}
        aliases: dict[str, tuple[int, str]] = {}
        for pk, reference, external_id, title, _merged in rows:
            target, hops = pk, 0
            while target in merged and hops < 20:
                target, hops = merged[target], hops + 1
            if target not in self.visible:
                if external_id:
                    self.hidden_external_ids.add(external_id)
                continue
            self.references[reference], self.titles[reference] = target, title
            if external_id:
                self.external_ids[external_id], self.external_titles[external_id] = target, title
                base, sep, tail = external_id.rpartition(HIDDEN_ID_SEPARATOR)
                if sep and len(tail) == HIDDEN_ID_SUFFIX_LENGTH:
                    aliases[base] = (target, title)
        for base, (target, title) in aliases.items():
            if base not in self.external_ids:
                self.external_ids[base], self.external_titles[base] = target, title

    def execute(self) -> None:
        job = self.job
        with open(job_path(job), "rb") as fh:
            position = 0
            for raw in iter_rows(fh, fmt=job.format, encoding=job.encoding, mapping=job.mapping):
                self.rows_total += 1
                position = raw.position
                if raw.problems:
                    self._bad([RowError(raw.number, column, message) for column, message in raw.problems])
                else:
                    self._row(raw.number, raw.values)
                if self.rows_total % PROGRESS_EVERY == 0:
                    self.on_progress(position, self.rows_total)
            if self.write:
                self.flush()
            self._link_derived()
            self.on_progress(position, self.rows_total)
        if self.rows_total == 0:
            raise FileUnreadable(_("The file has a header but no rows."))

    def _bad(self, errors: list[RowError]) -> None:
        self.rows_bad += 1
        self.errors.extend(errors)

    def _row(self, number: int, values: dict[str, str]) -> None:
        if values.get("status") or values.get("grade"):
            self._note_ignored_columns(number)
        parsed = parse_row(
            number,
            values,
            gazetteer=self.gazetteer,
            known_references=self.titles,
            known_external_ids=self.external_titles,
        )
        if isinstance(parsed, list):
            self._bad(parsed)
            return
        if unnamed := unusable_names(parsed):
            self._bad(unnamed)
            return
        if errors := self._check_claim_key(parsed):
            self._bad(errors)
            return
        self._note_repeated_incident(parsed)
        if not self.write:
            self._predict(parsed)
            self._note_claim_key(parsed, parsed.number)
        elif errors := self._write_row(parsed):
            self._bad(errors)
            return
        self.warnings.extend(parsed.warnings)

    def _check_claim_key(self, parsed: ParsedRow) -> list[RowError]:
        if self.write and parsed.number in self.unlinkable_rows and parsed.derived_from:
            return [
                RowError(parsed.number, "derived_from", self._unknown_key(parsed.derived_from), parsed.derived_from)
            ]
        first = self.claim_refs.get((parsed.key, parsed.claim_key)) if parsed.claim_key else None
        if first is None:
            return []
        return [
            RowError(
                parsed.number,
                "claim_key",
                _("Another claim of the same incident already has the claim key %(key)s.") % {"key": parsed.claim_key},
                parsed.claim_key,
            )
        ]

    @staticmethod
    def _unknown_key(key: str) -> str:
        return _(
            "No claim of the same incident has the claim key %(key)s: derived_from must name the claim_key of "
            "another row of this incident in the same file."
        ) % {"key": key}

    def _note_claim_key(self, parsed: ParsedRow, claim: Any) -> None:
        """Remember the row's claim under its key, and the claim it derives from, to link them at the end."""
        if parsed.claim is None:
            return
        if parsed.claim_key:
            self.claim_refs[(parsed.key, parsed.claim_key)] = claim
        if parsed.derived_from is not None and (parsed.derived_from or (self.write and claim.pk is not None)):
            # An empty cell matters only for a claim that existed before (it may have a link to remove).
            self.derivations.append((parsed.number, parsed.key, claim, parsed.derived_from))

    def _link_derived(self) -> None:
        """Resolve each derived_from within its incident, once all its claims are known (and, importing, saved)."""
        for number, key, claim, ref in self.derivations:
            target = self.claim_refs.get((key, ref)) if ref else None
            if ref and target is None:
                self._bad([RowError(number, "derived_from", self._unknown_key(ref), ref)])
            elif self.write and (errors := self._write_link(number, claim, target)):
                self._bad(errors)
        self.derivations = []

    def _note_ignored_columns(self, number: int) -> None:
        if not self.ignored_columns_noted:
            self.ignored_columns_noted = True
            self.warnings.append(
                RowError(
                    number,
                    "status",
                    _(
                        "The status and grade columns are not imported: an imported record starts as a draft and "
                        "is graded in review."
                    ),
                )
            )

    def _note_repeated_incident(self, parsed: ParsedRow) -> None:
        first = self.seen.get(parsed.key)
        if first and first[2] != digest(parsed.incident):
            parsed.warnings.append(
                RowError(
                    parsed.number,
                    "",
                    _(
                        "The incident columns differ from row %(row)s of the same incident; row %(row)s's values "
                        "were kept."
                    )
                    % {"row": first[0]},
                )
            )

    def _predict(self, parsed: ParsedRow) -> None:
        pk = self._incident_pk(parsed)
        for name in parsed.labels:
            if fold(name) not in self.labels:
                self.new_labels.setdefault(fold(name), name)
        if parsed.key not in self.seen:
            self.counts["incidents_updated" if pk else "incidents_created"] += 1
            self.seen[parsed.key] = (parsed.number, pk, digest(parsed.incident))
            if pk:
                self.checked_versions[str(pk)] = Incident.objects.values_list("version", flat=True).get(pk=pk)
        if parsed.claim is None:
            return
        source = self.sources.get(parsed.source_name)
        self.sources.note(parsed.source_name)
        if parsed.perpetrator_name:
            self.actors.note(parsed.perpetrator_name)
        source_key = source.pk if source else normalise(parsed.source_name)
        key = (parsed.key, source_key, parsed.claim["url"], parsed.claim["published_on"], parsed.claim["stance"])
        exists = key in self.claim_keys or (
            pk is not None and source is not None and key[1:] in self._existing_claim_keys(pk)
        )
        self.claim_keys[key] = parsed.number
        self.counts["claims_updated" if exists else "claims_created"] += 1

    def _existing_claim_keys(self, incident_pk: int) -> set[tuple]:
        """(source, url, published_on, stance) of an existing incident's claims, read once per incident."""
        if incident_pk not in self.existing_claim_keys:
            self.existing_claim_keys[incident_pk] = set(
                Claim.objects.filter(incident_id=incident_pk).values_list("source_id", "url", "published_on", "stance")
            )
        return self.existing_claim_keys[incident_pk]

    def save_results(self, *, status: str) -> None:
        summary: dict[str, Any] = dict(self.counts)
        new_labels = sorted(self.new_labels.values(), key=str.casefold)
        summary["labels_created" if self.write else "labels_to_create"] = new_labels
        if self.write:
            summary["sources_created"], summary["actors_created"] = sorted(self.new_sources), sorted(self.new_actors)
        else:
            summary["unmatched_sources"] = self.sources.unmatched_report()
            summary["unmatched_actors"] = self.actors.unmatched_report()
            summary["sources_to_create"] = sorted(r["name"] for r in summary["unmatched_sources"])
            summary["actors_to_create"] = sorted(r["name"] for r in summary["unmatched_actors"])
        if self.write:
            summary["references"] = self.touched[:MAX_LINKED_REFERENCES]
        self.job.mark(
            status=status,
            rows_total=self.rows_total,
            rows_bad=self.rows_bad,
            progress_bytes=self.job.size_bytes,
            summary=summary,
            errors=[e.__dict__ for e in self.errors[:MAX_LISTED_PROBLEMS]],
            warnings=[w.__dict__ for w in self.warnings[:MAX_LISTED_PROBLEMS]],
            finished_at=timezone.now() if status == ImportStatus.DONE else None,
            **({} if self.write else {"checked_versions": self.checked_versions}),
        )
