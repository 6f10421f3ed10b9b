"""Who is on the other end of a request: the client's address and browser, read the same way everywhere."""

from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

# The request being served, for audit records made far from the view (access helpers, signals without a request).
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


class CurrentRequestMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind the TLS proxy every request comes from the proxy, so the address is the last
    one the proxy appended to X-Forwarded-For; entries before it are whatever the client sent and are ignored.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or None


def client_user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]
