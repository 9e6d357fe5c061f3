"""The filing package as at filing renders one PDF, its notice (issue 17,
item 5): the publication notice of the decided scope and the evidence
catalogue are issued with the decision (the scope is voted on, evidence is
closed then), signed once, and the package takes them and every other stage
document byte for byte. Published more widely after filing, the re-issued
package renders its notice and the new publication notice."""

import contextlib
import io
import re
import zipfile
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase, override_settings

from cases.services.evidence import evidence_upload
from cases.workflow import DECIDED_STATES, MOVES, STAGES, CaseState
from config.celery import app as celery_app
from deliberation.services import vote_close
from documents import rendering, services
from documents.kinds import DocumentKind
from documents.models import Document
from documents.package import package_items, stage_document_options
from documents.signing import is_signed
from documents.verification import VERIFIED, package_verify
from filing.models import FilingPackage
from filing.services.publication import publication_record
from tests.documents.pdf import read_pdf, text_of
from tests.documents.signing import make_pki
from tests.flows import (
    convene,
    deliberation_facts,
    move,
    propose,
    taian_case_at,
    unit_for,
    vote_all,
)

pytestmark = [pytest.mark.django_db, pytest.mark.real_pdf]

EVIDENCE = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


class RenderSpy:
    """Counts the real renderer's calls (WeasyPrint behind html_to_pdf) by the
    title of the document rendered."""

    def __init__(self):
        self.titles: list[str] = []
        self._real = rendering.html_to_pdf

    def __call__(self, html, archival=None, **kwargs):
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        self.titles.append(title[1].strip() if title else "")
        return self._real(html, archival, **kwargs)

    def watching(self):
        self.titles = []
        patches = [
            mock.patch.object(rendering, "html_to_pdf", self),
            mock.patch.object(services, "html_to_pdf", self),
        ]
        return _Both(patches)


class _Both:
    def __init__(self, patches):
        self.patches = patches

    def __enter__(self):
        for patch in self.patches:
            patch.__enter__()

    def __exit__(self, *exc):
        for patch in reversed(self.patches):
            patch.__exit__(*exc)


@contextlib.contextmanager
def _restored(target, name: str, value):
    try:
        yield
    finally:
        setattr(target, name, value)


def _content(case, version: int) -> bytes:
    package = FilingPackage.objects.get(case=case, version=version)
    with package.file.open("rb") as handle:
        return handle.read()


def _files(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _issued(case) -> dict[tuple[str, str], bytes]:
    """(kind, scope) -> the bytes of each document rendered for the case."""
    issued = {}
    for document in Document.objects.filter(case=case, status=Document.Status.DONE).order_by("pk"):
        with document.file.open("rb") as handle:
            issued.setdefault((document.kind, document.options.get("scope", "")), handle.read())
    return issued


@pytest.fixture(scope="module")
def filed(django_db_setup, django_db_blocker, tmp_path_factory):
    """A Tai'an case with one evidence file, signed from registration on,
    decided exempt to be published within the unit (every stage document
    rendered as its stage ends), then filed, published within the unit and
    then to the public (package version 2); the renders of each step counted.
    Built once for the module and rolled back."""
    test_pki = make_pki(tmp_path_factory.mktemp("pki"))
    spy = RenderSpy()
    data = {"pki": test_pki}
    # Jobs run in-process as they are queued (the autouse fixture that sets
    # this is per test, after this module's fixture; with REDIS_URL set they
    # would go to the broker).
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, True
    with (
        _restored(celery_app.conf, "task_always_eager", eager),
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            JINZHI_SIGNING_DIR=str(test_pki.units_dir),
            JINZHI_TRUST_ANCHORS=[str(test_pki.root_path)],
        ),
        transaction.atomic(),
    ):
        unit = unit_for("taian")
        test_pki.issue(unit)
        # Stage documents render as their stage's move commits.
        with TestCase.captureOnCommitCallbacks(execute=True):
            flow = taian_case_at(CaseState.DELIBERATION, unit=unit)
            evidence_upload(
                actor=flow.staff.inspector,
                case=flow.case,
                upload=SimpleUploadedFile(
                    "检查记录表.pdf", EVIDENCE, content_type="application/pdf"
                ),
                description="现场检查记录表",
            )
            deliberation_facts(flow)
            convene(flow)
            vote_all(flow, propose(flow, publication_scope="unit"))
        with spy.watching(), TestCase.captureOnCommitCallbacks(execute=True):
            vote_close(actor=flow.staff.chair, meeting=flow.meeting)
        data["decision_renders"] = list(spy.titles)
        case = flow.reload()
        data["issued_at_decision"] = _issued(case)
        data["evidence_refusal"] = None
        try:
            evidence_upload(
                actor=flow.staff.inspector,
                case=case,
                upload=SimpleUploadedFile("补充.pdf", EVIDENCE, content_type="application/pdf"),
                description="决定后补充",
            )
        except ValidationError as refusal:
            data["evidence_refusal"] = refusal

        with spy.watching(), TestCase.captureOnCommitCallbacks(execute=True):
            move(flow, "file", flow.staff.inspector)
        data["filing_renders"] = list(spy.titles)
        data["zip1"] = _content(case, 1)
        data["v1"] = _files(data["zip1"])

        # Within the decided scope: the notice issued at the decision is the one published.
        with spy.watching(), TestCase.captureOnCommitCallbacks(execute=True):
            publication = publication_record(actor=flow.staff.inspector, case=case, scope="unit")
        data["unit_publication_renders"] = list(spy.titles)
        publication.notice.refresh_from_db()
        with publication.notice.file.open("rb") as handle:
            data["unit_publication_notice"] = handle.read()

        with spy.watching():
            publication_record(actor=flow.staff.inspector, case=case, scope="public")
        data["reissue_renders"] = list(spy.titles)
        data["zip2"] = _content(case, 2)
        data["v2"] = _files(data["zip2"])
        data["items"] = [item.file_name for item in package_items(case)]
        data["officer"] = case.subject_officers.first().officer.name
        transaction.set_rollback(True)
    return data


