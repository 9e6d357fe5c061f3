"""Who sees an interference entry: the recording officer, the discipline
liaisons over its unit, the leaders designated to read the register. Not
other officers, not undesignated leaders, not administrators as such (not
even superusers); everyone else gets 404, as if it did not exist."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from protections.models import Designation
from protections.services.designation import designation_grant
from protections.services.interference import interference_record
from tests.flows import new_events
from tests.protections.conftest import interference_input

pytestmark = pytest.mark.django_db

SEES = ["officer", "liaison", "body_liaison", "reader"]
DOES_NOT_SEE = [
    "colleague",
    "county_officer",
    "other_officer",
    "other_liaison",
    "leader",
    "admin",
    "inspector",
    "handler",
]


def detail(client, user, entry):
    client.force_login(user)
    return client.get(reverse("protections:interference_detail", args=[entry.pk]))


@pytest.mark.parametrize("who", SEES)
def test_it_shows_the_entry_to(client, people, entry, who):
    response = detail(client, getattr(people, who), entry)
    assert response.status_code == 200
    assert "赵某" in response.content.decode()


@pytest.mark.parametrize("who", DOES_NOT_SEE)
def test_it_answers_404_to(client, people, entry, who):
    assert detail(client, getattr(people, who), entry).status_code == 404


def test_a_missing_entry_is_404(client, people):
    client.force_login(people.officer)
    assert client.get(reverse("protections:interference_detail", args=[999])).status_code == 404


@pytest.mark.parametrize("who", ["liaison", "reader"])
def test_an_entry_of_a_unit_below_is_seen_from_above(client, people, county_entry, who):
    assert detail(client, getattr(people, who), county_entry).status_code == 200


def test_a_reader_designated_for_the_county_does_not_see_the_city(client, people, entry):
    county_leader = people.leader
    county_leader.units.add(people.county)
    Designation.objects.create(
        user=county_leader,
        unit=people.county,
        kind=Designation.Kind.INTERFERENCE_READER,
        basis="x",
    )
    assert detail(client, county_leader, entry).status_code == 404


def test_an_administrator_sees_it_once_designated_and_that_is_audited(client, people, entry):
    people.admin.groups.add(*people.reader.groups.all())  # a leader who also administers
    assert detail(client, people.admin, entry).status_code == 404
    with new_events() as events:
        designation_grant(
            actor=people.admin,
            user=people.admin,
            unit=people.unit,
            kind=Designation.Kind.INTERFERENCE_READER,
            basis="党组会议决定",
        )
    assert [e.event_type for e in events] == [AuditEventType.PROTECTION_DESIGNATION_GRANTED]
    client.logout()
    assert detail(client, people.admin, entry).status_code == 200


# --- the list -------------------------------------------------------------------------


def listed(client, user) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("protections:interference_list"))
    assert response.status_code == 200
    return [e.number for e in response.context["page"].object_list]


def test_an_officer_lists_only_their_own(client, people, entry, county_entry):
    assert listed(client, people.officer) == [entry.number]
    assert listed(client, people.colleague) == []


def test_a_liaison_and_a_reader_list_the_unit_and_below(client, people, entry, county_entry):
    expected = sorted([entry.number, county_entry.number])
    assert sorted(listed(client, people.liaison)) == expected
    assert sorted(listed(client, people.reader)) == expected
    assert listed(client, people.other_liaison) == []


@pytest.mark.parametrize("who", ["leader", "admin", "inspector"])
def test_the_list_is_refused_to(client, people, who):
    client.force_login(getattr(people, who))
    assert client.get(reverse("protections:interference_list")).status_code == 403


# --- attachments ----------------------------------------------------------------------


def test_an_attachment_download_is_audited(client, people, entry):
    attachment = entry.attachments.get()
    client.force_login(people.liaison)
    with new_events() as events:
        response = client.get(
            reverse("protections:interference_attachment", args=[entry.pk, attachment.pk])
        )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert [e.event_type for e in events] == [AuditEventType.INTERFERENCE_ATTACHMENT_DOWNLOADED]
    assert events[0].data["sha256"] == attachment.sha256


@pytest.mark.parametrize("who", ["colleague", "leader", "admin"])
def test_an_attachment_is_404_to(client, people, entry, who):
    attachment = entry.attachments.get()
    client.force_login(getattr(people, who))
    count = AuditEvent.objects.count()
    response = client.get(
        reverse("protections:interference_attachment", args=[entry.pk, attachment.pk])
    )
    assert response.status_code == 404
    assert AuditEvent.objects.count() == count


def test_an_attachment_of_another_entry_is_404(client, people, entry):
    attachment = entry.attachments.get()
    own = interference_record(actor=people.officer, data=interference_input())
    client.force_login(people.officer)
    response = client.get(
        reverse("protections:interference_attachment", args=[own.pk, attachment.pk])
    )
    assert response.status_code == 404


# --- navigation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, interference, protection",
    [
        ("officer", True, True),
        ("liaison", True, False),
        ("reader", True, False),
        ("handler", False, True),
        ("leader", False, False),
        ("admin", False, False),
        ("inspector", False, False),
    ],
)
def test_the_navigation_shows_the_entries_to_those_who_may_use_them(
    client, people, who, interference, protection
):
    client.force_login(getattr(people, who))
    content = client.get(reverse("notifications")).content.decode()
    assert ('data-testid="nav-interference"' in content) is interference
    assert ('data-testid="nav-protection"' in content) is protection
