import pytest
from django.urls import reverse

from audit.models import AuditEventType

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(record):
    return record(event_type=AuditEventType.CATALOG_LOADED, summary="加载泰安办法")


def test_it_lists_events(audit_admin_client, event):
    response = audit_admin_client.get(reverse("admin:audit_auditevent_changelist"))
    assert response.status_code == 200
    assert "加载泰安办法" in response.content.decode()


def test_it_shows_an_event_read_only(audit_admin_client, event):
    response = audit_admin_client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert event.hash in response.content.decode()


def test_it_refuses_to_add_change_or_delete(audit_admin_client, event):
    assert audit_admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert audit_admin_client.post(change, {"summary": "改动"}).status_code == 403
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert audit_admin_client.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.summary == "加载泰安办法"
