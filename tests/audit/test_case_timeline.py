import pytest
from django.template.loader import render_to_string

from audit.models import AuditEventType
from audit.selectors import case_timeline
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CaseFactory()


@pytest.fixture
def timeline_events(record, case):
    inspector = UserFactory(display_name="王承办")
    return [
        record(event_type=AuditEventType.CASE_CREATED, actor=inspector, case=case, summary="登记"),
        record(event_type=AuditEventType.CASE_CREATED, case=CaseFactory(), summary="别的案件"),
        record(event_type=AuditEventType.DEADLINE_NOTIFIED, case=case, summary="即将到期"),
        record(event_type=AuditEventType.VOTE_RECORDED, actor=inspector, case=case),
    ]


def test_it_lists_the_cases_events_newest_first_in_one_query(
    case, timeline_events, django_assert_num_queries
):
    with django_assert_num_queries(1):
        events = case_timeline(case)
        names = [event.actor.get_full_name() if event.actor else None for event in events]

    assert [e.sequence for e in events] == [4, 3, 1]
    assert names == ["王承办", None, "王承办"]


def test_it_can_be_limited(case, timeline_events):
    assert [e.sequence for e in case_timeline(case, limit=2)] == [4, 3]


def test_the_partial_shows_time_actor_type_and_summary(case, timeline_events):
    html = render_to_string("audit/_timeline.html", {"events": case_timeline(case)})

    assert html.index('data-audit-sequence="4"') < html.index('data-audit-sequence="1"')
    assert "记录表决意见" in html
    assert "王承办" in html
    assert "系统" in html
    assert "即将到期" in html
    assert "<time datetime=" in html
    assert "别的案件" not in html


def test_the_partial_says_when_there_is_nothing_yet():
    assert "暂无记录。" in render_to_string("audit/_timeline.html", {"events": []})
