from django.apps import AppConfig


class GazetteerConfig(AppConfig):
    name = "verify.gazetteer"
    label = "gazetteer"
