from django.core.management.base import BaseCommand

from verify.claims.crosscheck import crosscheck_recompute_all
from verify.incidents.models import Incident


class Command(BaseCommand):
    help = "Recompute every incident's disagreement flags and suggested grade from its claims."

    def handle(self, *args, **options) -> None:
        total = Incident.objects.count()
        changed = crosscheck_recompute_all(Incident.objects.order_by("pk"))
        self.stdout.write(f"Cross-check recomputed for {total} incidents; {changed} changed.")
