from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionsConfig(AppConfig):
    name = "protections"
    verbose_name = _("执法人员保护")
