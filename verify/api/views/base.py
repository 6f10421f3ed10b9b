"""What every endpoint shares: signed in (session or token), token scope, rate limits, JSON errors."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView

from verify.api.forms_bridge import MAX_ID
from verify.api.serializers import ConflictSerializer, ErrorSerializer

ERRORS = {
    "400": (ErrorSerializer, "Invalid input: `errors` names the fields."),
    "401": (ErrorSerializer, "Not signed in, or the token is not valid."),
    "403": (ErrorSerializer, "Your role (or the token's scope) does not allow this."),
    "404": (ErrorSerializer, "No such record, or one you may not see."),
    "429": (ErrorSerializer, "Too many requests: see Retry-After."),
}


class VerifySchema(AutoSchema):
    """Every operation documents the error answers it can give, in our one error form."""

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        from drf_spectacular.utils import OpenApiResponse

        for code, (serializer, text) in ERRORS.items():
            if code not in bodies:
                bodies[code] = self._get_response_for_code(OpenApiResponse(serializer, description=text), code)
        if self.method in ("PUT", "PATCH", "POST") and "409" not in bodies:
            bodies["409"] = self._get_response_for_code(
                OpenApiResponse(ConflictSerializer, description="Stale version, or a step the workflow refuses."),
                "409",
            )
        return bodies


class ApiView(GenericAPIView):
    schema = VerifySchema()

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        # The API authenticates itself (session or token) and answers 401 in JSON, never the sign-in page.
        view.login_required = False
        return view

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # An id beyond the database's 64-bit range names no record (and SQLite could not even be asked).
        if any(isinstance(value, int) and value > MAX_ID for value in kwargs.values()):
            raise exceptions.NotFound()

    def conflict_representation(self, instance) -> dict | None:
        return None
