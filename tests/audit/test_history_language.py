"""History entries are stored as a message and its parameters and read in the
reader's language; older entries keep their stored text."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_noop

from audit.messages import MESSAGE_KEY, date_param, history_message, term
from audit.models import AuditEventType
from audit.selectors import case_timeline
from cases.workflow import CaseState
from filing.models import PublicationScope
from tests.factories import CaseFactory, UserFactory
from tests.flows import new_events, taian_case_at

pytestmark = pytest.mark.django_db


def test_a_message_is_stored_in_chinese_with_its_parameters(record):
    case = CaseFactory()
    event = record(
        case=case,
        event_type=AuditEventType.EVIDENCE_UPLOADED,
        summary=history_message(gettext_noop("上传证据：%(name)s"), name="检查记录.pdf"),
    )

    assert event.summary == "上传证据：检查记录.pdf"
    assert event.data[MESSAGE_KEY] == {
        "msgid": "上传证据：%(name)s",
        "params": {"name": "检查记录.pdf"},
    }


def test_an_english_reader_reads_the_entry_in_english_even_when_written_in_english(record):
    case = CaseFactory()
    with translation.override("en"):  # the writer's language does not matter
        event = record(
            case=case,
            event_type=AuditEventType.PUBLICATION_WITHDRAWN,
            summary=history_message(
                gettext_noop("撤回公开（%(scope)s）"), scope=term(PublicationScope.PUBLIC.label)
            ),
        )
    assert event.summary == "撤回公开（向社会公开）"
    with translation.override("en"):
        english = event.summary_text
    with translation.override("zh-hans"):
        chinese = event.summary_text
    assert "撤回公开" in chinese
    assert english == "Publication withdrawn (Public)"


def test_dates_follow_the_readers_format(record):
    event = record(
        case=CaseFactory(),
        event_type=AuditEventType.MEETING_SCHEDULED,
        summary=history_message(
            gettext_noop("召集集体研究会议（%(date)s，%(place)s）"),
            date=date_param(datetime.date(2026, 3, 5)),
            place="三楼会议室",
        ),
    )
    assert event.summary == "召集集体研究会议（2026年3月5日，三楼会议室）"
    with translation.override("en"):
        text = event.summary_text
    assert "March 5, 2026" in text and "三楼会议室" in text


def test_a_transition_reads_in_english_from_its_data_old_entries_too(record):
    # Written the old way: a Chinese sentence, the move and the states in data.
    event = record(
        case=CaseFactory(),
        event_type=AuditEventType.CASE_TRANSITIONED,
        summary="结案：已公开 → 已结案",
        data={"transition": "close", "before": "published", "after": "closed"},
    )
    with translation.override("en"):
        text = event.summary_text
    assert (
        text == f"{_en('结案')}: {_en(CaseState.PUBLISHED.label)} → {_en(CaseState.CLOSED.label)}"
    )
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _en(label) -> str:
    with translation.override("en"):
        return str(translation.gettext(str(label)))


def test_an_old_entry_without_a_message_keeps_its_stored_text_marked_chinese(record):
    case = CaseFactory()
    record(case=case, event_type=AuditEventType.CASE_UPDATED, summary="修改案件信息：地点")
    with translation.override("en"):
        html = render_to_string("audit/_timeline.html", {"events": case_timeline(case)})
    assert '<p class="mb-0" lang="zh-Hans">修改案件信息：地点</p>' in html


def test_a_message_that_does_not_fit_its_parameters_falls_back_to_the_stored_text(record):
    event = record(
        case=CaseFactory(),
        event_type=AuditEventType.CASE_UPDATED,
        summary="旧文字",
        data={MESSAGE_KEY: {"msgid": "上传证据：%(name)s", "params": {}}},
    )
    assert event.localized_summary is None
    assert event.summary_text == "旧文字"


def test_case_data_in_an_entry_is_marked_and_escaped(record):
    case = CaseFactory()
    record(
        case=case,
        event_type=AuditEventType.EVIDENCE_UPLOADED,
        summary=history_message(gettext_noop("上传证据：%(name)s"), name="<b>记录</b>.pdf"),
    )
    with translation.override("en"):
        html = render_to_string("audit/_timeline.html", {"events": case_timeline(case)})
    assert '<span data-content="case">&lt;b&gt;记录&lt;/b&gt;.pdf</span>' in html
    assert "Evidence uploaded" in html or "Uploaded evidence" in html


def test_the_workflow_writes_entries_an_english_reader_reads_without_chinese():
    with new_events() as events:
        flow = taian_case_at("investigating")
    case_events = [e for e in events if e.case_id == flow.case.pk]
    assert case_events
    with translation.override("en"):
        texts = [e.localized_summary for e in case_events]
    assert all(texts), [e.summary for e, t in zip(case_events, texts, strict=True) if not t]


def test_the_history_shows_ten_entries_and_folds_the_rest(record):
    case = CaseFactory()
    actor = UserFactory()
    for n in range(13):
        record(case=case, actor=actor, summary=f"记录{n}")
    html = render_to_string("audit/_timeline.html", {"events": case_timeline(case)})
    recent, _, folded = html.partition('data-testid="timeline-more"')
    assert recent.count("data-audit-sequence") == 10
    assert folded.count("data-audit-sequence") == 3
    assert "另有 3 条较早的记录" in folded


def test_a_short_history_does_not_fold(record):
    case = CaseFactory()
    for n in range(10):
        record(case=case, summary=f"记录{n}")
    html = render_to_string("audit/_timeline.html", {"events": case_timeline(case)})
    assert "timeline-more" not in html
