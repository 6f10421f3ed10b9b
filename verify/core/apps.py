from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "verify.core"
    label = "core"
