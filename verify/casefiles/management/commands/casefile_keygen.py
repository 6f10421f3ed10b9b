from django.core.management.base import BaseCommand, CommandError

from verify.casefiles import signing


class Command(BaseCommand):
    help = "Create the case-file signing key at CASEFILE_SIGNING_KEY if there is none (development: `make run`)."

    def handle(self, *args, **options):
        path = signing.key_path()
        if path is None:
            raise CommandError("CASEFILE_SIGNING_KEY is not set.")
        if signing.generate_key(path):
            self.stdout.write(f"Created a case-file signing key at {path}")
        key = signing.load_key()
        self.stdout.write(f"Case-file signing key fingerprint (SHA-256): {signing.fingerprint(key)}")
