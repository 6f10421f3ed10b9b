from django.apps import AppConfig


class WebConfig(AppConfig):
    """The top layer: pages that put several apps together (the dashboard, the incident page) and the demo."""

    name = "verify.web"
    label = "web"
