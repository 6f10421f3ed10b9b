"""Every model registered in the admin, checked against an explicit allow-list: a model added later is view-only
for superusers until someone decides otherwise here, and nothing at all for anyone else."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

# What a superuser may do in the admin, by model. Anything not listed may only be looked at.
EDITABLE = {
    # Reference lists: deletion is further refused while anything refers to the row (see test_vocabularies).
    "gazetteer.Place": {"add", "change", "delete"},
    "claims.Actor": {"delete"},  # added, edited and merged on their own pages (versioned, alias-checked)
    "claims.Source": {"delete"},
    "imports.SavedMapping": {"add", "change", "delete"},
    # Accounts: superusers manage users and groups here until the site's own pages exist.
    "auth.User": {"add", "change", "delete"},
    "auth.Group": {"add", "change", "delete"},
    # django-axes: a superuser lifts a lockout by deleting the attempt; the access logs are read-only.
    "axes.AccessAttempt": {"delete"},
}


def request_as(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def allowed(model_admin, request) -> set[str]:
    checks = {
        "add": model_admin.has_add_permission(request),
        "change": model_admin.has_change_permission(request),
        "delete": model_admin.has_delete_permission(request),
    }
    return {name for name, ok in checks.items() if ok}


def test_every_registered_model_matches_the_allow_list(superuser):
    request = request_as(superuser)
    actual = {model._meta.label: allowed(model_admin, request) for model, model_admin in admin.site._registry.items()}
    expected = {label: EDITABLE.get(label, set()) for label in actual}
    assert actual == expected


def test_every_registered_model_can_be_looked_at_by_a_superuser(superuser):
    request = request_as(superuser)
    for model_admin in admin.site._registry.values():
        assert model_admin.has_view_permission(request), model_admin


@pytest.mark.parametrize("role_user", ["staff", "staff_researcher"])
def test_the_site_admits_no_one_but_active_superusers(request, role_user, superuser):
    user = request.getfixturevalue(role_user)
    assert not admin.site.has_permission(request_as(user))
    assert admin.site.has_permission(request_as(superuser))
