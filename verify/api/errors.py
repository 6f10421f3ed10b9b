"""Every error under /api/ is JSON: {"code": a stable code, "message": words for people, "errors": field errors}.

Never an HTML page, never a traceback. The codes are part of the API; the messages are translated.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from verify.core.models import ConflictError
from verify.incidents.workflow import TransitionError

log = logging.getLogger("verify.api")


def body(code: str, message: str, errors: dict | None = None, **extra) -> dict:
    return {"code": code, "message": str(message), "errors": errors or {}, **extra}


def _field_errors(detail) -> dict:
    """DRF's or Django's error structure as {field: [messages]}; errors not about one field under "non_field_errors"."""
    if isinstance(detail, dict):
        out = {}
        for name, value in detail.items():
            key = "non_field_errors" if name in ("__all__", None) else str(name)
            if isinstance(value, dict):
                out[key] = [f"{k}: {m}" for k, msgs in _field_errors(value).items() for m in msgs]
            elif isinstance(value, list | tuple):
                out[key] = [str(m) for m in value]
            else:
                out[key] = [str(value)]
        return out
    if isinstance(detail, list | tuple):
        return {"non_field_errors": [str(m) for m in detail]} if detail else {}
    return {"non_field_errors": [str(detail)]}


def django_validation_errors(error: DjangoValidationError) -> dict:
    return _field_errors(error.message_dict) if hasattr(error, "error_dict") else _field_errors(error.messages)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def exception_handler(exc, context):
    """DRF's handler (it sets WWW-Authenticate and Retry-After), with every body reshaped to our one form."""
    if isinstance(exc, ConflictError):
        serialize = getattr(context.get("view"), "conflict_representation", None)
        current = serialize(exc.current) if serialize and exc.current is not None else None
        return Response(
            body(
                "conflict",
                _(
                    "This record was changed by someone else (you sent version %(yours)s, it is now version "
                    "%(now)s). Nothing was saved."
                )
                % {"yours": exc.expected_version, "now": exc.current_version},
                your_version=exc.expected_version,
                current_version=exc.current_version,
                current=current,
            ),
            status=409,
        )
    if isinstance(exc, TransitionError):
        return Response(body("invalid_state", str(exc)), status=409)
    if isinstance(exc, DjangoValidationError):
        return Response(body("invalid", _("The data sent is not valid."), django_validation_errors(exc)), status=400)
    response = drf_exception_handler(exc, context)
    if response is None:
        log.exception("API error", exc_info=exc)
        return Response(body("server_error", _("Something went wrong on our side; it has been logged.")), status=500)
    if isinstance(exc, Http404 | exceptions.NotFound):
        response.data = body("not_found", _("Not found."))
    elif isinstance(exc, PermissionDenied):
        response.data = body("forbidden", str(exc) or _("You are not allowed to do that."))
    elif isinstance(exc, exceptions.ValidationError):
        response.data = body("invalid", _("The data sent is not valid."), _field_errors(exc.detail))
    elif isinstance(exc, exceptions.Throttled):
        response.data = body(
            "throttled", _("Too many requests: retry in %(seconds)s seconds.") % {"seconds": int(exc.wait or 1)}
        )
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        message = exc.detail if isinstance(exc.detail, str) else exc.default_detail
        response.data = body(str(code), str(message))
    return response


@csrf_exempt
def not_found(request, url: str = ""):
    """Any path under /api/ that names no endpoint."""
    return JsonResponse(body("not_found", _("There is no such endpoint.")), status=404)
