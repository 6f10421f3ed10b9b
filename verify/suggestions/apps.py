from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    """Claim suggestions: a pasted or uploaded report read sentence by sentence, offered as claims to accept."""

    name = "verify.suggestions"
    label = "suggestions"
