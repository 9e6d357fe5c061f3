"""Administrators keep each unit's meeting rules here (quorum and majority)."""

from django.contrib import admin

from reviews.models import DecisionRules


@admin.register(DecisionRules)
class DecisionRulesAdmin(admin.ModelAdmin):
    list_display = (
        "unit",
        "quorum_numerator",
        "quorum_denominator",
        "majority_numerator",
        "majority_denominator",
    )
