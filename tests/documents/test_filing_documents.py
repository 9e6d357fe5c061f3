"""The decision, the filing notice and the publication notice of a decided
case: built from the adopted determinations, rendered to GB/T 9704 PDFs and
read back."""

import io

import pdfplumber
import pytest

from cases.workflow import CaseState, Stage
from deliberation.services import vote_close
from documents.builders.decision import (
    decision_context,
    decision_title,
    filing_notice_context,
    publication_notice_context,
    redact_certificate,
    redact_name,
)
from documents.formatting import chinese_numeral
from documents.kinds import DocumentKind
from documents.models import Document
from documents.registry import document_spec
from documents.rendering import render_pdf
from documents.services import document_render, document_request
from exemptions.citations import clause_where
from exemptions.selectors import catalog_for_version
from tests.conftest import built_once_per_module, for_one_test
from tests.documents.pdf import MM_PER_POINT, fonts_of, page_size_mm, read_pdf, text_of
from tests.flows import (
    convene,
    deliberation_facts,
    lianyungang_case_at,
    propose,
    record_facts,
    taian_case_at,
    vote_all,
)

pytestmark = pytest.mark.django_db

KINDS = (DocumentKind.DECISION, DocumentKind.FILING_NOTICE, DocumentKind.PUBLICATION_NOTICE)
SCRIPT = "<script>alert(1)</script>"
DEPARTURE = "当事人系初次违反，综合考虑从轻。" + SCRIPT


def _flat(text: str) -> str:
    return "".join(text.split())


def _render(kind: DocumentKind, context: dict):
    template = document_spec(kind).template
    return render_pdf(template, context)


def _builder(kind: DocumentKind):
    return {
        DocumentKind.DECISION: decision_context,
        DocumentKind.FILING_NOTICE: filing_notice_context,
        DocumentKind.PUBLICATION_NOTICE: publication_notice_context,
    }[kind]


def _clause_text(determination, ref: str) -> str:
    return catalog_for_version(determination.regulation).by_ref[ref].text


def _taian():
    """A disputed Tai'an case decided exempt under art. 6(4), user text with a
    script tag in the incident summary."""
    flow = taian_case_at(CaseState.DELIBERATION)
    flow.case.incident_summary += SCRIPT
    flow.case.save(update_fields=["incident_summary"])
    deliberation_facts(flow)
    convene(flow)
    for subject_officer in flow.subject_officers:
        vote_all(flow, propose(flow, subject_officer))
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    flow.reload()
    assert flow.state == CaseState.DECIDED
    return flow


def _lianyungang():
    """A Lianyungang case mitigated under art. 9(2) with criticism and
    education (the scenario as the flows decide it)."""
    return lianyungang_case_at(CaseState.DECIDED)


def _departing():
    """A Lianyungang case decided mitigated with admonishment instead of the
    engine's proposal, liable: the decision departs, with a reason."""
    flow = lianyungang_case_at(CaseState.DELIBERATION)
    deliberation_facts(flow)
    record_facts(
        flow, Stage.DELIBERATION, {"admitted_and_cooperated": False}, flow.staff.leaders[0]
    )
    convene(flow)
    determination = propose(
        flow,
        outcome="mitigated",
        measure="admonishment",
        departure_reason=DEPARTURE,
    )
    vote_all(flow, determination)
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    flow.reload()
    return flow


def _cases():
    # One build for them all: a test may take two, whose files then lie
    # under the one MEDIA_ROOT. Real PDFs, as everywhere under tests/documents.
    return {
        "taian": _taian(),
        "lianyungang": _lianyungang(),
        "departing": _departing(),
        "undecided": taian_case_at(CaseState.DELIBERATION),
    }


_cases_built = built_once_per_module(_cases, real_pdf=True)


@pytest.fixture
def taian(_cases_built, settings):
    return for_one_test(_cases_built, settings, "taian")


@pytest.fixture
def lianyungang(_cases_built, settings):
    return for_one_test(_cases_built, settings, "lianyungang")


@pytest.fixture
def departing(_cases_built, settings):
    return for_one_test(_cases_built, settings, "departing")


@pytest.fixture
def undecided(_cases_built, settings):
    """A Tai'an case in deliberation, no determination proposed."""
    return for_one_test(_cases_built, settings, "undecided")


