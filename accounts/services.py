"""Administrative changes (三员分立): every change of an account, a role, a unit,
a stage deadline or a meeting rule goes through a service here, checks the
actor's permission, and writes its audit event in the same transaction."""

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from accounts import errors
from accounts.models import User
from accounts.roles import ADMINISTRATIVE_ROLES
from audit.models import AuditEventType
from audit.services import audit_record

# What an audit event never carries, even as "changed".
SECRET_FIELDS = frozenset({"password"})


def object_snapshot(obj: models.Model) -> dict:
    """The object's own fields as plain values (foreign keys as ids, secrets
    left out), for the before/after of an audit event."""
    snapshot = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        snapshot[field.attname] = field.value_from_object(obj)
    return snapshot


def _stored_snapshot(obj: models.Model) -> dict:
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return object_snapshot(stored) if stored is not None else {}


def _require(actor: User, action: str, obj: models.Model) -> None:
    perm = f"{obj._meta.app_label}.{action}_{obj._meta.model_name}"
    if not actor.has_perm(perm):
        raise PermissionDenied(errors.MAY_NOT_ADMINISTER)


def _changes(before: dict, after: dict) -> dict:
    keys = sorted(set(before) | set(after))
    return {
        "before": {k: before.get(k) for k in keys if before.get(k) != after.get(k)},
        "after": {k: after.get(k) for k in keys if before.get(k) != after.get(k)},
    }


@transaction.atomic
def admin_object_save(*, actor: User, obj: models.Model) -> models.Model:
    """Create or change a configuration object (unit, discipline body,
    officer, stage deadline, meeting rules) and audit it."""
    adding = obj._state.adding or obj.pk is None
    _require(actor, "add" if adding else "change", obj)
    before = {} if adding else _stored_snapshot(obj)
    obj.full_clean()
    obj.save()
    after = object_snapshot(obj)
    audit_record(
        event_type=AuditEventType.ADMIN_OBJECT_CREATED
        if adding
        else AuditEventType.ADMIN_OBJECT_CHANGED,
        actor=actor,
        obj=obj,
        summary=_("%(model)s：%(object)s") % {"model": obj._meta.verbose_name, "object": str(obj)},
        data={"model": obj._meta.label, **_changes(before, after)},
    )
    return obj


@transaction.atomic
def admin_object_delete(*, actor: User, obj: models.Model) -> None:
    """Delete a configuration object and audit what it was."""
    _require(actor, "delete", obj)
    before = object_snapshot(obj)
    label, pk, text = obj._meta.label, obj.pk, str(obj)
    audit_record(
        event_type=AuditEventType.ADMIN_OBJECT_DELETED,
        actor=actor,
        obj=obj,
        summary=_("%(model)s：%(object)s") % {"model": obj._meta.verbose_name, "object": text},
        data={"model": label, "id": pk, "before": before},
    )
    obj.delete()


def account_state(user: User) -> dict:
    """An account as the audit trail records it: its fields, roles and units."""
    return {
        **object_snapshot(user),
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "units": sorted(user.units.values_list("id", flat=True)),
    }


@transaction.atomic
def account_change_record(*, actor: User, user: User, before: dict) -> User:
    """Audit an account saved through the admin (its fields, roles and units
    already stored), keep `is_staff` in step with the administrative roles,
    and end the account's sessions when it was disabled or its roles changed.

    `before` is `account_state` taken before the change ({} for a new one)."""
    if not actor.has_perm("accounts.change_user" if before else "accounts.add_user"):
        raise PermissionDenied(errors.MAY_NOT_ADMINISTER)
    user = User.objects.select_for_update().get(pk=user.pk)
    after = account_state(user)
    roles_changed = before.get("roles", []) != after["roles"]
    disabled = before.get("is_active", True) and not user.is_active
    if roles_changed and not actor.has_perm("accounts.assign_roles"):
        raise PermissionDenied(errors.MAY_NOT_ADMINISTER)
    is_staff = bool(ADMINISTRATIVE_ROLES & set(after["roles"]))
    update_fields = []
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        update_fields.append("is_staff")
    if before and (roles_changed or disabled):
        user.session_generation += 1
        update_fields.append("session_generation")
    if update_fields:
        user.save(update_fields=update_fields)
        after = account_state(user)
    if not before:
        event_type = AuditEventType.ACCOUNT_CREATED
    elif disabled:
        event_type = AuditEventType.ACCOUNT_DISABLED
    elif roles_changed:
        event_type = AuditEventType.ROLES_CHANGED
    else:
        event_type = AuditEventType.ACCOUNT_CHANGED
    data = _changes(before, after)
    data["roles"] = after["roles"]
    audit_record(
        event_type=event_type,
        actor=actor,
        obj=user,
        summary=_("账号 %(username)s（%(name)s）")
        % {"username": user.username, "name": user.get_full_name()},
        data=data,
    )
    return user


@transaction.atomic
def account_unlock(*, actor: User, username: str) -> int:
    """Lift a login lockout (django-axes) for the account name; returns the
    number of failure records removed. Only the security administrator may."""
    if not actor.has_perm("accounts.unlock_account"):
        raise PermissionDenied(errors.ONLY_SECURITY_ADMIN_UNLOCKS)
    from axes.utils import reset

    removed = reset(username=username)
    target = User.objects.filter(username=username).first()
    audit_record(
        event_type=AuditEventType.ACCOUNT_UNLOCKED,
        actor=actor,
        obj=target,
        summary=_("解除账号 %(username)s 的登录锁定") % {"username": username},
        data={"username": username, "failure_records_removed": removed},
    )
    return removed


def login_lockout_record(*, username: str, ip_address: str | None) -> None:
    """Audit a lockout by django-axes (a system event: no one is logged in)."""
    target = User.objects.filter(username=username).first() if username else None
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.LOGIN_LOCKED_OUT,
            obj=target,
            summary=_("账号 %(username)s 登录失败次数过多，已锁定") % {"username": username},
            data={"username": username, "ip_address": ip_address or ""},
        )
