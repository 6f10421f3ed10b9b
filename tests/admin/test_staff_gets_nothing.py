"""Only active superusers get into the admin: a staff member with any role gets a login redirect or a 403 from
every admin URL, never data (history pages, the /admin/r/ shortcut and autocomplete included)."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

pytestmark = pytest.mark.django_db


def admin_urls(world) -> list[str]:
    incident = world["incident"]
    urls = [
        "/admin/",
        "/admin/incidents/",
        "/admin/jsi18n/",
        "/admin/password_change/",
        f"/admin/r/{ContentType.objects.get_for_model(incident).pk}/{incident.pk}/",
        "/admin/autocomplete/?app_label=claims&model_name=claim&field_name=place&term=a",
    ]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        obj = model._base_manager.order_by("pk").first()
        pk = obj.pk if obj else 1
        urls += [
            reverse("admin:{}_{}_changelist".format(*info)),
            reverse("admin:{}_{}_add".format(*info)),
            reverse("admin:{}_{}_change".format(*info), args=[pk]),
            reverse("admin:{}_{}_delete".format(*info), args=[pk]),
            reverse("admin:{}_{}_history".format(*info), args=[pk]),
        ]
        history = getattr(model, "history", None)
        if history is not None and obj is not None:
            record = history.filter(**{model._meta.pk.attname: pk}).first()
            if record is not None:
                urls.append(reverse("admin:{}_{}_simple_history".format(*info), args=[pk, record.history_id]))
    return urls


def assert_nothing(response, world) -> None:
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert "login" in response["Location"]
    body = response.content.decode()
    assert world["incident"].reference not in body
    assert "Restricted" not in body


@pytest.mark.parametrize("role_user", ["staff", "staff_researcher"])
def test_staff_who_are_not_superusers_get_nothing_from_any_admin_url(client, request, restricted_world, role_user):
    user = request.getfixturevalue(role_user)
    client.force_login(user)
    for url in admin_urls(restricted_world):
        assert_nothing(client.get(url), restricted_world)


def test_staff_cannot_post_to_the_admin(client, staff, restricted_world):
    client.force_login(staff)
    evidence = restricted_world["evidence"]
    response = client.post(
        f"/admin/evidence/evidenceitem/{evidence.pk}/change/", {"thumbnail_name": evidence.storage_name}
    )
    assert_nothing(response, restricted_world)
    evidence.refresh_from_db()
    assert evidence.thumbnail_name != evidence.storage_name


def test_the_admin_login_page_does_not_sign_in_around_the_site_login(client, staff):
    """The admin's own password form would skip whatever the site's sign-in adds (lockout, second factor)."""
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(staff)
    assert client.get("/admin/login/").status_code == 403


def test_inactive_superuser_gets_nothing(client, superuser, restricted_world):
    superuser.is_active = False
    superuser.save()
    client.force_login(superuser)
    assert_nothing(client.get("/admin/incidents/incident/"), restricted_world)


def test_superuser_gets_in(client, superuser, restricted_world):
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


def test_only_superusers_are_shown_the_admin_link(client, staff, superuser):
    client.force_login(staff)
    assert 'href="/admin/"' not in client.get("/").content.decode()
    client.force_login(superuser)
    assert 'href="/admin/"' in client.get("/").content.decode()
