"""Bulk actions on the incidents ticked in the list (issue 20, item 12): assign a reviewer, add a label, submit for
review, export the selection as verify CSV.

Each incident is done through the same service as its one-incident button, in its own transaction, so an incident
is either fully done or untouched; the answer lists those done and, one by one, those refused and why. Incidents
the user may not see are "not found", exactly like a reference that does not exist.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from verify.accounts.audit import audit_denied, audit_record
from verify.accounts.models import AuditAction
from verify.accounts.reauth import require_recent_reauthentication
from verify.incidents.models import Incident, Label
from verify.incidents.services import incident_add_label
from verify.incidents.workflow import TransitionError
from verify.maps import exports
from verify.review import services
from verify.review.panels import active_reviewers

# A selection is at most this many incidents: eight pages of the list.
MAX_SELECTION = 200

ASSIGN, LABEL, SUBMIT, EXPORT = "assign", "label", "submit", "export"
# The permission each action needs, besides seeing the incident.
ACTION_PERMS = {
    ASSIGN: services.REVIEW_PERM,
    LABEL: services.EDIT_PERM,
    SUBMIT: services.EDIT_PERM,
    EXPORT: "incidents.view_incident",
}


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("With the selected incidents"),
        choices=[
            ("", gettext_lazy("Choose an action")),
            (ASSIGN, gettext_lazy("Assign to a reviewer")),
            (LABEL, gettext_lazy("Add a label")),
            (SUBMIT, gettext_lazy("Submit for review")),
            (EXPORT, gettext_lazy("Export as CSV")),
        ],
    )
    reviewer = forms.ModelChoiceField(
        queryset=None, required=False, label=gettext_lazy("Reviewer"), empty_label=gettext_lazy("Choose a reviewer")
    )
    label = forms.ModelChoiceField(
        queryset=None, required=False, label=gettext_lazy("Label"), empty_label=gettext_lazy("Choose a label")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = active_reviewers()
        self.fields["label"].queryset = Label.objects.order_by("name")

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == ASSIGN and not data.get("reviewer"):
            self.add_error("reviewer", _("Choose the reviewer to assign."))
        if action == LABEL and not data.get("label"):
            self.add_error("label", _("Choose the label to add."))
        return data


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list as it was (its filters and page), never to another site."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = ""
    if not target.startswith(reverse("incidents:list")):
        target = reverse("incidents:list")
    return redirect(target)


def _references(request: HttpRequest) -> list[str]:
    """The ticked references, in order, each once."""
    return list(dict.fromkeys(ref.strip() for ref in request.POST.getlist("refs") if ref.strip()))


def _found(user, references: list[str]) -> tuple[list[Incident], list[str]]:
    """The incidents this user may see, in the order ticked, and the references not found (hidden ones
    included, and audited as a refused restricted record is on its page)."""
    visible = {i.reference: i for i in Incident.objects.visible_to(user).filter(reference__in=references)}
    missing = [ref for ref in references if ref not in visible]
    for ref in Incident.objects.filter(reference__in=missing, restricted=True).values_list("reference", flat=True):
        audit_denied(user, kind="incident", target=ref)
    return [visible[ref] for ref in references if ref in visible], missing


def _refusal(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You are not allowed to do that.")


def _run(request: HttpRequest, incidents: list[Incident], form: BulkForm) -> tuple[list[str], list[tuple[str, str]]]:
    """Apply the action to each incident in turn: the references done, and those refused with the reason."""
    action, user = form.cleaned_data["action"], request.user
    done: list[str] = []
    refused: list[tuple[str, str]] = []
    for incident in incidents:
        try:
            if action == ASSIGN:
                services.review_assign(incident=incident, reviewer=form.cleaned_data["reviewer"], by=user)
            elif action == LABEL:
                if not incident_add_label(incident=incident, user=user, label=form.cleaned_data["label"]):
                    refused.append((incident.reference, _("it already has this label.")))
                    continue
            elif action == SUBMIT:
                services.incident_submit(incident=incident, user=user)
        except (TransitionError, PermissionDenied, ValidationError) as error:
            refused.append((incident.reference, _refusal(error)))
        else:
            done.append(incident.reference)
    return done, refused


def _export(request: HttpRequest, incidents: list[Incident]) -> HttpResponse:
    """The selection as the verify CSV (the list's export, for these incidents only)."""
    require_recent_reauthentication(request)
    queryset = Incident.objects.visible_to(request.user).filter(pk__in=[i.pk for i in incidents])
    lines = exports.csv_rows(queryset)
    response = StreamingHttpResponse((line.encode("utf-8") for line in lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="verify-incidents-{timezone.now():%Y%m%d-%H%M}.csv"'
    response["Cache-Control"] = "no-store"
    audit_record(
        action=AuditAction.EXPORT,
        request=request,
        target="incidents.csv",
        detail={"references": [i.reference for i in incidents]},
    )
    return response


DONE_TEXTS = {
    ASSIGN: gettext_lazy("Assigned to %(reviewer)s: %(references)s."),
    LABEL: gettext_lazy("Label “%(label)s” added to %(references)s."),
    SUBMIT: gettext_lazy("In the review queue: %(references)s."),
}


@require_POST
@permission_required("incidents.view_incident", raise_exception=True)
def incident_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST)
    references = _references(request)
    if not references:
        messages.error(request, _("Tick at least one incident first."))
        return _back(request)
    if len(references) > MAX_SELECTION:
        messages.error(
            request,
            _("Select at most %(max)s incidents at a time (you selected %(count)s); nothing was done.")
            % {"max": MAX_SELECTION, "count": len(references)},
        )
        return _back(request)
    perm = ACTION_PERMS.get(request.POST.get("action", ""))
    if perm and not request.user.has_perm(perm):
        messages.error(request, _("You are not allowed to do that; nothing was done."))
        return _back(request)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, _("Nothing was done: %(errors)s") % {"errors": " ".join(errors)})
        return _back(request)
    action = form.cleaned_data["action"]
    incidents, missing = _found(request.user, references)
    for ref in missing:
        messages.error(request, _("%(reference)s: no such incident.") % {"reference": ref})
    if action == EXPORT:
        return _export(request, incidents) if incidents else _back(request)
    done, refused = _run(request, incidents, form)
    if done:
        params = {"references": ", ".join(done)}
        if action == ASSIGN:
            params["reviewer"] = form.cleaned_data["reviewer"].get_username()
        if action == LABEL:
            params["label"] = form.cleaned_data["label"].name
        messages.success(request, DONE_TEXTS[action] % params)
    for ref, reason in refused:
        messages.error(request, _("%(reference)s not done: %(reason)s") % {"reference": ref, "reason": reason})
    return _back(request)
