from django.core.management.base import BaseCommand

from verify.evidence.models import EvidenceItem, FixityStatus
from verify.evidence.services import evidence_fixity_check


class Command(BaseCommand):
    help = "Re-hash stored evidence files now, least recently checked first, and record each result."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="Check at most this many files.")

    def handle(self, *args, limit: int | None = None, **options) -> None:
        items = EvidenceItem.objects.fixity_due()
        if limit:
            items = items[:limit]
        counts: dict[str, int] = {}
        for item in items.iterator():
            status = evidence_fixity_check(evidence=item)
            counts[status] = counts.get(status, 0) + 1
            if status != FixityStatus.OK:
                self.stderr.write(f"{status.upper()}: evidence #{item.pk} {item.title!r} ({item.sha256})")
        summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no files"
        self.stdout.write(f"Fixity check: {summary}.")
        if counts.keys() - {FixityStatus.OK}:
            raise SystemExit(1)
