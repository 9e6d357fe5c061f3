"""The documents of a filed case read back as a registry clerk reads them:
each its own 发文字号, dates from the events, the notice's 附件 equal to the
package's files, the scope decided with the determination, citations with
their article's lead-in, prose instead of checklists, and the GB/T 9704
details (page numbers 7 mm below the block, 28 characters on full lines, no
page of signature alone)."""

import hashlib
import io
import json
import re
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.services.evidence import evidence_upload
from cases.workflow import CaseState
from deliberation.services import vote_close
from documents.events import move_date
from documents.formatting import chinese_date
from documents.kinds import DocumentKind
from documents.models import Document, RegisterEntry
from documents.registry import document_spec
from documents.rendering import html_to_pdf, render_pdf
from documents.services import document_render, document_request
from tests.conftest import built_once_per_module, for_one_test
from tests.documents.pdf import (
    BLOCK_BOTTOM_MM,
    full_body_lines,
    grid_columns,
    page_number_lines,
    read_pdf,
    text_lines,
    text_of,
)
from tests.flows import convene, deliberation_facts, move, propose, taian_case_at, vote_all

pytestmark = pytest.mark.django_db

EVIDENCE = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


def _flat(text: str) -> str:
    return "".join(text.split())


def _filed(scope: str = "public"):
    """A Tai'an case with one evidence file, decided exempt with the given
    publication scope, then filed (which builds the package)."""
    flow = taian_case_at(CaseState.DELIBERATION)
    evidence_upload(
        actor=flow.staff.inspector,
        case=flow.case,
        upload=SimpleUploadedFile("检查记录表.pdf", EVIDENCE, content_type="application/pdf"),
        description="现场检查记录表",
    )
    deliberation_facts(flow)
    convene(flow)
    vote_all(flow, propose(flow, publication_scope=scope))
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    move(flow, "file", flow.staff.inspector)
    return flow


def _package(case) -> dict[str, bytes]:
    package = case.filing_packages.get(version=1)
    with package.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as z:
        return {name: z.read(name) for name in z.namelist()}


def _pdfs(files: dict[str, bytes]) -> dict[str, bytes]:
    """The package's own documents: the PDFs at the top of the ZIP, by title."""
    return {
        re.sub(r"^\d\d-|\.pdf$", "", name): content
        for name, content in sorted(files.items())
        if name.endswith(".pdf") and "/" not in name
    }


# Real PDFs: the tests read the package's documents.
_filed_built = built_once_per_module(_filed, real_pdf=True)


@pytest.fixture
def filed(_filed_built, settings):
    return for_one_test(_filed_built, settings)


def test_it_reads_the_filed_package_as_a_clerk_would(filed):
    case = filed.case
    files = _package(case)
    pdfs = _pdfs(files)
    texts = {title: _flat(text_of(read_pdf(content))) for title, content in pdfs.items()}
    year = RegisterEntry.objects.get(case=case, kind=DocumentKind.DECISION).year
    abbr = case.unit.abbreviation

    # Each issued document carries its own number, none the case number.
    assert f"{abbr}免〔{year}〕1号" in texts["不予追究责任决定书"]
    assert f"{abbr}备〔{year}〕1号" in texts["备案报告"]
    assert f"{abbr}公〔{year}〕1号" in texts["公开通知"]
    assert "第1期" in texts["集体研究纪要"]
    numbers = {e.number for e in RegisterEntry.objects.filter(case=case)}
    assert len(numbers) == RegisterEntry.objects.filter(case=case).count() >= 4
    assert case.number not in numbers

    # The notice's 附件 are the package's documents after it, in order.
    notice = texts["备案报告"]
    titles = [t for t in pdfs if t != "备案报告"]
    assert titles[-1] == "证据材料目录"
    listed = re.findall(r"(\d)．([^\d．]+?)(?=\d．|泰|测|$)", notice.split("附件：", 1)[1])
    assert [name for _, name in listed][: len(titles)] == titles

    # The evidence and its catalogue, with size and SHA-256.
    assert files["证据材料/01-检查记录表.pdf"] == EVIDENCE
    catalogue = texts["证据材料目录"]
    assert "现场检查记录表" in catalogue
    assert hashlib.sha256(EVIDENCE).hexdigest() in catalogue
    manifest = json.loads(files["manifest.json"])
    assert {f["name"] for f in manifest["files"]} == set(files) - {"manifest.json"}

    # The scope decided with the determination, in the notice and the package.
    assert "本决定向社会公开" in notice
    assert "公开通知" in pdfs

    # Citations with their article's lead-in; prose, not checklists.
    decision = texts["不予追究责任决定书"]
    assert "可以不予或者免予追究执法过错责任：（四）" in decision
    for text in texts.values():
        assert "：是。" not in text and "：否。" not in text
        assert "。。" not in text and "。）。" not in text and "：：" not in text


def test_the_dates_come_from_the_events(filed):
    case = filed.case
    registered = move_date(case, "register")
    # Later stages do not change the registration date the form prints.
    context = document_spec(DocumentKind.INTAKE_FORM).build(case)
    assert context["registered_on"] == chinese_date(registered)
    assert registered != case.state_entered_at.date() or case.state == CaseState.FILED
    notice = document_spec(DocumentKind.FILING_NOTICE).build(case)
    filed_on = RegisterEntry.objects.get(case=case, kind=DocumentKind.FILING_NOTICE).issued_on
    assert filed_on == move_date(case, "file")
    assert notice["signed_on"] == chinese_date(filed_on)
    decision = document_spec(DocumentKind.DECISION).build(case)
    decided = case.determinations.get(status="adopted").decided_at.astimezone().date()
    assert decision["signed_on"] == chinese_date(decided)


