"""Seeding the demo cases from nothing (tests/cases/test_demo_cases.py reads
the cases seeded once): the documents they request render, the command lists
them, and without the demo organisation nothing is seeded."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import seed_demo_data
from cases.models import Case
from demo.cases import DEMO_CASES, seed_demo_cases
from documents.models import Document

pytestmark = pytest.mark.django_db


def test_every_document_the_demo_requests_renders(catalogs, django_capture_on_commit_callbacks):
    seed_demo_data()
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo_cases()
    statuses = set(Document.objects.values_list("status", flat=True))
    assert statuses == {Document.Status.DONE}
    kinds = set(Document.objects.values_list("kind", flat=True))
    assert {"intake_form", "investigation_report", "expert_opinion", "minutes", "decision"} <= kinds


def test_the_command_lists_the_demo_cases(catalogs):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("Demo cases:"))
    for case in Case.objects.all():
        assert f"{case.number} {case.get_state_display()}" in line
    assert Case.objects.count() == len(DEMO_CASES)
    # Everything the command seeds before the cases (accounts, seals) leaves
    # the cases' timeline months back: the registered case is overdue.
    registered = Case.objects.get(state="registered")
    now = timezone.now()
    assert registered.state_entered_at < now - datetime.timedelta(days=14)
    assert registered.deadline_at < now
    earliest = Case.objects.order_by("created_at").first().created_at
    assert earliest < now - datetime.timedelta(days=60)


def test_without_the_demo_organisation_it_does_nothing(catalogs):
    assert seed_demo_cases() == []
    assert not Case.objects.exists()
