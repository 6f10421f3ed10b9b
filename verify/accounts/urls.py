from allauth.account import views as allauth_views
from django.urls import include, path

from verify.accounts import views

urlpatterns = [
    # The site's own names for allauth's sign-in and sign-out, used by LOGIN_URL and the templates.
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("users/", views.user_list, name="user_list"),
    path("users/invite/", views.user_invite, name="user_invite"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/reset-2fa/", views.user_reset_mfa, name="user_reset_mfa"),
    path("users/<int:pk>/password-link/", views.user_password_link, name="user_password_link"),
    path("set-password/<uidb64>/<token>/", views.set_password, name="set_password"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit.csv", views.audit_export, name="audit_export"),
    path("", include("allauth.urls")),
]
