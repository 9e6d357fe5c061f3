"""The case list exported with its filters (CSV or Excel)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from cases.export import FORMATS, case_list_export
from cases.filters import CaseFilter
from cases.selectors import case_list_for_user
from cases.views.common import error_messages, require
from documents.spreadsheets import CSV_TYPE, XLSX_TYPE

CONTENT_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}


def case_list_export_view(request, fmt: str):
    """The cases the list shows with the same filters and sort, every page of
    them; an invalid filter is ignored, as on the list."""
    require(request, "cases.browse_cases")
    if fmt not in FORMATS:
        raise Http404
    params = request.GET.copy()
    params.pop("page", None)
    filters = CaseFilter(params, queryset=case_list_for_user(request.user), request=request)
    applied = {key: value for key, value in params.items() if key not in filters.form.errors}
    try:
        content, _count = case_list_export(
            actor=request.user, cases=filters.qs, fmt=fmt, filters=applied
        )
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
        return redirect(f"{reverse('cases:list')}?{params.urlencode()}")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.{fmt}"'
    return response
