from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: admins invite people from the user management pages."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
