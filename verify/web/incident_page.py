"""The incident page: the one place that puts its panels together (record, claims and cross-check, evidence,
review and discussion, history), and the two forms posted from it that re-render it with their errors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from verify.accounts.audit import audit_record
from verify.accounts.models import AuditAction
from verify.claims.history import incident_history
from verify.claims.panels import incident_crosscheck_context
from verify.core.forms import add_service_errors
from verify.core.idempotency import create_once
from verify.core.models import ConflictError
from verify.evidence.panels import incident_evidence_panel
from verify.incidents.access import get_incident_for_user
from verify.incidents.models import Incident
from verify.review import services as review_services
from verify.review.forms import CommentForm, VerdictForm
from verify.review.models import ReviewDecision
from verify.review.panels import changes_since, review_panel_context


def render_incident_page(
    request: HttpRequest,
    incident: Incident,
    *,
    status: int = 200,
    verdict_form: VerdictForm | None = None,
    verdict_conflict: list | None = None,
    comment_form: CommentForm | None = None,
) -> HttpResponse:
    user = request.user
    context = {
        "incident": incident,
        "history": incident_history(incident),
        "can_edit": user.has_perm("incidents.change_incident"),
        "evidence_panel": incident_evidence_panel(incident, user),
        **review_panel_context(
            user, incident, verdict_form=verdict_form, verdict_conflict=verdict_conflict, comment_form=comment_form
        ),
        **incident_crosscheck_context(request, incident),
    }
    return render(request, "incidents/incident_detail.html", context, status=status)


def incident_detail(request: HttpRequest, reference: str) -> HttpResponse:
    incident = get_incident_for_user(request.user, reference)
    if incident.reference != reference:
        return redirect(incident)
    if incident.restricted:
        audit_record(action=AuditAction.VIEW_RESTRICTED, request=request, target=incident.reference)
    return render_incident_page(request, incident)


def _back(incident: Incident) -> HttpResponse:
    return redirect(incident.get_absolute_url() + "#review-h")


def decide(request: HttpRequest, reference: str) -> HttpResponse:
    """The verdict form, posted from the incident page. Errors re-render that page with the form."""
    if request.method != "POST":
        return redirect("incidents:detail", reference=reference)
    incident = get_incident_for_user(request.user, reference, perm=review_services.REVIEW_PERM)
    form = VerdictForm(request.POST, incident=incident)
    if not form.is_valid():
        return render_incident_page(request, incident, status=400, verdict_form=form)
    data = form.cleaned_data
    try:
        decision = review_services.review_decide(
            incident=incident,
            user=request.user,
            verdict=data["verdict"],
            grade=data["grade"],
            note=data["note"],
            override_rationale=data["override_rationale"],
            expected_version=data["version"],
        )
    except ConflictError as error:
        form.data = form.data.copy()
        form.data["version"] = error.current_version
        form.add_error(
            None,
            _(
                "%(ref)s changed while you were reviewing it (you read version %(read)s, it is now version %(now)s). "
                "Your verdict has not been saved: check the change history below, then give it again."
            )
            % {"ref": incident.reference, "read": error.expected_version, "now": error.current_version},
        )
        conflict = changes_since(incident, error.expected_version)
        return render_incident_page(request, incident, status=409, verdict_form=form, verdict_conflict=conflict)
    except ValidationError as error:
        add_service_errors(form, error)
        return render_incident_page(request, incident, status=400, verdict_form=form)
    except (review_services.TransitionError, PermissionDenied) as error:
        messages.error(request, str(error) or _("You are not allowed to do that."))
        return _back(incident)
    if decision.verdict == ReviewDecision.Verdict.VERIFY:
        messages.success(
            request,
            _("%(ref)s is verified as %(grade)s.") % {"ref": incident.reference, "grade": decision.get_grade_display()},
        )
    else:
        messages.success(
            request, _("Changes requested on %(ref)s; the authors are notified.") % {"ref": incident.reference}
        )
    return _back(incident)


@require_POST
def comment(request: HttpRequest, reference: str) -> HttpResponse:
    incident = get_incident_for_user(request.user, reference, perm=review_services.COMMENT_PERM)
    form = CommentForm(request.POST)
    if form.is_valid():

        def create() -> str:
            review_services.comment_create(incident=incident, user=request.user, body=form.cleaned_data["body"])
            messages.success(request, _("Comment posted."))
            return incident.get_absolute_url() + "#discussion-h"

        try:
            url, _created = create_once(user=request.user, key=form.cleaned_data["idempotency_key"], create=create)
        except ValidationError as error:
            form.add_error("body", " ".join(error.messages))
        else:
            return redirect(url)
    return render_incident_page(request, incident, status=400, comment_form=form)
