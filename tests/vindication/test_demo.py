import pytest

from accounts.demo import seed_demo_data
from audit.models import AuditEvent
from vindication.demo import seed_demo_vindication
from vindication.models import ClarificationRecord

pytestmark = pytest.mark.django_db


def test_the_demo_records_are_seeded_once(catalogs):
    seed_demo_data()
    first = seed_demo_vindication()
    assert sorted(r.state for r in ClarificationRecord.objects.all()) == [
        "clarification_decided",
        "notice_issued",
        "recorded",
    ]
    events = AuditEvent.objects.count()
    again = seed_demo_vindication()
    assert [r.pk for r in again] == [r.pk for r in first]
    assert ClarificationRecord.objects.count() == 3
    assert AuditEvent.objects.count() == events


def test_without_the_demo_organisation_it_does_nothing(catalogs):
    assert seed_demo_vindication() == []