def _pdfs(files: dict[str, bytes]) -> dict[str, bytes]:
    """The package's own documents, by title (without the 01- and .pdf)."""
    return {
        re.sub(r"^\d\d-|\.pdf$", "", name): content
        for name, content in sorted(files.items())
        if name.endswith(".pdf") and "/" not in name
    }


def _flat(content: bytes) -> str:
    return "".join(text_of(read_pdf(content)).split())


def test_the_decision_issues_the_publication_notice_and_the_evidence_catalogue(filed):
    assert DocumentKind.PUBLICATION_NOTICE in MOVES["decide"].documents
    assert DocumentKind.EVIDENCE_CATALOGUE in MOVES["decide"].documents
    issued = filed["issued_at_decision"]
    assert (DocumentKind.PUBLICATION_NOTICE, "unit") in issued
    assert (DocumentKind.EVIDENCE_CATALOGUE, "") in issued
    # Rendered (and signed) once each as the decision committed.
    titles = filed["decision_renders"]
    assert sum("公开通知" in t for t in titles) == 1
    assert sum("证据材料目录" in t for t in titles) == 1
    assert all(is_signed(content) for content in issued.values())


def test_the_package_at_filing_renders_only_its_notice(filed):
    assert len(filed["filing_renders"]) == 1
    assert "备案报告" in filed["filing_renders"][0]


def test_every_other_document_is_the_one_issued_byte_for_byte(filed):
    issued = set(filed["issued_at_decision"].values())
    pdfs = _pdfs(filed["v1"])
    others = {title: content for title, content in pdfs.items() if title != "备案报告"}
    assert {"公开通知", "证据材料目录", "不予追究责任决定书", "集体研究纪要"} <= set(others)
    for title, content in others.items():
        assert content in issued, title
    assert (
        pdfs["公开通知"] == filed["issued_at_decision"][(DocumentKind.PUBLICATION_NOTICE, "unit")]
    )
    catalogue = filed["issued_at_decision"][(DocumentKind.EVIDENCE_CATALOGUE, "")]
    assert pdfs["证据材料目录"] == catalogue
    assert "现场检查记录表" in _flat(catalogue)


def test_the_notice_lists_the_package_files(filed):
    files = filed["v1"]
    pdfs = _pdfs(files)
    assert [name for name in files if name.endswith(".pdf") and "/" not in name] == filed["items"][
        : len(pdfs)
    ]
    notice = _flat(pdfs["备案报告"])
    listed = re.findall(r"(\d)．([^\d．]+?)(?=\d．|泰|测|$)", notice.split("附件：", 1)[1])
    titles = [title for title in pdfs if title != "备案报告"]
    assert [name for _, name in listed][: len(titles)] == titles


def test_the_package_verifies(filed):
    for version in (1, 2):
        content = filed[f"zip{version}"]
        result = package_verify(content, trust_anchor_paths=[filed["pki"].root_path])
        assert result.status == VERIFIED, (version, result.failed_file, result.problem)
        assert len(result.documents) == len(_pdfs(_files(content)))


def test_publishing_within_the_decided_scope_reuses_the_notice_issued_at_the_decision(filed):
    assert filed["unit_publication_renders"] == []
    issued = filed["issued_at_decision"][(DocumentKind.PUBLICATION_NOTICE, "unit")]
    assert filed["unit_publication_notice"] == issued


def test_a_wider_scope_reissues_the_package_with_the_new_publication_notice(filed):
    titles = filed["reissue_renders"]
    assert len(titles) == 2
    assert any("备案报告" in t for t in titles) and any("公开通知" in t for t in titles)
    first, second = _pdfs(filed["v1"]), _pdfs(filed["v2"])
    assert second["公开通知"] != first["公开通知"]
    assert filed["officer"] not in _flat(second["公开通知"])  # the public one: names masked
    assert "又向社会公开" in _flat(second["备案报告"])
    for title in set(first) - {"备案报告", "公开通知"}:
        assert second[title] == first[title], title


def test_evidence_is_closed_once_decided_so_the_catalogue_stays_true(filed):
    """The catalogue is issued with the decision: no decided stage takes
    evidence (were one to, the catalogue would have to be issued again)."""
    assert not any(STAGES[state].accepts_evidence for state in DECIDED_STATES)
    assert filed["evidence_refusal"] is not None
    assert len([name for name in filed["v1"] if name.startswith("证据材料/")]) == 1


def test_no_publication_notice_is_issued_when_nothing_is_to_be_published():
    with mock.patch(
        "documents.builders.decision.adopted_determinations",
        return_value=[SimpleNamespace(publication_scope="")],
    ):
        assert stage_document_options(None, DocumentKind.PUBLICATION_NOTICE) == []
    with mock.patch(
        "documents.builders.decision.adopted_determinations",
        return_value=[
            SimpleNamespace(publication_scope="unit"),
            SimpleNamespace(publication_scope="system"),
        ],
    ):
        assert stage_document_options(None, DocumentKind.PUBLICATION_NOTICE) == [
            {"scope": "system"}
        ]
    assert stage_document_options(None, DocumentKind.EVIDENCE_CATALOGUE) == [{}]
