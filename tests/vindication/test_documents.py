"""The clarification notice and the no-impact certificate: their contexts,
the refusals, and the PDFs read back (A4, fonts embedded and subset, the
officer, the number, the article quoted, user text escaped)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.workflow import CaseState
from documents import errors as documents_errors
from documents.builders.certificate import no_impact_certificate_context
from documents.kinds import DocumentKind
from documents.models import Document
from documents.registry import document_spec
from documents.rendering import render_html, render_pdf
from documents.services import document_render, document_request
from exemptions.selectors import catalog_for_version
from tests.flows import lianyungang_case_at, taian_case_at
from tests.vindication.pdf import assert_official_layout, flat, pdf_text
from tests.vindication.test_clarification_services import decide, find, record_for
from vindication import errors as vindication_errors
from vindication.documents import clarification_notice_context
from vindication.selectors import protection_article

pytestmark = [pytest.mark.django_db, pytest.mark.real_pdf]  # reads the PDFs

SCRIPT = "<script>alert(1)</script>"
TAIAN_ART_11 = (
    "行政执法人员因依法履职遭受不实投诉、诬告、诽谤、侮辱等，致使名誉受到损害的，"
    "有关部门应当及时澄清事实，消除不良影响，维护行政执法人员合法权益。有关情况应当在一定范围内公开。"
)
TAIAN_ART_13 = (
    "依照本办法不予追究责任的单位或个人，除有明确规定者外，在考核、考评、评先评优、"
    "干部选拔任用、职级职称晋升等方面不受影响。"
)
LYG_ART_17 = (
    "行政执法人员因依法履职遭受不实举报、诬告、诽谤、侮辱的，其所在市场监督管理部门应当"
    "以适当形式及时澄清事实，消除不良影响，维护其合法权益。"
)
LYG_ART_20 = (
    "依照本办法不予追究责任的行政执法人员，除有明确规定外，在考核、考评、评先评优、"
    "干部选拔任用、职级职称晋升等方面不受影响。"
)


def _certificate(case, subject_officer_id):
    template = document_spec(DocumentKind.NO_IMPACT_CERTIFICATE).template
    return render_pdf(template, no_impact_certificate_context(case, subject_officer_id))


# --- the protection articles come from the catalogues ------------------------------------


def test_the_articles_are_found_in_each_catalogue(catalogs):
    taian, lianyungang = catalogs["taian"], catalogs["lianyungang"]
    assert protection_article(taian, "clarification").number == 11
    assert protection_article(taian, "no_impact").number == 13
    assert protection_article(lianyungang, "clarification").number == 17
    assert protection_article(lianyungang, "no_impact").number == 20
    assert protection_article(taian, "no_impact").text == TAIAN_ART_13
    assert protection_article(taian, "no_impact").reference == f"《{taian.title}》第十三条"


# --- the clarification notice --------------------------------------------------------------


def test_the_notice_pdf(org):
    record = record_for(org, content="反映张执法收受礼品。" + SCRIPT, source=SCRIPT)
    record = find(org, record, basis="经查询监控录像，不存在上述情况。" + SCRIPT)
    record = decide(org, record, decided_by="局党组会议", scope_detail="在被举报人所在单位")
    content = record.notice_file.read()
    assert_official_layout(content)
    text = pdf_text(content)
    assert "关于为张执法同志澄清正名的通知" in text
    assert record.number in text and "泰市监澄〔" in text
    assert flat(TAIAN_ART_11) in text
    assert "第十一条" in text
    assert "本局各科室、各直属单位：" in text
    assert "在本单位范围内公开（在被举报人所在单位）" in text
    assert "局党组会议" in text and "本局执法稽查科调查组" in text
    assert "特此通知。" in text and org.city.name in text
    decided = record.decided_on
    assert f"{decided.year}年{decided.month}月{decided.day}日" in text
    # User text is escaped: it reads as text, it is never markup.
    assert SCRIPT in text
    html = render_html("documents/clarification_notice.html", clarification_notice_context(record))
    assert SCRIPT not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_public_notice_is_an_announcement_without_addressee(org):
    record = decide(org, find(org, record_for(org)), scope="public", scope_detail="")
    context = clarification_notice_context(record)
    assert context["title"] == "关于为张执法同志澄清正名的公告"
    assert context["addressee"] == ""
    text = pdf_text(record.notice_file.read())
    assert "向社会公开" in text and "特此公告。" in text


def test_a_lianyungang_notice_quotes_article_17(catalogs):
    from tests.factories import OfficerFactory
    from tests.flows import person, unit_for

    unit = unit_for("lianyungang", name="连云港市市场监督管理局", abbreviation="连市监")
    leader = person(unit, "leadership_member", "卫副局长")
    officer = OfficerFactory(name="韩执法", unit=unit)
    org = type("Org", (), {"leader": leader, "chair": leader, "officer": officer})
    record = decide(org, find(org, record_for(org, officers=[officer])), scope="system")
    text = pdf_text(record.notice_file.read())
    assert flat(LYG_ART_17) in text and "第十七条" in text
    assert "全市市场监督管理系统各单位：" in text
    assert "连市监澄〔" in text


def test_no_notice_before_the_decision(org):
    record = find(org, record_for(org))
    with pytest.raises(ValueError) as error:
        clarification_notice_context(record)
    assert str(error.value) == str(vindication_errors.NOTICE_NOT_DECIDED)


# --- the no-impact certificate ------------------------------------------------------------


def test_the_taian_certificate_pdf(org, decided):
    org.officer.post = "食品科科员" + SCRIPT
    org.officer.save(update_fields=["post"])
    flow = decided("exempt", officer=org.officer, unit=org.city)
    case, subject = flow.case, flow.officer
    pdf = _certificate(case, subject.pk)
    assert_official_layout(pdf.content)
    text = pdf_text(pdf.content)
    assert "关于张执法同志不受影响的证明" in text
    assert "张执法" in text and "37090011" in text
    assert case.number in text
    assert flat(TAIAN_ART_13) in text and "第十三条" in text
    clause = catalog_for_version(case.regulation).by_ref["6.4"]
    assert flat(clause.text) in text and "第六条第（四）项" in text
    decided_at = timezone.localtime(case.determinations.get().decided_at)
    assert f"{decided_at.year}年{decided_at.month}月{decided_at.day}日作出认定" in text
    assert org.city.name in text and "特此证明。" in text
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in text
    assert SCRIPT in text  # escaped, read as text


def test_a_lianyungang_no_fault_certificate_cites_article_20(decided):
    flow = decided("lianyungang_no_fault")
    text = pdf_text(_certificate(flow.case, flow.officer.pk).content)
    assert flat(LYG_ART_20) in text and "第二十条" in text
    assert "不构成执法过错" in text
    assert flow.case.number in text


@pytest.mark.parametrize(
    ("outcome", "label"),
    [
        ("liable", "追究责任"),
        ("mitigated", "从轻或者减轻追究责任"),
        ("transferred", "移送纪检监察机关"),
    ],
)
def test_no_certificate_for_an_officer_held_liable(decided, outcome, label):
    flow = decided(outcome)
    with pytest.raises(ValueError) as error:
        no_impact_certificate_context(flow.case, flow.officer.pk)
    assert str(error.value) == documents_errors.CERTIFICATE_NOT_NO_LIABILITY % {
        "name": flow.officer.officer.name,
        "outcome": label,
    }


def test_no_certificate_before_the_case_is_decided():
    flow = taian_case_at(CaseState.DELIBERATION, disputed=False)
    with pytest.raises(ValueError) as error:
        no_impact_certificate_context(flow.case, flow.officer.pk)
    assert str(error.value) == documents_errors.CERTIFICATE_CASE_NOT_DECIDED % {
        "name": flow.officer.officer.name
    }


def test_no_certificate_for_someone_not_in_the_case(decided):
    flow = decided("exempt")
    other = lianyungang_case_at(CaseState.REGISTERED)
    with pytest.raises(ValueError) as error:
        no_impact_certificate_context(flow.case, other.officer.pk)
    assert str(error.value) == str(documents_errors.CERTIFICATE_NOT_A_SUBJECT)


def test_the_certificate_is_a_background_document_job(decided):
    flow = decided("exempt")
    document = document_request(
        case=flow.case,
        kind=DocumentKind.NO_IMPACT_CERTIFICATE,
        requested_by=flow.staff.inspector,
        options={"subject_officer_id": flow.officer.pk},
    )
    document = document_render(document_id=document.pk)
    assert document.status == Document.Status.DONE, document.error
    assert flow.case.number in pdf_text(document.file.read())


def test_a_job_for_a_liable_officer_fails_with_the_reason(decided):
    flow = decided("liable")
    document = document_request(
        case=flow.case,
        kind=DocumentKind.NO_IMPACT_CERTIFICATE,
        requested_by=flow.staff.inspector,
        options={"subject_officer_id": flow.officer.pk},
    )
    with pytest.raises(ValueError):
        document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    reason = documents_errors.CERTIFICATE_NOT_NO_LIABILITY % {
        "name": flow.officer.officer.name,
        "outcome": "追究责任",
    }
    assert document.error == f"ValueError: {reason}"


def test_the_job_refuses_options_the_builder_does_not_take(decided):
    flow = decided("exempt")
    with pytest.raises(ValidationError) as refused:
        document_request(
            case=flow.case,
            kind=DocumentKind.NO_IMPACT_CERTIFICATE,
            requested_by=flow.staff.inspector,
            options={"subject_officer_id": flow.officer.pk, "scope": "public"},
        )
    assert refused.value.code == "unknown_option"
    assert refused.value.messages == [
        documents_errors.UNKNOWN_OPTIONS % {"kind": "不受影响证明", "names": "scope"}
    ]


def test_the_certificate_cites_the_version_decided_under(decided):
    """The certificate cites the catalogue version the case was decided under."""
    flow = decided("exempt")
    context = no_impact_certificate_context(flow.case, flow.officer.pk)
    determination = flow.case.determinations.get()
    assert context["article"].regulation_title == determination.regulation.title
    assert context["decided_on"].endswith("日")
    assert isinstance(context["determination"].decided_at, datetime.datetime)
