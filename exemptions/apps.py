from django.apps import AppConfig


class ExemptionsConfig(AppConfig):
    name = "exemptions"
