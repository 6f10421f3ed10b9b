from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "verify.incidents"
    label = "incidents"