def test_the_register_numbers_each_document_once_and_never_again(filed):
    from documents.register import document_number_issue

    case = filed.case
    first = RegisterEntry.objects.get(case=case, kind=DocumentKind.DECISION)
    again = document_number_issue(case=case, kind=DocumentKind.DECISION)
    assert again.pk == first.pk and again.number == first.number
    # The next case of the unit gets the next number of each kind.
    other = taian_case_at(CaseState.DECIDED, unit=case.unit)
    second = RegisterEntry.objects.get(case=other.case, kind=DocumentKind.DECISION)
    assert second.sequence == first.sequence + 1
    assert second.number.endswith(f"〔{second.year}〕{second.sequence}号")
    with pytest.raises(ValueError):
        document_number_issue(case=case, kind=DocumentKind.INTAKE_FORM)


def test_the_register_page_lists_numbers_and_allows_no_edits(filed, system_admin_client):
    admin_client = system_admin_client
    response = admin_client.get("/admin/documents/registerentry/")
    assert response.status_code == 200
    entry = RegisterEntry.objects.filter(case=filed.case).first()
    assert entry.number in response.content.decode()
    assert admin_client.get("/admin/documents/registerentry/add/").status_code == 403


def test_the_package_takes_stage_documents_as_issued(
    decided,
    django_capture_on_commit_callbacks,
):
    from filing.services.filing import package_documents

    flow = decided
    case = flow.case
    for kind in (
        DocumentKind.INTAKE_FORM,
        DocumentKind.INVESTIGATION_REPORT,
        DocumentKind.EXPERT_OPINION,
        DocumentKind.MINUTES,
        DocumentKind.DECISION,
    ):
        with django_capture_on_commit_callbacks(execute=False):
            document = document_request(case=case, kind=kind, requested_by=flow.staff.inspector)
        document_render(document_id=document.pk)
    issued = {
        d.kind: d.sha256 for d in Document.objects.filter(case=case, status=Document.Status.DONE)
    }
    move(flow, "file", flow.staff.inspector)
    with mock.patch("documents.services.html_to_pdf", wraps=html_to_pdf) as rendered:
        files = dict(package_documents(flow.case))
    # Only the notice, the evidence list and the (not yet rendered)
    # publication notice are rendered; every stage document is the issued file.
    assert rendered.call_count == 3
    decision = next(content for name, content in files.items() if "决定书" in name)
    assert hashlib.sha256(decision).hexdigest() == issued[DocumentKind.DECISION]


# --- GB/T 9704 details, measured -------------------------------------------------------


def _decided():
    return taian_case_at(CaseState.DECIDED)


# Real PDFs, as every case under tests/documents is built with.
_decided_built = built_once_per_module(_decided, real_pdf=True)


@pytest.fixture
def decided(_decided_built, settings):
    return for_one_test(_decided_built, settings)


@pytest.mark.parametrize("kind", [DocumentKind.DECISION, DocumentKind.MINUTES])
def test_page_numbers_sit_7mm_below_the_block(decided, kind):
    spec = document_spec(kind)
    content = render_pdf(spec.template, spec.build(decided.case)).content
    numbers = page_number_lines(content)
    assert numbers
    for line in numbers:
        assert abs(line.top - BLOCK_BOTTOM_MM - 7) < 0.5, line


def test_every_full_line_holds_28_characters(decided):
    spec = document_spec(DocumentKind.DECISION)
    content = render_pdf(spec.template, spec.build(decided.case)).content
    lines = full_body_lines(content)
    assert len(lines) > 5
    for line in lines:
        assert 27.6 < grid_columns(line) < 28.2, line
        if re.fullmatch(r"[\u3000-\u9fff\uff00-\uffef“”]+", line.text):
            indented = line.x0 > 30
            assert len(line.text) == (26 if indented else 28), line


def test_no_page_holds_only_the_signature_and_colophon(filed):
    forms = {"立案登记表", "证据材料目录"}  # one-page forms, no signature
    for title, content in _pdfs(_package(filed.case)).items():
        if title in forms:
            continue
        lines = text_lines(content)
        last_page = max(line.page for line in lines)
        body = [
            line
            for line in lines
            if line.page == last_page
            and line.top < BLOCK_BOTTOM_MM
            and abs(line.size - 16) < 0.6
            and line.x0 < 60  # body text starts at the left, the signature at the right
        ]
        assert body, title


def test_internal_papers_have_no_red_header(decided):
    for kind in (DocumentKind.INVESTIGATION_REPORT, DocumentKind.EXPERT_OPINION):
        spec = document_spec(kind)
        context = spec.build(decided.case)
        assert context["issuer_mark"] == context["doc_number"] == ""
        content = render_pdf(spec.template, context).content
        first = text_lines(content)[0]
        assert first.text.startswith("关于"), first


def test_a_long_unbroken_string_wraps_inside_the_block(decided):
    case = decided.case
    case.incident_summary = "编号" + "7" * 330 + "的检查记录。"
    case.save(update_fields=["incident_summary"])
    spec = document_spec(DocumentKind.DECISION)
    content = render_pdf(spec.template, spec.build(case)).content
    lines = [line for line in text_lines(content) if "777" in line.text]
    assert len(lines) >= 3  # wrapped, not clipped
    assert sum(line.text.count("7") for line in lines) >= 330  # every digit printed
    for line in lines:
        assert line.x1 <= 28 + 156 + 0.5, line
