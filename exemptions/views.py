from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from exemptions.effects import effect_wording
from exemptions.models import Clause, RegulationVersion
from exemptions.selectors import (
    clause_detail,
    current_versions,
    facts_by_key,
    regulation_version_detail,
    regulation_version_list,
)


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def catalog_index(request):
    _require(request, "exemptions.view_catalog")
    return render(request, "exemptions/catalog_index.html", {"versions": current_versions()})


def catalog_detail(request, slug: str, number: int | None = None):
    _require(request, "exemptions.view_catalog")
    try:
        version = regulation_version_detail(slug=slug, number=number)
    except RegulationVersion.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "exemptions/catalog_detail.html",
        {
            "version": version,
            "regulation": version.regulation,
            "versions": regulation_version_list(regulation_id=version.regulation_id),
        },
    )


def clause_detail_view(request, slug: str, ref: str, number: int | None = None):
    _require(request, "exemptions.view_catalog")
    try:
        clause = clause_detail(slug=slug, ref=ref, number=number)
    except Clause.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "exemptions/clause_detail.html",
        {
            "clause": clause,
            "version": clause.version,
            "regulation": clause.version.regulation,
            "facts": facts_by_key(regulation=clause.version.regulation.slug),
            "effect": _effect_statement(clause.effect),
        },
    )


def _effect_statement(effect: str) -> str:
    wording = effect_wording(effect)
    return wording.statement(get_language()) if wording else ""
