from django.conf import settings
from django.core.management.base import BaseCommand

from verify.evidence import storage
from verify.evidence.services import evidence_requeue_stuck


class Command(BaseCommand):
    help = "Re-queue evidence stuck in processing and remove stale temporary upload files (as the beat task does)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--tmp-max-age", type=int, default=settings.EVIDENCE_TMP_MAX_AGE, help="Seconds; older tmp files go."
        )

    def handle(self, *args, tmp_max_age: int, **options) -> None:
        removed = storage.sweep_tmp(older_than_seconds=tmp_max_age)
        queued = evidence_requeue_stuck()
        self.stdout.write(f"Re-queued {queued} item(s); removed {removed} stale temporary file(s).")
