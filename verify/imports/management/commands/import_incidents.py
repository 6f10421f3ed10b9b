"""Import a dataset from the command line, through the same check-then-import steps as the page.

manage.py import_incidents FILE [--format verify_csv|acled|json|mapped_csv] [--mapping MAPPING.json]
                           --user USERNAME [--good-rows] [--dry-run] [--report REPORT.csv] [--worker]
"""

import json
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from verify.imports import services
from verify.imports.errors import ImportRejected
from verify.imports.models import ImportFormat, ImportJob, ImportStatus, SavedMapping
from verify.imports.progress import progress_get
from verify.imports.report import report_csv
from verify.incidents.columns import VERIFY_CSV_COLUMNS


class Command(BaseCommand):
    help = "Import incidents and claims from a verify CSV, an ACLED-style CSV, JSON or any CSV with a mapping."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=ImportFormat.values, help="Guessed from the file name if omitted.")
        parser.add_argument(
            "--mapping",
            help="For other CSVs: a JSON file {verify column: your column}, or the name of a saved mapping.",
        )
        parser.add_argument("--user", required=True, help="The researcher the records are imported as.")
        parser.add_argument(
            "--good-rows", action="store_true", help="Import the good rows when some are bad (default: nothing)."
        )
        parser.add_argument(
            "--restricted-to",
            action="append",
            metavar="GROUP",
            help="Restrict the new incidents to this group (repeat for several).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the rows and report; write nothing.")
        parser.add_argument("--report", type=Path, help="Write the row-by-row report of problems to this CSV file.")
        parser.add_argument(
            "--worker", action="store_true", help="Run on the Celery worker and follow its progress (needs a broker)."
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        fmt = options["format"] or self._guess_format(path, options["mapping"])
        mapping = self._mapping(options["mapping"]) if fmt == ImportFormat.MAPPED_CSV else None
        groups = []
        for name in options["restricted_to"] or []:
            group = Group.objects.filter(name=name).first()
            if group is None:
                raise CommandError(f"No group {name!r}.")
            groups.append(group)
        with path.open("rb") as fh:
            try:
                job = services.import_job_create(
                    user=user,
                    chunks=iter(lambda: fh.read(1 << 20), b""),
                    filename=path.name,
                    fmt=fmt,
                    mapping=mapping,
                    start=False,
                    allowed_groups=groups,
                )
            except ImportRejected as exc:
                raise CommandError(str(exc)) from exc
        detected = f" (its header is {job.format}'s, not {fmt}'s)" if job.format != fmt else ""
        self.stdout.write(f"Import {job.pk}: {path.name} as {job.format}{detected}, read as {job.encoding}.")
        job = self._run(job, commit=False, worker=options["worker"])
        if job.status == ImportStatus.FAILED:
            raise CommandError(job.failure)
        self._print_check(job)
        if options["report"]:
            options["report"].write_text(report_csv(job), encoding="utf-8")
            self.stdout.write(f"Report written to {options['report']}.")
        if options["dry_run"]:
            services.import_cancel(job=job)
            self.stdout.write("Dry run: nothing imported.")
            return
        if job.rows_bad and not options["good_rows"]:
            services.import_cancel(job=job)
            raise CommandError(
                f"{job.rows_bad} bad row(s): nothing imported. Fix them, or pass --good-rows to import the rest."
            )
        try:
            services.import_confirm(job=job, good_rows_only=bool(job.rows_bad), queue=options["worker"])
        except ImportRejected as exc:
            services.import_cancel(job=job)
            raise CommandError(str(exc)) from exc
        job = self._run(job, commit=True, worker=options["worker"])
        if job.status != ImportStatus.DONE:
            raise CommandError(job.failure or f"The import ended as {job.status}.")
        s = job.summary
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {job.rows_good} row(s): incidents {s['incidents_created']} created, "
                f"{s['incidents_updated']} updated, {s['incidents_unchanged']} unchanged; claims "
                f"{s['claims_created']} created, {s['claims_updated']} updated, {s['claims_unchanged']} unchanged."
            )
        )

    def _run(self, job: ImportJob, *, commit: bool, worker: bool) -> ImportJob:
        """In this process, or on the worker (the service queued the task on commit) while we poll."""
        from verify.imports.tasks import import_commit_task, import_validate_task

        task = import_commit_task if commit else import_validate_task
        if not worker:
            task.apply(args=[job.pk])
            job.refresh_from_db()
            return job
        if not commit:
            services.import_start(job=job)  # queued at once: the command runs outside a transaction
        last = -1
        while True:
            job.refresh_from_db()
            progress = progress_get(job)
            if progress["percent"] != last:
                last = progress["percent"]
                self.stdout.write(f"  {job.get_status_display()}: {last}% ({progress['rows']} rows)")
            if not job.is_running:
                return job
            time.sleep(0.5)

    def _guess_format(self, path: Path, mapping: str | None) -> str:
        if mapping:
            return ImportFormat.MAPPED_CSV
        if path.suffix.lower() == ".json":
            return ImportFormat.JSON
        with path.open("rb") as fh:
            head = fh.read(4096).decode("latin-1").lstrip("\ufeff").lower()
        if "event_date" in head and "fatalities" in head:
            return ImportFormat.ACLED
        return ImportFormat.VERIFY_CSV

    def _mapping(self, value: str | None) -> dict[str, str]:
        if not value:
            raise CommandError("--format mapped_csv needs --mapping.")
        saved = SavedMapping.objects.filter(name=value).first()
        if saved:
            return saved.mapping
        try:
            mapping = json.loads(Path(value).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"--mapping: not a saved mapping nor a readable JSON file ({exc}).") from exc
        unknown = sorted(set(mapping) - set(VERIFY_CSV_COLUMNS))
        if not isinstance(mapping, dict) or unknown:
            raise CommandError(f"--mapping: unknown verify columns {unknown}.")
        return mapping

    def _print_check(self, job: ImportJob) -> None:
        s = job.summary
        self.stdout.write(
            f"Checked {job.rows_total} row(s): {job.rows_good} good, {job.rows_bad} bad. Would create "
            f"{s.get('incidents_created', 0)} and update {s.get('incidents_updated', 0)} incident(s)."
        )
        for error in job.errors[:50]:
            column = f" [{error['column']}]" if error["column"] else ""
            self.stdout.write(self.style.WARNING(f"  row {error['row']}{column}: {error['message']}"))
        if len(job.errors) > 50:
            self.stdout.write(f"  … and {len(job.errors) - 50} more (see --report).")
