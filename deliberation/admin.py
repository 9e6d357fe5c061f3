"""Administrators keep each unit's meeting rules here (quorum and majority)."""

from django.contrib import admin

from accounts.admin import AuditedModelAdmin
from deliberation.models import DecisionRules


@admin.register(DecisionRules)
class DecisionRulesAdmin(AuditedModelAdmin):
    list_display = (
        "unit",
        "quorum_numerator",
        "quorum_denominator",
        "majority_numerator",
        "majority_denominator",
    )
