"""Administrators designate who reads the interference register and who
handles protection requests, per unit (and the units below it)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from accounts.roles import Role
from accounts.selectors import user_visible_unit_ids
from audit.models import AuditEventType
from audit.services import audit_record
from protections import errors
from protections.models import Designation


def designation_validate(*, user: User, unit: Unit, kind: str, basis: str) -> None:
    """Refuse a designation that would open the register or the requests to
    someone who should not have them."""
    problems = {}
    if kind not in Designation.Kind.values:
        problems["kind"] = errors.DESIGNATION_KIND_MISSING
    if not basis.strip():
        problems["basis"] = errors.DESIGNATION_BASIS_MISSING
    if kind == Designation.Kind.INTERFERENCE_READER and not user.has_role(
        Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR
    ):
        problems["user"] = str(errors.READER_NOT_LEADER)
    elif unit.pk not in user_visible_unit_ids(user):
        problems["user"] = str(errors.DESIGNEE_NOT_OF_UNIT)
    elif Designation.objects.filter(user=user, unit=unit, kind=kind).exists():
        problems["user"] = str(errors.ALREADY_DESIGNATED)
    if problems:
        raise ValidationError(problems)


def designation_grant(*, actor: User, user: User, unit: Unit, kind: str, basis: str) -> Designation:
    """Designate `user` for `unit` (an administrator's act, audited)."""
    if not actor.has_perm("protections.add_designation"):
        raise PermissionDenied(errors.ONLY_ADMIN_DESIGNATES)
    designation_validate(user=user, unit=unit, kind=kind, basis=basis)
    with transaction.atomic():
        designation = Designation.objects.create(
            user=user, unit=unit, kind=kind, basis=basis.strip(), designated_by=actor
        )
        audit_record(
            event_type=AuditEventType.PROTECTION_DESIGNATION_GRANTED,
            actor=actor,
            obj=designation,
            summary=_("指定%(user)s为%(unit)s的%(kind)s")
            % {
                "user": user.get_full_name(),
                "unit": unit.name,
                "kind": designation.get_kind_display(),
            },
            data={
                "user": user.username,
                "unit": unit.name,
                "kind": kind,
                "basis": designation.basis,
            },
        )
    return designation


def designation_revoke(*, actor: User, designation: Designation) -> None:
    if not actor.has_perm("protections.delete_designation"):
        raise PermissionDenied(errors.ONLY_ADMIN_REVOKES)
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.PROTECTION_DESIGNATION_REVOKED,
            actor=actor,
            obj=designation,
            summary=_("取消指定%(user)s为%(unit)s的%(kind)s")
            % {
                "user": designation.user.get_full_name(),
                "unit": designation.unit.name,
                "kind": designation.get_kind_display(),
            },
            data={
                "user": designation.user.username,
                "unit": designation.unit.name,
                "kind": designation.kind,
            },
        )
        designation.delete()
