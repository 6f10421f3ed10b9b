from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from verify.accounts.audit import audit_record
from verify.accounts.models import AuditAction
from verify.accounts.reauth import require_recent_reauthentication
from verify.core.conflicts import conflict_context
from verify.core.idempotency import create_once
from verify.core.models import ConflictError
from verify.incidents import services
from verify.incidents.access import get_incident_for_user
from verify.incidents.forms import IncidentEditForm, IncidentForm
from verify.incidents.models import Incident, Status


@permission_required("incidents.add_incident", raise_exception=True)
@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create() -> str:
            groups = list(data["allowed_groups"]) if data["restricted"] else []
            incident = services.incident_create(
                user=request.user, data=data, allowed_groups=groups, labels=list(data["labels"])
            )
            messages.success(
                request, _("Incident %(reference)s created as a draft.") % {"reference": incident.reference}
            )
            return incident.get_absolute_url()

        url, _created = create_once(user=request.user, key=data["idempotency_key"], create=create)
        return redirect(url)
    return render(request, "incidents/incident_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, reference: str) -> HttpResponse:
    incident = get_incident_for_user(request.user, reference, perm="incidents.change_incident")
    form = IncidentEditForm(request.POST or None, instance=incident, initial={"version": incident.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if restriction_changed := {"restricted", "allowed_groups"} & set(form.changed_data):
            require_recent_reauthentication(request)
        try:
            changed = services.incident_update(
                incident=Incident.objects.get(pk=incident.pk),
                user=request.user,
                data=data,
                expected_version=data["version"],
                allowed_groups=list(data["allowed_groups"]) if data["restricted"] else [],
                labels=list(data["labels"]),
            )
        except ConflictError as exc:
            conflict = conflict_context(form, exc)
        else:
            if restriction_changed:
                audit_record(action=AuditAction.INCIDENT_RESTRICTION, request=request, target=incident.reference)
            if not changed:
                messages.info(request, _("Nothing changed."))
            else:
                fields = ", ".join(changed).replace("_", " ")
                messages.success(
                    request, _("Saved %(ref)s: %(fields)s.") % {"ref": incident.reference, "fields": fields}
                )
                if (
                    incident.status == Status.VERIFIED
                    and Incident.objects.filter(pk=incident.pk, status=Status.SUBMITTED).exists()
                ):
                    messages.warning(
                        request,
                        _("%(ref)s was verified; this change sends it back to review.") % {"ref": incident.reference},
                    )
            return redirect(incident)
    status = 409 if conflict else 200
    return render(
        request,
        "incidents/incident_form.html",
        {"form": form, "incident": incident, "conflict": conflict},
        status=status,
    )
