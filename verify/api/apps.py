from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "verify.api"
    label = "api"
