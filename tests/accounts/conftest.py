import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

PASSWORD = "pw-for-tests-123"  # tests.factories.user's password


@pytest.fixture
def protected(settings):
    """The production protections the general suite turns off."""
    settings.MFA_REQUIRED_ROLES = ["Admin", "Reviewer"]
    settings.SENSITIVE_ACTION_REAUTHENTICATION = True
    return settings


def totp_code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def enrol_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
