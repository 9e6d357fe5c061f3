import pytest
from django.urls import reverse

from accounts.roles import Role
from cases.models import StageDeadline
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, unit):
    client.force_login(UserFactory(units=[unit], roles=[Role.ADMINISTRATOR], is_staff=True))
    return client


def test_an_administrator_sets_a_units_stage_deadline(admin_client, unit):
    response = admin_client.post(
        reverse("admin:cases_stagedeadline_add"),
        {
            "unit": unit.pk,
            "state": "investigating",
            "days": 45,
            "day_kind": "working",
            "warn_days_before": 5,
        },
    )
    assert response.status_code == 302
    limit = StageDeadline.objects.get(unit=unit, state="investigating")
    assert (limit.days, limit.day_kind) == (45, "working")


def test_a_units_meeting_rules_are_editable(admin_client, unit):
    response = admin_client.post(
        reverse("admin:deliberation_decisionrules_add"),
        {
            "unit": unit.pk,
            "quorum_numerator": 1,
            "quorum_denominator": 2,
            "majority_numerator": 1,
            "majority_denominator": 2,
        },
    )
    assert response.status_code == 302
    assert unit.decision_rules.quorum_denominator == 2


def test_the_system_administrator_reads_no_case_in_the_admin(admin_client, unit):
    case = CaseFactory(unit=unit)
    assert admin_client.get(reverse("admin:cases_case_change", args=[case.pk])).status_code == 403
    admin_client.post(reverse("admin:cases_case_change", args=[case.pk]), {"number": "X"})
    case.refresh_from_db()
    assert case.number != "X"
    assert admin_client.get(reverse("admin:cases_case_add")).status_code == 403
