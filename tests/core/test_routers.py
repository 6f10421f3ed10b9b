"""Which database the replica router picks, request by request (verify/core/routers.py). The end-to-end proof,
against a real second database, is tests/scale/test_replica.py; here every rule is checked on its own."""

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from verify.accounts.models import AuditEvent
from verify.core.routers import PIN_COOKIE, ReplicaPinMiddleware, ReplicaRouter, replica_reads
from verify.incidents.models import Incident

router = ReplicaRouter()


def serve(view, cookies: dict | None = None) -> HttpResponse:
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    return ReplicaPinMiddleware(view)(request)


def test_only_marked_views_read_from_the_replica():
    seen = {}

    def plain(request):
        seen["plain"] = router.db_for_read(Incident)
        return HttpResponse()

    @replica_reads
    def marked(request):
        seen["marked"] = router.db_for_read(Incident)
        seen["user"] = router.db_for_read(User)  # who is signed in: always the primary
        return HttpResponse()

    serve(plain)
    serve(marked)
    assert seen == {"plain": "default", "marked": "replica", "user": "default"}
    assert router.db_for_read(Incident) == "default"  # outside any request


def test_a_write_pins_the_rest_of_the_request_and_the_next_requests():
    seen = []

    @replica_reads
    def view(request):
        seen.append(router.db_for_read(Incident))
        assert router.db_for_write(Incident) == "default"
        seen.append(router.db_for_read(Incident))
        return HttpResponse()

    response = serve(view)
    assert seen == ["replica", "default"]
    assert response.cookies[PIN_COOKIE].value == "1"
    assert int(response.cookies[PIN_COOKIE]["max-age"]) > 0
    # The next request from the same browser carries the cookie: the primary throughout.
    seen.clear()
    serve(view, cookies={PIN_COOKIE: "1"})
    assert seen == ["default", "default"]


def test_the_audit_log_written_by_exports_pins_nothing():
    seen = []

    @replica_reads
    def view(request):
        router.db_for_write(AuditEvent)
        seen.append(router.db_for_read(Incident))
        return HttpResponse()

    response = serve(view)
    assert seen == ["replica"]
    assert PIN_COOKIE not in response.cookies


def test_reads_in_a_transaction_on_the_primary_stay_there(db):
    seen = []

    @replica_reads
    def view(request):
        with transaction.atomic():
            seen.append(router.db_for_read(Incident))
        return HttpResponse()

    serve(view)
    assert seen == ["default"]


def test_a_streamed_body_is_read_from_the_replica_while_it_streams():
    @replica_reads
    def view(request):
        return StreamingHttpResponse(router.db_for_read(Incident) for _ in range(3))

    response = serve(view)
    # The view has returned; the chunks are made now, as the server sends them.
    assert b"".join(response.streaming_content) == b"replica" * 3
    assert router.db_for_read(Incident) == "default"


def test_without_the_middleware_marked_views_read_the_primary():
    # No DATABASE_REPLICA_URL: the middleware is not installed, and @replica_reads changes nothing.
    seen = []

    @replica_reads
    def view(request):
        seen.append(router.db_for_read(Incident))
        return HttpResponse()

    view(RequestFactory().get("/"))
    assert seen == ["default"]
