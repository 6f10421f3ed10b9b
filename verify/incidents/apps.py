from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "verify.incidents"
    label = "incidents"

    def ready(self) -> None:
        from verify.incidents import signals  # noqa: F401  (connects the receivers)
