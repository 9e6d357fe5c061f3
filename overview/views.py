from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit
from accounts.selectors import user_visible_unit_ids
from documents.spreadsheets import XLSX_TYPE
from overview.export import overview_export
from overview.figures import overview_figures
from overview.forms import OverviewFilterForm
from overview.selectors import overview_build


def _filter_form(request) -> OverviewFilterForm:
    if not request.user.has_perm("overview.view_overview"):
        raise PermissionDenied
    visible = user_visible_unit_ids(request.user)
    form = OverviewFilterForm(request.GET, units=Unit.objects.filter(pk__in=visible))
    form.visible = visible
    return form


def overview_index(request):
    """The overview of the cases in the units the user oversees: a fixed
    number of aggregate queries whatever the number of cases."""
    form = _filter_form(request)
    if not form.is_valid():
        return render(request, "overview/index.html", {"form": form}, status=400)
    now = timezone.now()
    overview = overview_build(scope=form.scope(form.visible), now=now)
    return render(
        request,
        "overview/index.html",
        {
            "form": form,
            "overview": overview,
            "figures": overview_figures(overview),
            "now": now,
        },
    )


def overview_export_view(request):
    """The figures of the same scope as an Excel workbook; an invalid scope
    shows the page with its errors, as the overview does."""
    form = _filter_form(request)
    if not form.is_valid():
        return render(request, "overview/index.html", {"form": form}, status=400)
    overview = overview_build(scope=form.scope(form.visible), now=timezone.now())
    data = form.cleaned_data
    everything = _("不限")
    scope_lines = [
        (_("开始日期"), data["date_from"] or everything),
        (_("结束日期"), data["date_to"] or everything),
        (_("单位（含下级单位）"), data["unit"].name if data["unit"] else _("全部可查看的单位")),
    ]
    content = overview_export(
        actor=request.user,
        overview=overview,
        scope_lines=scope_lines,
        filters={key: str(value) for key, value in request.GET.items()},
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="overview-{stamp}.xlsx"'
    return response
