"""Protection requests: the officer files one; designated handlers record the
coordination with the police and move it along."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.views.common import add_service_errors, error_messages
from protections.forms import PoliceCoordinationForm, ProtectionMoveForm, ProtectionRequestForm
from protections.models import ProtectionRequest
from protections.rules import allowed
from protections.selectors import protection_request_detail, protection_requests_for
from protections.services.protection import (
    ProtectionInput,
    available_moves,
    police_coordination_record,
    protection_request_file,
    protection_request_move,
)

REQUESTS_PER_PAGE = 25
VIEW = "protections.view_protection"


def _request_for_user(request, pk: int, perm: str = VIEW) -> ProtectionRequest:
    """The protection request, or 404 for anyone who may not see it; 403 when
    they may see it but not do `perm`."""
    try:
        protection = protection_request_detail(pk)
    except ProtectionRequest.DoesNotExist:
        raise Http404 from None
    if not allowed(request.user, VIEW, protection):
        raise Http404
    if perm != VIEW and not allowed(request.user, perm, protection):
        raise PermissionDenied
    return protection


def protection_list(request):
    if not allowed(request.user, "protections.browse_protection"):
        raise PermissionDenied
    page = Paginator(protection_requests_for(request.user), REQUESTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "protections/protection_list.html",
        {"page": page, "may_request": allowed(request.user, "protections.request_protection")},
    )


def protection_create(request):
    if not allowed(request.user, "protections.request_protection"):
        raise PermissionDenied
    form = ProtectionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            protection = protection_request_file(
                actor=request.user,
                data=ProtectionInput(
                    affected_person=data["affected_person"],
                    affected_name=data["affected_name"],
                    incident_kind=data["incident_kind"],
                    occurred_at=data["occurred_at"],
                    place=data["place"],
                    description=data["description"],
                    duty_connection=data["duty_connection"],
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("已提交保护申请，编号 %(number)s。") % {"number": protection.number}
            )
            return redirect("protections:protection_detail", pk=protection.pk)
    return render(request, "protections/protection_form.html", {"form": form})


def protection_detail_view(request, pk: int):
    protection = _request_for_user(request, pk)
    may_handle = allowed(request.user, "protections.handle_protection", protection)
    return render(
        request,
        "protections/protection_detail.html",
        {
            "protection": protection,
            "moves": available_moves(protection, request.user),
            "may_handle": may_handle,
            "police_form": PoliceCoordinationForm(prefix="police") if may_handle else None,
        },
    )


@require_POST
def protection_move(request, pk: int, name: str):
    protection = _request_for_user(request, pk, "protections.handle_protection")
    form = ProtectionMoveForm(request.POST)
    form.is_valid()
    try:
        moved = protection_request_move(
            actor=request.user,
            protection=protection,
            name=name,
            note=form.cleaned_data.get("note", ""),
            outcome=form.cleaned_data.get("outcome", ""),
        )
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(
            request, _("保护申请已变更为“%(status)s”。") % {"status": moved.get_status_display()}
        )
    return redirect("protections:protection_detail", pk=protection.pk)


@require_POST
def protection_police_record(request, pk: int):
    protection = _request_for_user(request, pk, "protections.handle_protection")
    form = PoliceCoordinationForm(request.POST, prefix="police")
    if form.is_valid():
        data = form.cleaned_data
        try:
            police_coordination_record(
                actor=request.user,
                protection=protection,
                contacted_on=data["contacted_on"],
                police_unit=data["police_unit"],
                reference_number=data["reference_number"],
                actions=data["actions"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已记录协调公安机关情况。"))
            return redirect("protections:protection_detail", pk=protection.pk)
    return render(
        request,
        "protections/protection_detail.html",
        {
            "protection": protection,
            "moves": available_moves(protection, request.user),
            "may_handle": True,
            "police_form": form,
        },
        status=400,
    )
