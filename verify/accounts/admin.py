"""allauth registers its email addresses, second factors and sessions as editable in the admin. Here they are
managed on the site's own pages (a user's Security page; an admin's user management, which audits every reset),
so they are taken out of the admin. (This app comes after allauth in INSTALLED_APPS.)"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin

for model in (EmailAddress, Authenticator, UserSession):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
