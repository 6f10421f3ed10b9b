from django.urls import reverse

from tests.accounts.conftest import PASSWORD
from verify.accounts.models import AuditAction, AuditEvent


def reauthenticate(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_export_needs_a_recent_password(client, protected, viewer, incident):
    client.force_login(viewer)
    response = client.get(reverse("maps:export_csv"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()

    reauthenticate(client)
    response = client.get(reverse("maps:export_csv"))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == viewer and event.target == "incidents.csv"


def test_geojson_export_needs_a_recent_password_too(client, protected, viewer):
    client.force_login(viewer)
    assert client.get(reverse("maps:export_geojson")).status_code == 302


def test_reauthentication_expires(client, protected, viewer):
    protected.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    client.force_login(viewer)
    reauthenticate(client)
    assert client.get(reverse("maps:export_csv")).status_code == 302


def test_a_wrong_password_does_not_reauthenticate(client, protected, viewer):
    client.force_login(viewer)
    response = client.post(reverse("account_reauthenticate"), {"password": "not-my-password"})
    assert response.status_code == 200
    assert client.get(reverse("maps:export_csv")).status_code == 302


def edit_data(incident, **changes) -> dict:
    from verify.incidents.forms import IncidentEditForm

    form = IncidentEditForm(instance=incident, initial={"version": incident.version})
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v.pk if hasattr(v, "pk") else v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value.pk if hasattr(value, "pk") else value)
    data.update(changes)
    return data


def test_restricting_an_incident_needs_a_recent_password(client, protected, researcher, incident, desk):
    researcher.groups.add(desk)
    client.force_login(researcher)
    url = reverse("incidents:edit", args=[incident.reference])
    response = client.post(url, edit_data(incident, restricted="on", allowed_groups=[str(desk.pk)]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    incident.refresh_from_db()
    assert not incident.restricted

    # After the password, the suspended edit is replayed.
    client.post(reverse("account_reauthenticate") + f"?next={url}", {"password": PASSWORD})
    incident.refresh_from_db()
    assert incident.restricted
    assert AuditEvent.objects.filter(action=AuditAction.INCIDENT_RESTRICTION, target=incident.reference).exists()


def test_an_ordinary_edit_needs_no_password(client, protected, researcher, incident):
    client.force_login(researcher)
    url = reverse("incidents:edit", args=[incident.reference])
    response = client.post(url, edit_data(incident, title="A new title"))
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    incident.refresh_from_db()
    assert incident.title == "A new title"
