import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import PASSWORD
from tests.evidence.test_fixity import store
from verify.accounts.audit import audit_record
from verify.accounts.models import AppendOnlyError, AuditAction, AuditEvent


def test_sign_in_failure_and_sign_out_are_recorded_without_the_password(client, researcher):
    client.post(reverse("login"), {"login": researcher.username, "password": "a-wrong-secret"}, HTTP_USER_AGENT="UA/1")
    client.post(reverse("login"), {"login": researcher.username, "password": PASSWORD})
    client.post(reverse("logout"))
    failed = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert failed.actor is None and failed.actor_name == researcher.username and failed.user_agent == "UA/1"
    assert failed.ip == "127.0.0.1"
    assert "a-wrong-secret" not in str(failed.detail)
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=researcher).exists()
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor=researcher).exists()


def test_viewing_a_restricted_incident_is_recorded(client, researcher, restricted_incident, incident):
    client.force_login(researcher)
    client.get(incident.get_absolute_url())
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_RESTRICTED).exists()
    client.get(restricted_incident.get_absolute_url())
    event = AuditEvent.objects.get(action=AuditAction.VIEW_RESTRICTED)
    assert event.actor == researcher and event.target == restricted_incident.reference


def test_outsider_denied_a_restricted_incident_is_recorded_and_still_gets_404(
    client, researcher2, restricted_incident, incident
):
    client.force_login(researcher2)
    assert client.get(restricted_incident.get_absolute_url()).status_code == 404
    assert client.get(reverse("incidents:detail", args=["SYR-1999-9999"])).status_code == 404
    client.get(incident.get_absolute_url())
    denials = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED)
    assert [(d.actor, d.target) for d in denials] == [(researcher2, restricted_incident.reference)]


def test_repeated_denials_raise_one_alert_for_admins(
    client, settings, researcher2, restricted_incident, admin_user, caplog
):
    settings.AUDIT_DENIAL_ALERT_THRESHOLD = 3
    client.force_login(researcher2)
    for _ in range(5):
        client.get(restricted_incident.get_absolute_url())
    alerts = AuditEvent.objects.filter(action=AuditAction.DENIAL_ALERT)
    assert alerts.count() == 1 and alerts.get().target == researcher2.username
    assert "Repeated denied access" in caplog.text

    client.force_login(admin_user)
    page = client.get(reverse("audit_list")).content.decode()
    assert "repeated denied access" in page.lower() and researcher2.username in page


def test_audit_list_filters_by_user_action_and_date(client, admin_user, researcher, viewer):
    audit_record(action=AuditAction.EXPORT, user=researcher, target="incidents.csv")
    audit_record(action=AuditAction.EXPORT, user=viewer, target="incidents.geojson")
    audit_record(action=AuditAction.SIGN_IN, user=researcher, target="rita")
    client.force_login(admin_user)
    page = client.get(reverse("audit_list"), {"user": researcher.username, "action": AuditAction.EXPORT})
    events = list(page.context["page"])
    assert [e.target for e in events] == ["incidents.csv"]
    tomorrow = (timezone.now() + timedelta(days=1)).date().isoformat()
    assert not list(client.get(reverse("audit_list"), {"date_from": tomorrow}).context["page"])


def test_audit_csv_is_formula_safe_and_audited(client, admin_user):
    audit_record(action=AuditAction.SIGN_IN_FAILED, actor_name='=HYPERLINK("http://x")', target="@SUM(1)")
    client.force_login(admin_user)
    response = client.get(reverse("audit_export"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["at", "user", "action"]
    flat = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x")' in flat and "'@SUM(1)" in flat
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=admin_user, target="audit.csv").exists()


def test_downloading_an_original_is_recorded(client, researcher, incident):
    item = store(researcher, b"witness statement\n", incident=incident)
    client.force_login(researcher)
    client.get(reverse("evidence:download", args=[item.pk]))
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD_ORIGINAL, target=f"evidence-{item.pk}").exists()


def test_events_cannot_be_changed_or_deleted_one_by_one(researcher):
    event = audit_record(action=AuditAction.SIGN_IN, user=researcher)
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(target="tampered")


def test_prune_removes_only_events_past_retention(settings, researcher):
    settings.AUDIT_RETENTION_DAYS = 30
    recent = audit_record(action=AuditAction.SIGN_IN, user=researcher)
    at = AuditEvent._meta.get_field("at")
    at.auto_now_add = False
    try:
        AuditEvent(action=AuditAction.EXPORT, actor=researcher, at=timezone.now() - timedelta(days=31)).save()
    finally:
        at.auto_now_add = True
    out = io.StringIO()
    call_command("audit_prune", stdout=out)
    assert "Deleted 1 audit events." in out.getvalue()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()


def test_evidence_of_a_restricted_incident_denied_to_an_outsider_is_recorded(
    client, researcher2, restricted_incident, researcher
):
    item = store(researcher, b"restricted witness statement\n", incident=restricted_incident)
    client.force_login(researcher2)
    assert client.get(reverse("evidence:detail", args=[item.pk])).status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_DENIED)
    assert event.detail == {"kind": "evidence"} and event.target == str(item.pk)
