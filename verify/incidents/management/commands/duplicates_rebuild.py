from django.core.management.base import BaseCommand

from verify.incidents.duplicates import REFRESH_BATCH, duplicates_rebuild


class Command(BaseCommand):
    help = (
        "Work out every pair of possible duplicate incidents again, in batches. Run it once after upgrading to "
        "stored duplicates, after seeding or loading incidents outside the app, or after changing "
        "DUPLICATE_MARGIN_M."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=REFRESH_BATCH)

    def handle(self, *args, batch_size: int, **options) -> None:
        def progress(done: int, stored: int) -> None:
            self.stdout.write(f"{done} incidents, {stored} pairs")

        stored = duplicates_rebuild(batch_size=batch_size, progress=progress if options["verbosity"] > 1 else None)
        self.stdout.write(self.style.SUCCESS(f"{stored} possible duplicate pairs stored."))
