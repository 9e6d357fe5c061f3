"""The Django admin: administrators designate readers and handlers (audited,
validated); the register and the requests are read-only there and show only
what the user may see under the pages' rules."""

import pytest
from django.contrib import admin
from django.urls import reverse

from audit.models import AuditEventType
from protections import errors as protections_errors
from protections.models import Designation, InterferenceEntry, ProtectionRequest
from tests.flows import new_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client


def test_an_administrator_designates_a_reader_and_it_is_audited(admin_client, people):
    with new_events() as events:
        response = admin_client.post(
            reverse("admin:protections_designation_add"),
            {
                "user": people.leader.pk,
                "unit": people.unit.pk,
                "kind": Designation.Kind.INTERFERENCE_READER,
                "basis": "局党组会议决定",
            },
        )
    assert response.status_code == 302
    designation = Designation.objects.get(user=people.leader)
    assert designation.designated_by == people.admin
    assert [e.event_type for e in events] == [AuditEventType.PROTECTION_DESIGNATION_GRANTED]


def test_a_reader_must_be_a_leader(admin_client, people):
    response = admin_client.post(
        reverse("admin:protections_designation_add"),
        {
            "user": people.inspector.pk,
            "unit": people.unit.pk,
            "kind": Designation.Kind.INTERFERENCE_READER,
            "basis": "x",
        },
    )
    assert response.status_code == 200
    assert str(protections_errors.READER_NOT_LEADER) in response.content.decode()
    assert not Designation.objects.filter(user=people.inspector).exists()


def test_a_designee_must_belong_to_the_unit_or_above(admin_client, people):
    response = admin_client.post(
        reverse("admin:protections_designation_add"),
        {
            "user": people.handler.pk,
            "unit": people.other_unit.pk,
            "kind": Designation.Kind.PROTECTION_HANDLER,
            "basis": "x",
        },
    )
    assert response.status_code == 200
    assert str(protections_errors.DESIGNEE_NOT_OF_UNIT) in response.content.decode()
    assert not Designation.objects.filter(unit=people.other_unit).exists()


def test_a_designation_is_not_edited_but_revoked_with_an_audit_event(admin_client, people):
    designation = Designation.objects.get(user=people.reader)
    url = reverse("admin:protections_designation_change", args=[designation.pk])
    admin_client.post(url, {"user": people.leader.pk, "unit": people.unit.pk, "kind": "x"})
    designation.refresh_from_db()
    assert designation.user == people.reader
    with new_events() as events:
        response = admin_client.post(
            reverse("admin:protections_designation_delete", args=[designation.pk]),
            {"post": "yes"},
        )
    assert response.status_code == 302
    assert not Designation.objects.filter(pk=designation.pk).exists()
    assert [e.event_type for e in events] == [AuditEventType.PROTECTION_DESIGNATION_REVOKED]


def test_bulk_revocation_is_audited_per_designation(admin_client, people):
    with new_events() as events:
        admin_client.post(
            reverse("admin:protections_designation_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": list(Designation.objects.values_list("pk", flat=True)),
                "post": "yes",
            },
        )
    assert not Designation.objects.exists()
    assert [e.event_type for e in events] == [AuditEventType.PROTECTION_DESIGNATION_REVOKED] * 2


def test_an_undesignated_administrator_does_not_read_the_register_in_the_admin(admin_client, entry):
    assert (
        admin_client.get(reverse("admin:protections_interferenceentry_changelist")).status_code
        == 403
    )
    response = admin_client.get(
        reverse("admin:protections_interferenceentry_change", args=[entry.pk])
    )
    assert response.status_code in (302, 403, 404)
    assert "赵某" not in response.content.decode()


def test_entries_are_read_only_in_the_admin(client, people, entry):
    people.reader.is_staff = True
    people.reader.save(update_fields=["is_staff"])
    client.force_login(people.reader)
    url = reverse("admin:protections_interferenceentry_change", args=[entry.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "赵某" in response.content.decode()
    client.post(url, {"interferer_name": "改过"})
    assert InterferenceEntry.objects.get(pk=entry.pk).interferer_name == "赵某"
    assert client.get(reverse("admin:protections_interferenceentry_add")).status_code == 403
    delete = reverse("admin:protections_interferenceentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert InterferenceEntry.objects.filter(pk=entry.pk).exists()


def test_the_entry_admin_grants_no_change_or_delete(rf, people, entry):
    model_admin = admin.site._registry[InterferenceEntry]
    request = rf.get("/")
    request.user = people.admin
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)


def test_the_security_administrator_reads_no_protection_request(admin_client, protection):
    url = reverse("admin:protections_protectionrequest_change", args=[protection.pk])
    assert admin_client.get(url).status_code in (302, 403)


def test_requests_are_read_only_in_the_admin(client, people, protection):
    people.handler.is_staff = True
    people.handler.save(update_fields=["is_staff"])
    admin_client = client
    admin_client.force_login(people.handler)
    url = reverse("admin:protections_protectionrequest_change", args=[protection.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"status": "closed"})
    assert ProtectionRequest.objects.get(pk=protection.pk).status == "submitted"
    assert admin_client.get(reverse("admin:protections_protectionrequest_add")).status_code == 403
