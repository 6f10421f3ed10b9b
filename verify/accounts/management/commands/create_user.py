"""Create a real account with a role, from the shell, and print its one-time set-password link.

No password ever passes through the command line or the shell history: the person sets their own through the
link, which stops working once used. Admins can do the same, and change roles later, at /accounts/users/.
"""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from verify.accounts import roles
from verify.accounts.services import user_invite


class Command(BaseCommand):
    help = "Create a user with a role (Researcher, Reviewer, Viewer, Admin) and print a one-time set-password link."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(roles.ROLES), help="The person's role.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--group", action="append", default=[], help="A restricted-records group to join (repeatable)."
        )
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="The site's address, to print the link in full."
        )

    def handle(self, *args, username: str, role: str, first_name: str, last_name: str, group: list[str], **options):
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named {username!r} already exists (names are compared without case).")
        wanted = set(group)
        groups = list(Group.objects.filter(name__in=wanted).exclude(name__in=list(roles.ROLES)))
        missing = wanted - {g.name for g in groups}
        if missing:
            raise CommandError(f"No such group: {', '.join(sorted(missing))}. Create it in the admin first.")
        try:
            user, path = user_invite(
                request=None,
                username=username,
                first_name=first_name,
                last_name=last_name,
                role=role,
                groups=groups,
                actor_name="manage.py create_user",
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Created {user.username} ({role}).")
        self.stdout.write(f"Send them this one-time link to set a password: {options['base_url'].rstrip('/')}{path}")
        if role in settings.MFA_REQUIRED_ROLES:
            self.stdout.write(f"As a {role}, they must enrol a second factor at their first sign-in.")
