"""Reminders where no celery beat runs (the embedded default of `make run`):
the deadline scan runs before a request at most once per period, and never
takes the page down."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cases import middleware
from cases.models import Case
from cases.workflow import CaseState
from tests import flows

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def scan_on_request(settings):
    settings.DEADLINE_SCAN_ON_REQUEST_MINUTES = 10
    cache.delete(middleware.SCAN_LOCK_KEY)
    yield
    cache.delete(middleware.SCAN_LOCK_KEY)


def overdue_case(unit):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    Case.objects.filter(pk=flow.case.pk).update(deadline_at=timezone.now() - DAY)
    return flow


def test_the_first_page_shows_the_reminder_to_the_person_waited_on(client, unit, scan_on_request):
    flow = overdue_case(unit)
    client.force_login(flow.staff.investigator)
    page = client.get(reverse("notifications")).content.decode()
    assert f"案件{flow.case.number}在“已登记”阶段已超期" in page
    assert flows.deadline_notices().get().user == flow.staff.investigator


def test_the_scan_runs_at_most_once_per_period(client, unit, scan_on_request):
    first = overdue_case(unit)
    client.force_login(first.staff.investigator)
    client.get(reverse("notifications"))
    assert flows.deadline_notices().count() == 1
    second = overdue_case(unit)
    client.get(reverse("notifications"))
    assert not flows.deadline_notices().filter(case=second.case).exists()  # within the period
    cache.delete(middleware.SCAN_LOCK_KEY)  # the period is over
    client.get(reverse("notifications"))
    assert flows.deadline_notices().filter(case=second.case).exists()


def test_no_scan_where_beat_runs_it(client, unit, settings):
    settings.DEADLINE_SCAN_ON_REQUEST_MINUTES = 0
    cache.delete(middleware.SCAN_LOCK_KEY)
    flow = overdue_case(unit)
    client.force_login(flow.staff.investigator)
    assert client.get(reverse("notifications")).status_code == 200
    assert not flows.deadline_notices().exists()


def test_a_failing_scan_does_not_take_the_page_down(client, unit, scan_on_request, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(middleware, "deadlines_scan", broken)
    flow = overdue_case(unit)
    client.force_login(flow.staff.investigator)
    assert client.get(reverse("notifications")).status_code == 200


def test_the_embedded_default_scans_and_production_does_not():
    from pathlib import Path

    from config import settings as config

    source = Path(config.__file__).read_text(encoding="utf-8")
    assert "default=0 if REDIS_URL else 10" in source
    assert "cases.middleware.DeadlineScanOnRequestMiddleware" in config.MIDDLEWARE
