"""The optional TOTP second factor of the administrative roles (django-otp),
on when settings.JINZHI_ADMIN_TOTP is. An account enrols one authenticator
app (a TOTP device) at its first login; after every password login it gives
a code before it opens anything (accounts.middleware.AdminSecondFactorMiddleware).
A lost device is reset by the security administrator, and the account then
enrols again at its next login."""

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import errors
from accounts.models import User
from accounts.roles import ADMINISTRATIVE_ROLES
from audit.models import AuditEventType
from audit.services import audit_record

DEVICE_NAME = "authenticator"


def second_factor_required(user: User) -> bool:
    """Whether the account must give a TOTP code after its password: the
    administrative roles (and any superuser) when the setting is on."""
    if not settings.JINZHI_ADMIN_TOTP or not user.is_authenticated:
        return False
    return user.is_superuser or user.has_role(*ADMINISTRATIVE_ROLES)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device the account is enrolling (made on first ask;
    the same key until it is confirmed, so a reload shows the same code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> bytes:
    """The device's otpauth:// address as an SVG QR code (paths only: no
    script, no style, so the strict CSP lets it through as an image)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def grouped_secret(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into the app."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _clean_token(token: str) -> str:
    token = (token or "").replace(" ", "").strip()
    if not token.isdigit() or len(token) != 6:
        raise ValidationError(errors.TOTP_FORMAT)
    return token


@transaction.atomic
def second_factor_enrol(*, user: User, token: str) -> TOTPDevice:
    """Confirm the account's pending device with a code it shows; audited.
    Refused when the account already has a confirmed device (a second one
    needs the security administrator's reset first)."""
    token = _clean_token(token)
    if confirmed_device(user) is not None:
        raise ValidationError(errors.TOTP_ALREADY_ENROLLED)
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        raise ValidationError(errors.TOTP_WRONG)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        event_type=AuditEventType.SECOND_FACTOR_ENROLLED,
        actor=user,
        obj=user,
        summary=_("账号 %(username)s 绑定动态口令") % {"username": user.username},
        data={"username": user.username},
    )
    return device


def second_factor_check(*, user: User, token: str) -> TOTPDevice:
    """The account's confirmed device if the code is right (django-otp
    throttles repeated failures); a ValidationError otherwise."""
    token = _clean_token(token)
    device = confirmed_device(user)
    if device is None or not device.verify_token(token):
        raise ValidationError(errors.TOTP_WRONG)
    return device


@transaction.atomic
def second_factor_reset(*, actor: User, user: User) -> int:
    """Remove the account's TOTP devices (a lost phone); it enrols again at
    its next login. Only the security administrator may; audited. Returns
    the number of devices removed."""
    if not actor.has_perm("accounts.reset_second_factor"):
        raise PermissionDenied(errors.ONLY_SECURITY_ADMIN_RESETS_TOTP)
    removed, _detail = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        event_type=AuditEventType.SECOND_FACTOR_RESET,
        actor=actor,
        obj=user,
        summary=_("重置账号 %(username)s 的动态口令") % {"username": user.username},
        data={"username": user.username, "devices_removed": removed},
    )
    return removed
