from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "verify.claims"
    label = "claims"

    def ready(self) -> None:
        from verify.claims import signals  # noqa: F401  (connects the receivers)
