"""The label vocabulary: a tree everyone signed in may read, which researchers extend, rename and re-arrange."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from verify.incidents import services
from verify.incidents.forms import LabelForm
from verify.incidents.models import Incident, Label


def visible_counts(user) -> dict[int, int]:
    """How many incidents this user may see carry each label; the others are never counted."""
    rows = (
        Incident.labels.through.objects.filter(incident__in=Incident.objects.visible_to(user))
        .order_by()
        .values("label_id")
        .annotate(n=Count("incident_id"))
    )
    return {row["label_id"]: row["n"] for row in rows}


def _render_list(request: HttpRequest, form: LabelForm | None, status: int = 200) -> HttpResponse:
    counts = visible_counts(request.user)
    tree = [(label, depth, counts.get(label.pk, 0)) for label, depth in Label.objects.tree()]
    return render(request, "incidents/labels.html", {"tree": tree, "form": form}, status=status)


@permission_required("incidents.view_incident", raise_exception=True)
def label_list(request: HttpRequest) -> HttpResponse:
    can_edit = request.user.has_perm("incidents.change_incident")
    return _render_list(request, LabelForm() if can_edit else None)


@permission_required("incidents.change_incident", raise_exception=True)
@require_POST
def label_create(request: HttpRequest) -> HttpResponse:
    form = LabelForm(request.POST)
    if form.is_valid():
        try:
            label = services.label_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Label “%(name)s” created.") % {"name": label.name})
            return redirect("incidents:labels")
    return _render_list(request, form, status=400)


@permission_required("incidents.change_incident", raise_exception=True)
@require_http_methods(["GET", "POST"])
def label_edit(request: HttpRequest, pk: int) -> HttpResponse:
    label = get_object_or_404(Label, pk=pk)
    initial = {"name": label.name, "parent": label.parent_id, "description": label.description}
    form = LabelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            label = services.label_update(label=label, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Label “%(name)s” saved.") % {"name": label.name})
            return redirect("incidents:labels")
    status = 400 if form.errors else 200
    return render(request, "incidents/label_form.html", {"form": form, "label": label}, status=status)
