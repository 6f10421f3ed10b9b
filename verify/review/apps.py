from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "verify.review"
    label = "review"
