from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VindicationConfig(AppConfig):
    name = "vindication"
    verbose_name = _("澄清正名与无影响证明")
