"""Read queries for the interference register and protection requests. The
querysets here and the predicates in rules.py say the same thing: who may see
which entry or request."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Officer, Unit, User
from accounts.roles import Role
from accounts.selectors import unit_descendant_ids, user_visible_unit_ids
from cases.models import Case
from protections.models import (
    Designation,
    InterferenceCaseLink,
    InterferenceEntry,
    ProtectionRequest,
)


@dataclass(frozen=True)
class ProtectionAccess:
    """What the navigation needs to know, from one query."""

    is_officer: bool
    is_reader: bool
    is_handler: bool


def protection_access(user: User) -> ProtectionAccess:
    """Whether the user is an active officer or holds either designation;
    one query, cached on the user for the request."""
    cached = getattr(user, "_protection_access", None)
    if cached is not None:
        return cached
    designations = Designation.objects.filter(user=OuterRef("pk"))
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            has_officer=Exists(Officer.objects.filter(user=OuterRef("pk"), is_active=True)),
            has_reader=Exists(designations.filter(kind=Designation.Kind.INTERFERENCE_READER)),
            has_handler=Exists(designations.filter(kind=Designation.Kind.PROTECTION_HANDLER)),
        )
        .values("has_officer", "has_reader", "has_handler")
        .first()
    ) or {"has_officer": False, "has_reader": False, "has_handler": False}
    access = ProtectionAccess(
        is_officer=row["has_officer"],
        is_reader=row["has_reader"],
        is_handler=row["has_handler"],
    )
    user._protection_access = access
    return access


def officer_for(user: User) -> Officer | None:
    """The active officer the account belongs to, if any (cached)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_protection_officer"):
        user._protection_officer = (
            Officer.objects.filter(user=user, is_active=True).select_related("unit").first()
        )
    return user._protection_officer


def designated_unit_ids(user: User, kind: str) -> frozenset[int]:
    """The units a user is designated for (of one kind), with every unit below
    them; cached on the user."""
    if not user.is_authenticated:
        return frozenset()
    cache = user.__dict__.setdefault("_designated_unit_ids", {})
    if kind not in cache:
        own = set(
            Designation.objects.filter(user=user, kind=kind).values_list("unit_id", flat=True)
        )
        cache[kind] = frozenset(unit_descendant_ids(own)) if own else frozenset()
    return cache[kind]


def keeps_designations(user: User) -> bool:
    """Whether the user keeps designations: the security administrator (三员分立)."""
    return user.is_authenticated and user.has_role(Role.SECURITY_ADMINISTRATOR)


# --- the interference register --------------------------------------------------------


def liaison_filter(user: User) -> Q | None:
    """The entries a discipline liaison oversees: of the units they belong to
    and below, or of units whose same-level discipline body is theirs."""
    if not user.is_authenticated or not user.has_role(Role.DISCIPLINE_LIAISON):
        return None
    condition = Q(unit_id__in=user_visible_unit_ids(user))
    if user.discipline_body_id:
        condition |= Q(unit__discipline_body_id=user.discipline_body_id)
    return condition


def interference_entries_for(user: User) -> QuerySet[InterferenceEntry]:
    """Every entry the user may see: their own, those a liaison oversees, and
    those of the units they are designated to read. Administrators as such see
    none."""
    if not user.is_authenticated:
        return InterferenceEntry.objects.none()
    condition = Q(recorded_by=user)
    liaison = liaison_filter(user)
    if liaison is not None:
        condition |= liaison
    reader_units = designated_unit_ids(user, Designation.Kind.INTERFERENCE_READER)
    if reader_units:
        condition |= Q(unit_id__in=reader_units)
    return InterferenceEntry.objects.filter(condition)


def interference_register(
    user: User,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    unit: Unit | None = None,
    channel: str = "",
) -> QuerySet[InterferenceEntry]:
    """The register as the user may see it, filtered, with what a list and an
    export show (a fixed number of queries whatever the number of entries)."""
    entries = interference_entries_for(user)
    if date_from:
        entries = entries.filter(occurred_at__gte=_day_start(date_from))
    if date_to:
        entries = entries.filter(occurred_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    if unit is not None:
        entries = entries.filter(unit=unit)
    if channel:
        entries = entries.filter(channel=channel)
    return entries.select_related("unit", "officer", "corrects", "corrected_by").prefetch_related(
        "attachments",
        Prefetch("case_links", queryset=InterferenceCaseLink.objects.select_related("case")),
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def register_units(user: User) -> QuerySet[Unit]:
    """The units that have entries the user may see, for the filter."""
    unit_ids = interference_entries_for(user).values("unit_id")
    return Unit.objects.filter(id__in=unit_ids).order_by("level", "name")


def interference_detail(pk: int) -> InterferenceEntry:
    return (
        InterferenceEntry.objects.select_related(
            "unit", "officer", "recorded_by", "corrects", "corrected_by"
        )
        .prefetch_related(
            "attachments",
            Prefetch(
                "case_links",
                queryset=InterferenceCaseLink.objects.select_related("case", "linked_by"),
            ),
        )
        .get(pk=pk)
    )


def interference_entries_for_case(*, case: Case, user: User) -> list[InterferenceEntry]:
    """The entries linked to a case that this user may see (for the case page)."""
    return list(
        interference_entries_for(user)
        .filter(case_links__case=case)
        .select_related("corrected_by")
        .order_by("occurred_at", "id")
    )


# --- protection requests ---------------------------------------------------------------


def protection_requests_for(user: User) -> QuerySet[ProtectionRequest]:
    """Requests the user may see: their own, those of the units they handle,
    No administrative role reads them (三员分立)."""
    if not user.is_authenticated:
        return ProtectionRequest.objects.none()
    condition = Q(requested_by=user)
    officer = officer_for(user)
    if officer is not None:
        condition |= Q(officer=officer)
    handler_units = designated_unit_ids(user, Designation.Kind.PROTECTION_HANDLER)
    if handler_units:
        condition |= Q(unit_id__in=handler_units)
    return ProtectionRequest.objects.filter(condition).select_related("unit", "officer")


def protection_request_detail(pk: int) -> ProtectionRequest:
    return (
        ProtectionRequest.objects.select_related("unit", "officer", "requested_by")
        .prefetch_related("status_changes__actor", "police_coordinations__recorded_by")
        .get(pk=pk)
    )
