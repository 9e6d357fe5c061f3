"""{% unit_signing_status unit as signing %}: whether the unit signs what it
issues (documents.signing), for the pages that say so."""

from django import template

from documents.signing import unit_signing_status as signing_status

register = template.Library()


@register.simple_tag
def unit_signing_status(unit):
    return signing_status(unit)
