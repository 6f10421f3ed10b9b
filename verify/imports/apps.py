from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "verify.imports"
    verbose_name = "Imports"
