from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "verify.claims"
    label = "claims"
