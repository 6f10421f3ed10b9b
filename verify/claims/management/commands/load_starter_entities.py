from django.core.management.base import BaseCommand

from verify.claims.starter import starter_entities_load


class Command(BaseCommand):
    help = "Load the starter list of Syrian-conflict sources and actors with their aliases. Safe to run again."

    def handle(self, *args, **options) -> None:
        result = starter_entities_load()
        self.stdout.write(f"Created {len(result.created)} sources and actors; added {result.aliases_added} aliases.")
        for name in result.skipped:
            self.stdout.write(f"Skipped “{name}”: it is already another entity's name or alias.")
