import time

from django.core.management.base import BaseCommand, CommandError

from verify.maps.synthetic import seed_bench


class Command(BaseCommand):
    help = "Add N synthetic incidents (about three claims each) around real Syrian towns, for benchmarks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("n", type=int, help="How many incidents to add.")
        parser.add_argument("--seed", type=int, default=2015, help="Random seed, for repeatable data.")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--first-number",
            type=int,
            default=None,
            help="Number the references from here (default: after the last), to run several seeders side by side.",
        )

    def handle(self, *args, n: int, seed: int, batch_size: int, first_number: int | None, **options) -> None:
        if n < 1:
            raise CommandError("N must be at least 1.")
        started = time.perf_counter()

        def progress(done: int) -> None:
            if options["verbosity"] > 1 or done == n or done % 20_000 < batch_size:
                self.stdout.write(f"  {done:,} / {n:,} incidents")

        try:
            result = seed_bench(n, seed=seed, batch_size=batch_size, progress=progress, first_number=first_number)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Added {result.incidents:,} incidents and {result.claims:,} claims in {seconds:.1f} s.")
        )
