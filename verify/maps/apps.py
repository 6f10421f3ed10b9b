from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "verify.maps"
    verbose_name = "Map, timeline and exports"
