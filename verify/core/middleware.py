"""Small request and response rules that hold for every page."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    """A NUL byte in the path or the query string is a bad request (400).

    No page has a use for one, and PostgreSQL refuses NUL in text: passed on to a query it was a server error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            message = _("The address contains a NUL character.")
            if request.path.startswith("/api/"):  # the API answers in JSON only (verify/api/errors.py)
                return JsonResponse({"code": "invalid", "message": str(message), "errors": {}}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain")
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Pages for a signed-in user show records: neither the browser nor any shared cache may keep them.

    A response that says how it may be cached (a thumbnail, an export) keeps its own header. Static files are
    answered by WhiteNoise before this runs, and keep their long-lived caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
