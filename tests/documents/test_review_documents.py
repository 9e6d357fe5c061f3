"""The review-stage documents: investigation report, expert opinion and
minutes, rendered to PDF and read back."""

import hashlib
import io
import os
import re

import pdfplumber
import pytest
from django.core.files.base import ContentFile

from cases.models import Evidence
from cases.services.facts import fact_record
from cases.workflow import CaseState, Stage
from deliberation.models import MeetingMember
from deliberation.services import attendance_record, vote_close
from documents.builders.review import (
    expert_opinion_context,
    investigation_report_context,
    minutes_context,
)
from documents.kinds import DocumentKind
from documents.models import Document
from documents.registry import document_spec
from documents.rendering import render_pdf
from documents.services import document_render, document_request
from exemptions.selectors import catalog_for_version, facts_by_key
from investigation.services import report_sign_off
from panel.models import ExpertPanel
from tests.conftest import built_once_per_module, for_one_test
from tests.documents.pdf import MM_PER_POINT, fonts_of, page_size_mm, read_pdf, text_of
from tests.flows import (
    convene,
    deliberation_facts,
    propose,
    staff_for,
    taian_case_at,
    unit_for,
    vote_all,
    write_report,
)

# The module's cases are built before a test's transaction opens: the
# parametrized tests ask for them by name (getfixturevalue), which would
# build them inside it, and the test's rollback would take them away.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_flows_built")]

SCRIPT = "<script>alert(1)</script>"
BUILDERS = {
    DocumentKind.INVESTIGATION_REPORT: investigation_report_context,
    DocumentKind.EXPERT_OPINION: expert_opinion_context,
    DocumentKind.MINUTES: minutes_context,
}


def _render(kind, case):
    template = document_spec(kind).template
    return render_pdf(template, BUILDERS[kind](case))


def _flat(content: bytes) -> str:
    return re.sub(r"\s+", "", text_of(read_pdf(content)))


def _evidence(case, actor, name):
    body = f"evidence {name}".encode()
    return Evidence.objects.create(
        case=case,
        file=ContentFile(body, name="evidence.pdf"),
        original_name=name,
        content_type="application/pdf",
        size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        description="检查记录",
        uploaded_by=actor,
    )


# --- the cases ------------------------------------------------------------------------


def _report_flow():
    """Two officers; findings with evidence, one overridden for the second
    officer with a note holding markup; the report saved and signed."""
    flow = taian_case_at(CaseState.INVESTIGATING, officers=2)
    investigator = flow.staff.investigator
    record = _evidence(flow.case, investigator, "双随机检查记录表.pdf")
    receipt = _evidence(flow.case, investigator, "进货单据.pdf")
    for key, value in flow.scenario.investigation_facts.items():
        fact_record(
            actor=investigator,
            case=flow.case,
            stage=Stage.INVESTIGATION,
            fact_key=key,
            value=value,
            evidence=[record],
            note="经核对检查记录。",
        )
    fact_record(
        actor=investigator,
        case=flow.case,
        stage=Stage.INVESTIGATION,
        fact_key="cause_outside_inspection_scope",
        value=True,
        subject_officer=flow.subject_officers[1],
        evidence=[receipt],
        note=f"过期食品系检查后进货{SCRIPT}",
    )
    flow.reload()
    report = write_report(flow)
    report_sign_off(actor=investigator, case=flow.case, version=report.version)
    flow.reload()
    return flow


def _panel_flow():
    flow = taian_case_at(CaseState.DELIBERATION)
    ExpertPanel.objects.filter(case=flow.case).update(dissent=f"检查记录不完整{SCRIPT}")
    return flow


