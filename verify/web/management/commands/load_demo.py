from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from verify.web.demo import DEMO_USERS, demo_load


class Command(BaseCommand):
    help = "Load the demo case file and one user per role. Only in demo mode (VERIFY_DEMO=1). Safe to run again."

    def handle(self, *args, **options) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data creates users with published passwords; set VERIFY_DEMO=1 to load it.")
        result = demo_load()
        self.stdout.write(self.style.SUCCESS(f"Demo data: {result.created} records created."))
        self.stdout.write("\nDemo sign-ins (demo mode only):")
        for username, _full_name, role, password in DEMO_USERS:
            self.stdout.write(f"  {role:<11} {username:<11} password: {password}")
        self.stdout.write(
            f"\nRoles {', '.join(settings.MFA_REQUIRED_ROLES) or '(none)'} must set up a second factor; the demo"
            " accounts are exempt in demo mode. To try it: sign in, open Security (/accounts/2fa/), choose"
            " Activate under Authenticator app, confirm your password and scan the QR code with any TOTP app."
        )
