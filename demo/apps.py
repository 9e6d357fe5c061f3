from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data (`manage.py seed_demo`): the top of the stack, which may
    use every app, so that none of the apps below has to reach up to it."""

    name = "demo"
    verbose_name = _("演示数据")
