"""Rate limits: per token when one is used, per user otherwise (so a user's tokens do not share one bucket with
their browser session, and one runaway script cannot starve the others)."""

from rest_framework.throttling import SimpleRateThrottle

from verify.api.models import ApiToken


class _Scoped(SimpleRateThrottle):
    def _ident(self, request) -> str | None:
        raise NotImplementedError

    def get_cache_key(self, request, view):
        ident = self._ident(request)
        if ident is None:
            return None
        write = "w" if request.method not in ("GET", "HEAD", "OPTIONS") else "r"
        return self.cache_format % {"scope": f"{self.scope}-{write}", "ident": ident}

    def allow_request(self, request, view):
        # Writes have their own, lower, rate.
        self.rate = self.THROTTLE_RATES.get(self.scope + ("_write" if request.method not in ("GET", "HEAD") else ""))
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def __init__(self):  # the rate is chosen per request (read or write) in allow_request
        pass


class TokenRateThrottle(_Scoped):
    scope = "token"

    def _ident(self, request) -> str | None:
        return str(request.auth.pk) if isinstance(request.auth, ApiToken) else None


class UserRateThrottle(_Scoped):
    scope = "user"

    def _ident(self, request) -> str | None:
        if isinstance(request.auth, ApiToken) or not request.user.is_authenticated:
            return None
        return str(request.user.pk)