def _minutes_flow():
    """Four leaders and the chair: one absent with a written opinion, one
    recused; one present member disagrees; the vote is closed."""
    unit = unit_for("taian")
    staff = staff_for(unit, leaders=4)
    flow = taian_case_at(CaseState.DELIBERATION, staff=staff)
    deliberation_facts(flow)
    meeting = convene(flow)
    members = {m.user_id: m for m in meeting.members.all()}
    absent, recused, dissenter = staff.leaders[1], staff.leaders[2], staff.leaders[3]
    attendance_record(
        actor=staff.chair,
        member=members[absent.pk],
        attendance=MeetingMember.Attendance.ABSENT,
        written_opinion=f"同意不予追究{SCRIPT}",
    )
    attendance_record(
        actor=staff.chair,
        member=members[recused.pk],
        attendance=MeetingMember.Attendance.RECUSED,
        reason="与当事执法人员系近亲属",
    )
    determination = propose(flow)
    vote_all(flow, determination, {dissenter: "disagree"})
    vote_close(actor=staff.chair, meeting=flow.meeting)
    flow.reload()
    return flow


# Each of the three cases is where three tests start from: built once for the
# module, each in a unit of its own. Real PDFs, as the tests here render them.
_flows_built = built_once_per_module(
    lambda: {"report": _report_flow(), "panel": _panel_flow(), "minutes": _minutes_flow()},
    real_pdf=True,
)


@pytest.fixture
def report_flow(_flows_built, settings):
    return for_one_test(_flows_built, settings, "report")


@pytest.fixture
def panel_flow(_flows_built, settings):
    return for_one_test(_flows_built, settings, "panel")


@pytest.fixture
def minutes_flow(_flows_built, settings):
    return for_one_test(_flows_built, settings, "minutes")


@pytest.fixture
def flows(request):
    return request.getfixturevalue(request.param)


CASES = [
    pytest.param(DocumentKind.INVESTIGATION_REPORT, "report_flow", id="report"),
    pytest.param(DocumentKind.EXPERT_OPINION, "panel_flow", id="expert_opinion"),
    pytest.param(DocumentKind.MINUTES, "minutes_flow", id="minutes"),
]


# --- layout, fonts, escaping, common fields ----------------------------------------------


@pytest.mark.parametrize(("kind", "fixture"), CASES)
def test_layout_fonts_and_escaping(kind, fixture, request):
    flow = request.getfixturevalue(fixture)
    pdf = _render(kind, flow.case)
    if os.environ.get("DOCS_DUMP_DIR"):  # to look at the pages by hand
        with open(os.path.join(os.environ["DOCS_DUMP_DIR"], f"{kind.value}.pdf"), "wb") as out:
            out.write(pdf.content)
    reader = read_pdf(pdf.content)
    assert pdf.page_count == len(reader.pages)
    for index in range(len(reader.pages)):
        width, height = page_size_mm(reader, index)
        assert abs(width - 210) < 0.5 and abs(height - 297) < 0.5

    fonts = fonts_of(reader)
    assert fonts
    for font in fonts:
        assert font.embedded, font.name
        assert font.subset, font.name

    text = _flat(pdf.content)
    assert flow.case.number in text
    assert SCRIPT in text

    # The text block: 订口 28 mm, 天头 37 mm, right margin 26 mm (±1 mm). The
    # 3号 (16 pt) body lines start flush left on some page; no character of
    # any page lies outside the block (page numbers sit below it).
    lefts = []
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        for page in document.pages:
            bottom_of_block = page.height - 35 / MM_PER_POINT
            chars = [c for c in page.chars if c["top"] < bottom_of_block]
            assert chars
            lefts += [c["x0"] * MM_PER_POINT for c in chars if c["size"] > 15]
            assert min(c["x0"] for c in chars) * MM_PER_POINT >= 27
            assert min(c["top"] for c in chars) * MM_PER_POINT >= 36
            assert max(c["x1"] for c in chars) * MM_PER_POINT <= 210 - 26 + 1
    assert abs(min(lefts) - 28) <= 1, min(lefts)


@pytest.mark.parametrize(("kind", "fixture"), CASES)
def test_document_job_renders_it(kind, fixture, request, django_capture_on_commit_callbacks):
    flow = request.getfixturevalue(fixture)
    with django_capture_on_commit_callbacks(execute=False):
        document = document_request(case=flow.case, kind=kind, requested_by=flow.staff.inspector)
    document = document_render(document_id=document.pk)
    assert document.status == Document.Status.DONE, document.error
    assert document.page_count >= 1
    assert flow.case.number in _flat(document.file.read())


