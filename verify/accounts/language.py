"""The interface language: the person's saved choice, else the session's, else the browser's.

`LocaleMiddleware` reads the cookie and `Accept-Language`; `UserLanguageMiddleware`, after authentication, puts the
signed-in person's saved preference first. The preference is read from the database once, at sign-in, and kept in
the session, so that a request costs no query for it. Switching saves the choice for that person, in the session,
and in the cookie (so that the sign-in page that follows a sign-out keeps it).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from verify.accounts.models import Preferences

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
SESSION_KEY = "verify_language"


def saved_language(user) -> str:
    if not user.is_authenticated:
        return ""
    try:
        return user.preferences.language
    except Preferences.DoesNotExist:
        return ""


def save_language(user, code: str) -> None:
    Preferences.objects.update_or_create(user=user, defaults={"language": code})


class UserLanguageMiddleware:
    """Activates the signed-in person's saved language for this request (after LocaleMiddleware chose one)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = request.session.get(SESSION_KEY, "") if request.user.is_authenticated else ""
        if code in LANGUAGE_CODES and code != translation.get_language():
            translation.activate(code)
            request.LANGUAGE_CODE = code
        return self.get_response(request)


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language and come back to the page the switch was on. Open to everyone, so that the
    sign-in page can be read in Arabic before signing in."""
    code = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if code not in LANGUAGE_CODES:
        return response
    if request.user.is_authenticated:
        save_language(request.user, code)
        request.session[SESSION_KEY] = code
    translation.activate(code)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@receiver(user_logged_in)
def _remember_language_at_sign_in(sender, request, user, **kwargs) -> None:
    code = saved_language(user)
    if request is not None and code in LANGUAGE_CODES:
        request.session[SESSION_KEY] = code
