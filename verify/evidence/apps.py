from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "verify.evidence"
    label = "evidence"
