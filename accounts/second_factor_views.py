"""The TOTP second factor's pages: enrolment (with its QR code) and the
code asked after the password (accounts.second_factor)."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from accounts.second_factor import (
    confirmed_device,
    grouped_secret,
    pending_device,
    qr_code_svg,
    second_factor_check,
    second_factor_required,
)
from accounts.second_factor import second_factor_enrol as enrol_device


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("动态口令"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "home"


@never_cache
def second_factor_verify(request):
    """The code after the password login."""
    user = request.user
    if not second_factor_required(user) or user.is_verified():
        return redirect(_next_url(request))
    if confirmed_device(user) is None:
        return redirect("second_factor_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor_check(user=user, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(
        request,
        "registration/second_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@never_cache
def second_factor_enrol(request):
    """Bind an authenticator app: scan the code, then give the first code."""
    user = request.user
    if not second_factor_required(user):
        return redirect("home")
    if confirmed_device(user) is not None:
        return redirect("second_factor_verify")
    device = pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = enrol_device(user=user, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
        else:
            otp_login(request, device)
            return redirect("home")
    return render(
        request,
        "registration/second_factor_enrol.html",
        {"form": form, "secret": grouped_secret(device)},
    )


@never_cache
def second_factor_qr(request):
    """The QR code of the device being enrolled, as an SVG image."""
    user = request.user
    if not second_factor_required(user) or confirmed_device(user) is not None:
        raise Http404
    response = HttpResponse(qr_code_svg(pending_device(user)), content_type="image/svg+xml")
    response.headers["Cache-Control"] = "no-store"
    return response
