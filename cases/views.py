from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from accounts.selectors import officers_of_units, user_creatable_units
from cases.forms import CaseCreateForm, SubjectOfficerFormSet
from cases.models import Case
from cases.selectors import case_detail, case_list_for_user, latest_documents
from cases.services import SubjectOfficerInput, case_create
from documents.models import Document

CASES_PER_PAGE = 25


def _get_case_for_user(request, pk: int) -> Case:
    """The case, or 404 when it does not exist or the user may not see it
    (a case of another unit is not acknowledged to exist)."""
    try:
        case = case_detail(pk)
    except Case.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("cases.view_case", case):
        raise Http404
    return case


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def case_list(request):
    _require(request, "cases.browse_cases")
    page = Paginator(case_list_for_user(request.user), CASES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "cases/case_list.html", {"page": page})


def case_create_view(request):
    _require(request, "cases.add_case")
    units = user_creatable_units(request.user)
    officers = officers_of_units(units.values("id"))
    form = CaseCreateForm(request.POST or None, units=units)
    formset = SubjectOfficerFormSet(
        request.POST or None, prefix="officers", form_kwargs={"officers": officers}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        subject_officers = [
            SubjectOfficerInput(officer=f.cleaned_data["officer"], part=f.cleaned_data["part"])
            for f in formset.forms
            if f.cleaned_data.get("officer")
        ]
        try:
            case = case_create(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                incident_summary=form.cleaned_data["incident_summary"],
                subject_officers=subject_officers,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_create.html", {"form": form, "formset": formset})


def case_detail_view(request, pk: int):
    case = _get_case_for_user(request, pk)
    return render(
        request,
        "cases/case_detail.html",
        {"case": case, "documents": latest_documents(case)},
    )


def case_documents_partial(request, pk: int):
    """The documents panel alone, polled by htmx until every document is ready."""
    case = _get_case_for_user(request, pk)
    return render(
        request,
        "cases/_documents.html",
        {"case": case, "documents": latest_documents(case)},
    )


def document_download(request, pk: int, document_id: int):
    case = _get_case_for_user(request, pk)
    document = get_object_or_404(Document, pk=document_id, case=case, status=Document.Status.DONE)
    filename = f"{case.number}-{document.get_kind_display()}.pdf"
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("inline") != "1",
        filename=filename,
    )
