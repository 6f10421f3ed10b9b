import csv
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from verify.accounts import roles, services
from verify.accounts.audit import audit_record
from verify.accounts.forms import AuditFilterForm, InviteForm, UserAccessForm
from verify.accounts.models import AuditAction, AuditEvent
from verify.accounts.reauth import reauthentication_required
from verify.core.listing import paged
from verify.lib.csvsafe import escape_cell

MANAGE_USERS = "auth.change_user"
PAGE_SIZE = 50


def _role_of(user: User) -> str:
    return next((str(roles.ROLE_LABELS[g.name]) for g in user.groups.all() if g.name in roles.ROLES), "")


@permission_required(MANAGE_USERS, raise_exception=True)
@reauthentication_required
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.order_by("username").prefetch_related("groups", "authenticator_set")
    rows = [
        {
            "user": u,
            "role": _role_of(u),
            "groups": [g.name for g in u.groups.all() if g.name not in roles.ROLES],
            "has_mfa": bool(u.authenticator_set.all()),
        }
        for u in users
    ]
    return render(request, "accounts/user_list.html", {"rows": rows})


@permission_required(MANAGE_USERS, raise_exception=True)
@reauthentication_required
@require_http_methods(["GET", "POST"])
def user_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user, link = services.user_invite(
            request=request,
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            groups=list(data["groups"]),
        )
        return render(
            request, "accounts/password_link.html", {"subject": user, "link": request.build_absolute_uri(link)}
        )
    return render(request, "accounts/user_invite.html", {"form": form})


@permission_required(MANAGE_USERS, raise_exception=True)
@reauthentication_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    initial = {"role": _role_of(subject), "groups": subject.groups.exclude(name__in=list(roles.ROLES))}
    form = UserAccessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if subject == request.user and form.cleaned_data["role"] != roles.ADMIN and not subject.is_superuser:
            form.add_error("role", _("You cannot take the Admin role from yourself."))
        else:
            services.user_set_access(
                request=request, user=subject, role=form.cleaned_data["role"], groups=list(form.cleaned_data["groups"])
            )
            messages.success(request, _("Saved %(username)s.") % {"username": subject.username})
            return redirect("user_list")
    has_mfa = subject.authenticator_set.exists()
    return render(request, "accounts/user_edit.html", {"subject": subject, "form": form, "has_mfa": has_mfa})


@permission_required(MANAGE_USERS, raise_exception=True)
@reauthentication_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    if subject == request.user and not active:
        messages.error(request, _("You cannot deactivate yourself."))
    else:
        services.user_set_active(request=request, user=subject, active=active)
        messages.success(request, _("Saved %(username)s.") % {"username": subject.username})
    return redirect("user_edit", pk=subject.pk)


@permission_required(MANAGE_USERS, raise_exception=True)
@reauthentication_required
@require_POST
def user_reset_mfa(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    services.user_reset_mfa(request=request, user=subject)
    messages.success(request, _("Second factors removed for %(username)s.") % {"username": subject.username})
    return redirect("user_edit", pk=subject.pk)


@permission_required(MANAGE_USERS, raise_exception=True)
@reauthentication_required
@require_POST
def user_password_link(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    link = services.user_password_link(request=request, user=subject)
    return render(
        request, "accounts/password_link.html", {"subject": subject, "link": request.build_absolute_uri(link)}
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        subject = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        raise Http404(_("This link is not valid.")) from None
    if not default_token_generator.check_token(subject, token):
        return render(request, "accounts/set_password.html", {"invalid": True}, status=400)
    form = SetPasswordForm(subject, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit_record(action=AuditAction.PASSWORD_SET, request=request, user=subject, target=subject.username)
        messages.success(request, _("Your password is set. Sign in with it now."))
        return redirect("login")
    return render(request, "accounts/set_password.html", {"form": form, "subject": subject})


@permission_required(MANAGE_USERS, raise_exception=True)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = form.filter(AuditEvent.objects.all()) if request.GET else AuditEvent.objects.all()
    alerts = AuditEvent.objects.filter(
        action=AuditAction.DENIAL_ALERT, at__gte=timezone.now() - timezone.timedelta(days=7)
    )[:20]
    context = paged(request, events, per_page=PAGE_SIZE, form=form, alerts=alerts)
    return render(request, "accounts/audit_list.html", context)


@permission_required(MANAGE_USERS, raise_exception=True)
@reauthentication_required
def audit_export(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = form.filter(AuditEvent.objects.all()) if request.GET else AuditEvent.objects.all()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["at", "user", "action", "target", "ip", "user_agent", "detail"])
    for e in events.iterator():
        row = [e.at.isoformat(), e.actor_name, e.action, e.target, e.ip or "", e.user_agent, json.dumps(e.detail)]
        writer.writerow([escape_cell(str(cell)) for cell in row])
    audit_record(
        action=AuditAction.EXPORT, request=request, target="audit.csv", detail={"query": request.GET.urlencode()}
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="verify-audit-{timezone.now():%Y%m%d-%H%M}.csv"'
    response["Cache-Control"] = "no-store"
    return response
