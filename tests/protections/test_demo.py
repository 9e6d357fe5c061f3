"""The demo data: designations, two entries and a request, made once."""

import pytest

from accounts.demo import seed_demo_data
from audit.models import AuditEvent
from protections.demo import seed_demo_protections
from protections.models import Designation, InterferenceEntry, ProtectionRequest

pytestmark = pytest.mark.django_db


def counts():
    return (
        Designation.objects.count(),
        InterferenceEntry.objects.count(),
        ProtectionRequest.objects.count(),
        AuditEvent.objects.count(),
    )


def test_it_seeds_once(catalogs):
    seed_demo_data()
    seed_demo_protections()
    first = counts()
    assert first[:3] == (4, 2, 1)
    seed_demo_protections()
    assert counts() == first


def test_only_the_designated_leaders_read_the_register(catalogs):
    seed_demo_data()
    seed_demo_protections()
    readers = Designation.objects.filter(kind=Designation.Kind.INTERFERENCE_READER)
    assert sorted(readers.values_list("user__username", flat=True)) == ["lyg_chair", "ta_chair"]


def test_it_does_nothing_without_the_demo_accounts(db):
    seed_demo_protections()
    assert counts()[:3] == (0, 0, 0)
