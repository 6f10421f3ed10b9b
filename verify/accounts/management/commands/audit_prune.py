from django.core.management.base import BaseCommand

from verify.accounts.audit import audit_prune


class Command(BaseCommand):
    help = "Delete audit events older than AUDIT_RETENTION_DAYS (or --days)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days: int | None = None, **options) -> None:
        deleted = audit_prune(days=days)
        self.stdout.write(f"Deleted {deleted} audit events.")
