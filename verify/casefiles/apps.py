from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasefilesConfig(AppConfig):
    name = "verify.casefiles"
    verbose_name = _("Case files")
