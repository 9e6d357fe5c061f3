from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exemptions import lifecycle
from exemptions.effects import effect_wording
from exemptions.forms import CatalogChangeForm, CatalogReviewForm
from exemptions.models import CatalogChange, Clause, RegulationVersion
from exemptions.selectors import (
    clause_detail,
    current_versions,
    facts_by_key,
    regulation_version_detail,
    regulation_version_list,
)
from exemptions.templatetags.catalog_text import condition_sections


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


# --- the catalogue life-cycle (exemptions.lifecycle) ---------------------------------


def catalog_change_list(request):
    _require(request, lifecycle.PROPOSE)
    return render(
        request,
        "exemptions/change_list.html",
        {"changes": CatalogChange.objects.select_related("uploaded_by", "reviewed_by")[:100]},
    )


def catalog_change_create(request):
    _require(request, lifecycle.PROPOSE)
    form = CatalogChangeForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            change = lifecycle.catalog_change_submit(
                actor=request.user,
                file_name=upload.name,
                content=upload.read(),
                effective_on=form.cleaned_data["effective_on"],
                reason=form.cleaned_data["reason"],
            )
        except lifecycle.CatalogChangeRefused as refused:
            problems = refused.messages
        else:
            messages.success(request, _("已提交，等待另一名管理员审核。"))
            return redirect("exemptions:change", change.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "exemptions/change_form.html",
        {"form": form, "problems": problems},
        status=status,
    )


def catalog_change_detail(request, pk: int):
    _require(request, lifecycle.PROPOSE)
    change = get_object_or_404(
        CatalogChange.objects.select_related(
            "uploaded_by", "reviewed_by", "base_version", "version"
        ),
        pk=pk,
    )
    facts = facts_by_key(regulation=change.slug)
    return render(
        request,
        "exemptions/change_detail.html",
        {
            "change": change,
            "clause_changes": _clause_change_rows(change.diff.get("clauses", []), facts),
            "golden_rows": _golden_rows(change.golden.get("changed", []), facts),
            "may_review": change.status == CatalogChange.Status.PENDING
            and request.user.has_perm(lifecycle.APPROVE)
            and request.user.pk != change.uploaded_by_id,
            "review_form": CatalogReviewForm(),
        },
    )


@require_POST
def catalog_change_review(request, pk: int, decision: str):
    _require(request, lifecycle.APPROVE)
    form = CatalogReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    service = {
        "approve": lifecycle.catalog_change_approve,
        "reject": lifecycle.catalog_change_reject,
    }.get(decision)
    if service is None:
        raise Http404
    try:
        change = service(actor=request.user, change_id=pk, note=note)
    except CatalogChange.DoesNotExist:
        raise Http404 from None
    except lifecycle.CatalogChangeRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            {
                CatalogChange.Status.ACTIVE: _("已批准，变更已生效。"),
                CatalogChange.Status.APPROVED: _("已批准，将于生效日期起适用。"),
                CatalogChange.Status.REJECTED: _("已退回。"),
            }[change.status],
        )
    return redirect("exemptions:change", pk)


def _clause_change_rows(changes: list[dict], facts) -> list[dict]:
    """The diff's clause changes with their conditions in words."""
    rows = []
    for change in changes:
        rows.append(
            {
                **change,
                "old_sections": condition_sections(change["old_condition"], facts)
                if change["old_condition"]
                else None,
                "new_sections": condition_sections(change["new_condition"], facts)
                if change["new_condition"]
                else None,
            }
        )
    return rows


def _golden_rows(changed: list[dict], facts) -> list[dict]:
    """The golden-case report with fact labels in the regulation's words."""
    rows = []
    for item in changed:
        clauses = []
        for clause in item["clauses"]:
            clauses.append(
                {
                    **clause,
                    "facts": [
                        (facts[key].label if key in facts else key, value)
                        for key, value in clause["facts"]
                    ],
                }
            )
        rows.append({**item, "clauses": clauses})
    return rows
