"""The demo cases of `make run` (demo/cases.py): one at every stage a demo
journey starts from, made through the services, seeded once."""

import datetime
import io
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.demo import seed_demo_data
from accounts.models import User
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from cases import middleware
from cases.models import Case
from cases.selectors import cases_waiting_on
from cases.workflow import CaseState
from deliberation import errors as deliberation_errors
from deliberation.models import Determination, Meeting, Vote
from deliberation.services import vote_record
from demo.cases import DEMO_CASES, seed_demo_cases
from documents.models import Document
from filing.models import FilingPackage
from filing.selectors import filing_inbox_packages
from panel.models import ExpertOpinion

pytestmark = pytest.mark.django_db

STAGES = {
    "registered": CaseState.REGISTERED,
    "investigating": CaseState.INVESTIGATING,
    "expert_review": CaseState.EXPERT_REVIEW,
    "deliberation": CaseState.DELIBERATION,
    "decided": CaseState.DECIDED,
    "filed": CaseState.FILED,
    "lianyungang_decided": CaseState.DECIDED,
    "lianyungang_transferred": CaseState.DECIDED,
}


def user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[dict[str, int]]:
    """The demo organisation and cases, seeded once for the module inside a
    transaction rolled back after its last test; each test runs in a
    savepoint within it, so what a test changes is gone for the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo_data()
        cases = seed_demo_cases()
        assert len(cases) == len(DEMO_CASES)
        yield {d.key: case.pk for d, case in zip(DEMO_CASES, cases, strict=True)}
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db) -> dict[str, Case]:
    """The demo cases, fresh from the database, by the key of each."""
    return {key: Case.objects.get(pk=pk) for key, pk in seeded.items()}


def counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "events": AuditEvent.objects.count(),
        "documents": Document.objects.count(),
        "packages": FilingPackage.objects.count(),
        "votes": Vote.objects.count(),
    }


def test_there_is_a_case_at_every_stage(demo):
    assert {key: case.state for key, case in demo.items()} == STAGES
    taian, lianyungang = "泰安市市场监督管理局", "连云港市市场监督管理局"
    assert [case.unit.name for case in demo.values()] == [taian] * 6 + [lianyungang] * 2
    # Registered and after: every case has its number.
    assert all(case.number for case in demo.values())
    decided = demo["lianyungang_decided"].determinations.get()
    assert (decided.outcome, decided.measure, decided.status) == (
        "mitigated",
        "criticism_education",
        Determination.Status.ADOPTED,
    )
    assert demo["decided"].determinations.get().outcome == "exempt"
    # A transfer to the discipline organs, with its letter and the duty opinion.
    transferred = demo["lianyungang_transferred"]
    assert transferred.transfers.count() == 1 and transferred.duty_opinions.count() == 1
    assert set(transferred.documents.values_list("kind", flat=True)) >= {
        "transfer_letter",
        "duty_opinion",
    }


def test_each_stage_waits_on_the_demo_account_it_names(demo):
    waiting = {
        username: {case.pk for case in cases_waiting_on(user(username))}
        for username in (
            "ta_inspector",
            "ta_investigator",
            "ta_expert3",
            "ta_leader",
            "ta_chair",
            "ta_liaison",
            "lyg_inspector",
        )
    }
    # A registered case waits on the investigator who is to start it.
    assert demo["registered"].pk not in waiting["ta_inspector"]
    assert demo["decided"].pk in waiting["ta_inspector"]
    assert waiting["ta_investigator"] == {demo["investigating"].pk, demo["registered"].pk}
    assert waiting["ta_expert3"] == {demo["expert_review"].pk}
    assert waiting["ta_leader"] == {demo["deliberation"].pk}
    assert waiting["ta_chair"] == {demo["deliberation"].pk}
    assert waiting["ta_liaison"] == {demo["filed"].pk}
    assert waiting["lyg_inspector"] == {
        demo["lianyungang_decided"].pk,
        demo["lianyungang_transferred"].pk,
    }


def test_the_expert_panel_waits_for_one_opinion(demo):
    panel = demo["expert_review"].expert_panel
    assert panel.concluded_at is None
    given = set(
        ExpertOpinion.objects.filter(disputed_clause__panel=panel).values_list(
            "member__username", flat=True
        )
    )
    assert given == {"ta_expert", "ta_expert2"}
    assert set(panel.members.values_list("username", flat=True)) == {
        "ta_expert",
        "ta_expert2",
        "ta_expert3",
    }


def test_the_deliberation_meeting_is_open_and_ta_leader_can_vote(demo):
    case = demo["deliberation"]
    meeting = case.meetings.get()
    assert meeting.status == Meeting.Status.OPEN
    assert meeting.held_on == timezone.localdate()
    assert sorted(meeting.members.values_list("user__username", "is_chair")) == [
        ("ta_chair", True),
        ("ta_leader", False),
        ("ta_leader2", False),
    ]
    determination = meeting.determinations.get()
    assert (determination.status, determination.votes.count()) == ("proposed", 0)

    # The chair speaks last: not before the members.
    waiting = {"names": "孙副局长、周副局长"}
    with pytest.raises(ValidationError, match=deliberation_errors.VOTE_CHAIR_LAST % waiting):
        vote_record(
            actor=user("ta_chair"),
            determination=determination,
            position="agree",
            reasoning="同意。",
        )
    vote = vote_record(
        actor=user("ta_leader"), determination=determination, position="agree", reasoning="同意。"
    )
    assert vote.member.user.username == "ta_leader"


def test_the_filed_case_has_a_package_in_ta_liaison_inbox(demo):
    liaison = user("ta_liaison")
    package = demo["filed"].filing_packages.get()
    assert list(filing_inbox_packages(liaison)) == [package]
    assert package.acknowledged_at is None
    assert liaison.has_perm("filing.download_filing", package)
    assert liaison.has_perm("filing.acknowledge_filing", package)
    names = [f["name"] for f in package.manifest["files"]]
    assert any("决定" in name for name in names)
    assert "case.json" in names
    # The Lianyungang liaison does not see it.
    assert not filing_inbox_packages(user("lyg_liaison")).exists()


def test_seeding_twice_changes_nothing(demo):
    before = counts()
    again = seed_demo_cases()
    assert [case.pk for case in again] == [case.pk for case in demo.values()]
    assert counts() == before


def test_the_audit_chain_verifies_and_time_follows_the_chain(demo):
    result = audit_chain_verify()
    assert result.ok
    assert result.checked == AuditEvent.objects.count()
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "审计链完整" in out.getvalue()
    times = list(AuditEvent.objects.order_by("sequence").values_list("occurred_at", flat=True))
    assert times == sorted(times)
    assert times[-1] <= timezone.now()


def test_the_cases_were_worked_over_weeks(demo):
    """The steps are dated back: the cases opened weeks apart, and a stage's
    deadline runs from the day the case entered it."""
    now = timezone.now()
    filed, registered = demo["filed"], demo["registered"]
    assert now - filed.created_at > datetime.timedelta(days=60)
    assert now - registered.created_at > datetime.timedelta(days=10)
    # The registration deadline (10 days) has passed: an overdue case to show.
    assert registered.deadline_at < now
    assert demo["investigating"].deadline_at > now
    assert demo["deliberation"].deadline_at > now
    # Every case was opened after its incident.
    for case in demo.values():
        assert case.incident_date < timezone.localdate(case.created_at)


def test_after_make_run_the_overdue_case_reminds_the_investigator(demo, client, settings):
    """As on `make run`: no celery beat, the scan runs with the first request
    (cases.middleware), and the overdue registration reminds the one it waits
    on — the investigator who is to start it — and nobody else."""
    settings.DEADLINE_SCAN_ON_REQUEST_MINUTES = 10
    cache.delete(middleware.SCAN_LOCK_KEY)
    registered = demo["registered"]
    message = f"案件{registered.number}在“已登记”阶段已超期"
    try:
        client.force_login(user("ta_investigator"))
        assert message in client.get(reverse("notifications")).content.decode()
        client.force_login(user("ta_inspector"))
        assert message not in client.get(reverse("notifications")).content.decode()
    finally:
        cache.delete(middleware.SCAN_LOCK_KEY)