# --- content ------------------------------------------------------------------------------


def test_report_carries_findings_evidence_and_clause_text(report_flow):
    case = report_flow.case
    context = investigation_report_context(case)
    # An internal working paper: no 版头, no 发文字号, no 版记.
    assert context["issuer_mark"] == context["doc_number"] == context["printed_by"] == ""
    assert context["signature"] == "调查组"
    assert re.fullmatch(r"\d{4}年[1-9]\d?月[1-9]\d?日", context["signed_on"])
    assert context["addressee"] == "本局领导班子"
    text = _flat(_render(DocumentKind.INVESTIGATION_REPORT, case).content)
    # The finding in the words of the case's regulation (Tai'an 6.4), not the neutral label.
    label = facts_by_key(regulation="taian-2020")["inspection_plan_followed"].label
    assert "飞行检查" in label
    assert re.sub(r"\s+", "", label) in text
    assert "：是" not in text and "：否" not in text
    assert "双随机检查记录表.pdf" in text and "进货单据.pdf" in text
    assert "对刘执法单独认定的事实" in text
    clause = catalog_for_version(case.regulation).by_ref["6.4"].text
    assert re.sub(r"\s+", "", clause) in text
    assert "一、基本情况" in text and "四、调查结论" in text
    # Signed by the group and its leader, no version line in the body.
    assert "组长：林调查" in text and "报告版本" not in text


def test_expert_opinion_carries_each_view_and_the_dissent(panel_flow):
    text = _flat(_render(DocumentKind.EXPERT_OPINION, panel_flow.case).content)
    assert "当事执法人员是否已依法履行监督检查职责？" in text
    for name in ("陈专家", "褚专家", "卫专家"):
        assert name in text
    assert "陈专家：同意适用" in text and "卫专家：不同意适用" in text
    assert "专家组多数意见认为" in text
    assert "不同意见" in text and "检查记录不完整" in text


def test_minutes_carry_attendance_positions_and_tally(minutes_flow):
    context = minutes_context(minutes_flow.case)
    assert context["issuer_mark"] == f"{minutes_flow.case.unit.name}集体研究纪要"
    assert context["doc_number"] == "第1期"
    assert not context["addressee"]
    text = _flat(_render(DocumentKind.MINUTES, minutes_flow.case).content)
    for label in ("出席：", "请假：", "列席：", "回避："):
        assert label in text
    assert "与当事执法人员系近亲属" in text
    # Present: two leaders and the chair; entitled: four (the recused is left out).
    assert "同意2人" in text and "不同意1人" in text and "弃权0人" in text
    assert "应参加表决4人" in text
    assert "未获通过" in text  # 2 of 4 entitled is not more than half
    assert "钱副局长" in text and "周副局长" in text and "赵局长（主要负责人）" in text
    # The chair states a position last.
    positions = re.findall(r"\d．(\w{3,4}?)(?:（主要负责人）)?：(?:同意|不同意|弃权)[，。]", text)
    assert positions == ["钱副局长", "周副局长", "赵局长"]
    assert "不计入表决" in text and "同意不予追究" in text


def test_minutes_use_the_unanimous_tally_when_adopted(db):
    flow = taian_case_at(CaseState.DECIDED)
    text = _flat(_render(DocumentKind.MINUTES, flow.case).content)
    assert "同意3人" in text and "表决通过" in text


# --- missing records ------------------------------------------------------------------------


def test_each_builder_refuses_a_case_without_its_record(db):
    flow = taian_case_at(CaseState.INVESTIGATING)
    for builder, words in (
        (investigation_report_context, "调查报告"),
        (expert_opinion_context, "专家组"),
        (minutes_context, "会议"),
    ):
        with pytest.raises(ValueError, match=words):
            builder(flow.case)