# --- the helpers on their own -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张执法", "张某"), ("李四", "李某"), ("欧阳明华", "欧阳某"), (" 王五 ", "王某"), ("", "")],
)
def test_redact_name_keeps_only_the_surname(name, masked):
    assert redact_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [("37090011", "37****11"), ("T0000123", "T0****23"), ("123456", "******"), ("", "")],
)
def test_redact_certificate_masks_the_number(number, masked):
    assert redact_certificate(number) == masked
    if number:
        assert number not in redact_certificate(number)


@pytest.mark.parametrize(
    ("number", "numeral"),
    [
        (4, "四"),
        (6, "六"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (28, "二十八"),
        (105, "一百零五"),
    ],
)
def test_chinese_numerals(number, numeral):
    assert chinese_numeral(number) == numeral


def test_clause_citations_name_article_and_item():
    assert clause_where("6.4") == "第六条第（四）项"
    assert clause_where("8.12") == "第八条第（十二）项"
    assert clause_where("4:no-duty") == "第四条"


def test_titles_follow_the_outcomes():
    assert decision_title(["exempt", "no_fault"]) == "不予追究责任决定书"
    assert decision_title(["mitigated"]) == "从轻、减轻追究责任决定书"
    assert decision_title(["liable"]) == "追究责任决定书"
    assert decision_title(["exempt", "liable"]) == "责任认定决定书"


# --- the context -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_case_without_an_adopted_determination_is_refused(undecided, kind):
    with pytest.raises(ValueError, match="表决通过的责任认定"):
        _builder(kind)(undecided.case)


def test_the_official_fields(taian):
    case = taian.case
    context = decision_context(case)
    assert context["issuer_mark"] == context["signature"] == case.unit.name
    # Its own number from the unit's register, not the case number.
    year = case.determinations.get(status="adopted").decided_at.astimezone().year
    assert context["doc_number"] == f"{case.unit.abbreviation}免〔{year}〕1号"
    assert context["title"] == "不予追究责任决定书"
    assert context["printed_by"] == case.unit.name + "办公室"
    determination = case.determinations.get(status="adopted")
    decided = determination.decided_at.astimezone()
    assert context["signed_on"] == f"{decided.year}年{decided.month}月{decided.day}日"
    assert context["copies_to"] == [case.unit.discipline_body.name]


def test_the_clauses_are_cited_under_the_version_decided_under(taian):
    determination = taian.case.determinations.get(status="adopted")
    (citation,) = decision_context(taian.case)["officers"][0].citations
    assert citation.heading == f"《{determination.regulation.title}》第六条第（四）项"
    assert citation.text == _clause_text(determination, "6.4")
    # The article's lead-in carries the legal effect of the item.
    assert citation.lead_in.endswith("可以不予或者免予追究执法过错责任")
    assert "可以不予或者免予追究执法过错责任：（四）" in citation.sentence


def test_the_filing_notice_lists_its_attachments(taian, lianyungang):
    with_panel = filing_notice_context(taian.case)
    assert with_panel["attachments"] == [
        "不予追究责任决定书",
        "集体研究纪要",
        "调查报告",
        "专家组书面论证意见",
        "立案登记表",
        "公开通知",
        "证据材料目录",
    ]
    assert with_panel["scope"] == "unit"
    assert "专家组书面论证意见" not in filing_notice_context(lianyungang.case)["attachments"]


# --- the PDFs ----------------------------------------------------------------------------


def _assert_layout(content: bytes):
    reader = read_pdf(content)
    for index in range(len(reader.pages)):
        width, height = page_size_mm(reader, index)
        assert abs(width - 210) <= 0.5 and abs(height - 297) <= 0.5
    fonts = fonts_of(reader)
    assert fonts
    for font in fonts:
        assert font.embedded, font.name
        assert font.subset, font.name
    lefts = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            # The page number sits below the text block: only the block's chars.
            body = [c for c in page.chars if c["bottom"] * MM_PER_POINT <= 297 - 35 + 1]
            assert body
            lefts.append(min(c["x0"] for c in body) * MM_PER_POINT)
            top = min(c["top"] for c in body) * MM_PER_POINT
            right = max(c["x1"] for c in body) * MM_PER_POINT
            assert top >= 36, top
            assert right <= 185, right
    # Wrapped lines are flush left on the binding margin (a colophon-only page
    # starts one character in, so the document's leftmost character counts).
    assert min(lefts) >= 27, lefts
    assert abs(min(lefts) - 28) <= 1, lefts


@pytest.mark.parametrize("kind", KINDS)
def test_taian_documents(taian, kind):
    case = taian.case
    pdf = _render(kind, _builder(kind)(case))
    _assert_layout(pdf.content)
    text = _flat(text_of(read_pdf(pdf.content)))
    determination = case.determinations.get(status="adopted")
    assert case.number in text
    assert _flat(_clause_text(determination, "6.4")) in text
    assert "第六条第（四）项" in text
    assert SCRIPT in text
    assert "张执法" in text and taian.officer.officer.certificate_number in text
    if kind == DocumentKind.DECISION:
        assert "不予追究责任决定书" in text
    if kind != DocumentKind.PUBLICATION_NOTICE:
        assert "同意3票，不同意0票，弃权0票" in text
    if kind == DocumentKind.FILING_NOTICE:
        assert case.unit.discipline_body.name in text
        assert "专家组多数意见认为" in text and "一名专家认为检查记录不完整" in text
        assert "本单位范围内" in text
        assert "调查组认为" in text
        assert "附件：1．不予追究责任决定书" in text


@pytest.mark.parametrize("kind", KINDS)
def test_lianyungang_documents(lianyungang, kind):
    case = lianyungang.case
    pdf = _render(kind, _builder(kind)(case))
    _assert_layout(pdf.content)
    text = _flat(text_of(read_pdf(pdf.content)))
    determination = case.determinations.get(status="adopted")
    assert case.number in text
    assert _flat(_clause_text(determination, "9.2")) in text
    assert "第九条第（二）项" in text
    assert "批评教育" in text
    if kind == DocumentKind.DECISION:
        assert "从轻、减轻追究责任决定书" in text
        assert "同意3票" in text
    if kind == DocumentKind.FILING_NOTICE:
        assert case.unit.discipline_body.name in text
        assert "未经专家论证" in text


@pytest.mark.parametrize("kind", KINDS)
def test_a_departure_is_shown_with_its_reason(departing, kind):
    determination = departing.case.determinations.get(status="adopted")
    assert determination.departs_from_proposal
    pdf = _render(kind, _builder(kind)(departing.case))
    text = _flat(text_of(read_pdf(pdf.content)))
    assert "本决定与系统建议（追究责任）不一致，理由是：" in text
    assert _flat(DEPARTURE) in text
    assert "诫勉" in text


def _notice_text(case, scope: str) -> str:
    context = publication_notice_context(case, scope=scope)
    return _flat(text_of(read_pdf(_render(DocumentKind.PUBLICATION_NOTICE, context).content)))


def test_the_public_notice_carries_no_personal_data(taian):
    officer = taian.officer.officer
    officer.post = "执法一科科员"
    officer.save(update_fields=["post"])
    case = taian.case
    case.incident_summary = f"{officer.name}（执法证号{officer.certificate_number}）检查时未发现。"
    case.save(update_fields=["incident_summary"])

    public = _notice_text(case, "public")
    assert officer.name not in public
    assert officer.certificate_number not in public
    assert officer.post not in public
    assert redact_name(officer.name) in public
    assert redact_certificate(officer.certificate_number) in public
    assert "向社会公开" in public

    unit = _notice_text(case, "unit")
    assert officer.name in unit
    assert officer.certificate_number in unit
    assert officer.post in unit


def test_an_unknown_scope_is_refused(taian):
    with pytest.raises(ValueError, match="公开范围"):
        publication_notice_context(taian.case, scope="everyone")


@pytest.mark.parametrize("kind", KINDS)
def test_the_document_service_renders_the_kind(lianyungang, kind):
    document = document_request(
        case=lianyungang.case, kind=kind, requested_by=lianyungang.staff.inspector
    )
    document = document_render(document_id=document.pk)
    assert document.status == Document.Status.DONE, document.error
    assert document.page_count >= 1
    assert lianyungang.case.number in _flat(text_of(read_pdf(document.file.read())))
