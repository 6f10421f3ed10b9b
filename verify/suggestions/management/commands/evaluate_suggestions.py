from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from verify.suggestions.evaluation import CORPUS_DIR, TARGETS, run


class Command(BaseCommand):
    help = (
        "Precision and recall of the claim suggestions per field (claim, stance, denial, source, killed, injured, "
        "place, date, other event) on the evaluation corpus of reports written for the tests, English and Arabic."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help="A folder with corpus.json and "
                            "register.json (default: tests/suggestions/corpus).")  # fmt: skip
        parser.add_argument("--misses", action="store_true", help="List every missed, extra or wrong value.")
        parser.add_argument("--check", action="store_true", help="Fail when a target is not met: " + ", ".join(
            f"{name} ≥ {target}" for name, target in TARGETS.items()))  # fmt: skip

    def handle(self, *args, **options) -> None:
        corpus = options["corpus"]
        if not (corpus / "corpus.json").is_file() or not (corpus / "register.json").is_file():
            raise CommandError(f"No corpus.json and register.json in {corpus}.")
        result = run(corpus)
        self.stdout.write(result.table())
        if options["misses"]:
            self.stdout.write("\n".join(result.misses) or "No misses.")
        below = result.below_target()
        if below:
            message = "Below target: " + "; ".join(below)
            if options["check"]:
                raise CommandError(message)
            self.stdout.write(self.style.WARNING(message))
        else:
            self.stdout.write(self.style.SUCCESS("Every target met."))
