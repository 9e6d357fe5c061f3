"""Evidence uploads (cases/services/evidence.py): size limit, type from the
bytes and never from the name, the SHA-256 recorded, a clean display name and
a private storage name, and nothing stored when refused."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent, AuditEventType
from cases import errors as cases_errors
from cases.models import Evidence
from cases.services.evidence import ALLOWED_TYPES, clean_file_name, evidence_upload
from cases.workflow import CaseState
from tests import flows
from tests.flows import details, new_events, nothing_changes

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
TEXT = "这是一份纯文本说明，不是 PDF。\n".encode()
ZIP = b"PK\x03\x04" + b"\x00" * 64
UNSUPPORTED = cases_errors.FILE_TYPE_NOT_ACCEPTED % {
    "types": "PDF、JPEG、PNG、Word、Excel、MP4、MP3"
}


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def flow(unit):
    return flows.taian_case_at(CaseState.INVESTIGATING, unit=unit)


def upload(flow, name, content, description="现场检查记录", actor=None):
    return evidence_upload(
        actor=actor or flow.staff.investigator,
        case=flow.case,
        upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
        description=description,
    )


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def refused(flow, settings, call, message_dict=None, messages=None):
    """Refused with the message; no row, no file, no audit event."""
    files = stored_files(settings)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        call()
    if message_dict is not None:
        assert error.value.message_dict == message_dict
    if messages is not None:
        assert error.value.messages == messages
    assert not Evidence.objects.exists()
    assert stored_files(settings) == files


# --- accepted ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("检查记录.pdf", PDF, "application/pdf"),
        ("现场照片.jpg", JPEG, "image/jpeg"),
        ("现场照片.png", PNG, "image/png"),
        (
            "询问笔录.docx",
            _docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_an_accepted_file_is_stored_with_its_hash_and_its_event(
    flow, settings, name, content, content_type
):
    with new_events() as events:
        evidence = upload(flow, name, content)
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        name,
        content_type,
        len(content),
    )
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.uploaded_by == flow.staff.investigator
    evidence.file.open("rb")
    assert evidence.file.read() == content
    evidence.file.close()
    assert [e.event_type for e in events] == [AuditEventType.EVIDENCE_UPLOADED]
    assert details(events[0]) == {
        "name": name,
        "sha256": evidence.sha256,
        "size": len(content),
        "content_type": content_type,
    }
    assert events[0].case_id == flow.case.pk


def test_the_type_comes_from_the_bytes_not_the_name(flow):
    evidence = upload(flow, "扫描件.pdf", PNG)  # a PNG named .pdf, sent as application/pdf
    assert evidence.content_type == "image/png"
    assert evidence.original_name == "扫描件.pdf"


def test_the_stored_name_is_private_and_random(flow, settings):
    evidence = upload(flow, "张某身份证.png", PNG)
    first, second = evidence.file.name, upload(flow, "张某身份证.png", PNG).file.name
    assert first != second
    for name in (first, second):
        directory, stored = name.rsplit("/", 1)
        assert directory == f"evidence/{flow.case.pk}"
        assert len(stored) == 32 and all(ch in "0123456789abcdef" for ch in stored)
        assert "身份证" not in name
        assert (Path(settings.MEDIA_ROOT) / name).is_file()


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\System32\\evil.png", "evil.png"),
        ("/var/www/media/evidence/1/x.png", "x.png"),
        ("a\x00b\nc\td\u202e.png", "abcd.png"),
        ("../", "file"),
        ("", "file"),
        ("长" * 300 + ".png", "长" * 200),
    ],
)
def test_a_file_name_loses_its_directories_and_control_characters(name, cleaned):
    assert clean_file_name(name) == cleaned


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\System32\\evil.png", "evil.png"),
        ("C:\\Users\\王\\Desktop\\检查记录.png", "检查记录.png"),
        ("现场\r\n照片.png", "现场照片.png"),
    ],
)
def test_a_path_traversal_name_is_cleaned_and_stored_inside_the_case(flow, settings, name, cleaned):
    content = SimpleUploadedFile("x.png", PNG)
    content._name = name  # as a caller other than Django's upload handler could pass it
    evidence = evidence_upload(
        actor=flow.staff.investigator, case=flow.case, upload=content, description="照片"
    )
    assert evidence.original_name == cleaned
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.EVIDENCE_UPLOADED, data__name=cleaned
    ).exists()
    path = (Path(settings.MEDIA_ROOT) / evidence.file.name).resolve()
    assert path.is_relative_to(
        (Path(settings.MEDIA_ROOT) / "evidence" / str(flow.case.pk)).resolve()
    )
    assert stored_files(settings) == [path]


def test_a_file_at_the_size_limit_is_accepted(flow, settings):
    settings.EVIDENCE_MAX_BYTES = 2 * 2**20
    content = PNG + b"\x00" * (2 * 2**20 - len(PNG))
    assert upload(flow, "big.png", content).size == 2 * 2**20


def test_an_investigator_and_an_inspector_may_upload(flow):
    upload(flow, "a.png", PNG, actor=flow.staff.inspector)
    upload(flow, "b.png", PNG, actor=flow.staff.investigator)
    assert Evidence.objects.count() == 2


# --- refused ----------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused(flow, settings):
    settings.EVIDENCE_MAX_BYTES = 2 * 2**20
    content = PNG + b"\x00" * (2 * 2**20 + 1 - len(PNG))
    refused(
        flow,
        settings,
        lambda: upload(flow, "big.png", content),
        {"file": [cases_errors.FILE_TOO_LARGE % {"size": "2.0", "limit": "2"}]},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("说明.pdf", TEXT),  # a text file renamed .pdf
        ("setup.pdf", EXE),  # a Windows executable renamed .pdf
        ("setup.exe", EXE),
        ("tool.png", ELF),
        ("材料.zip", ZIP),
        ("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    ],
)
def test_a_file_of_a_type_not_accepted_is_refused_whatever_its_name(flow, settings, name, content):
    refused(flow, settings, lambda: upload(flow, name, content), {"file": [UNSUPPORTED]})


def test_an_empty_file_is_refused(flow, settings):
    refused(
        flow,
        settings,
        lambda: upload(flow, "empty.pdf", b""),
        {"file": [str(cases_errors.FILE_EMPTY)]},
    )


def test_a_file_without_a_description_is_refused(flow, settings):
    refused(
        flow,
        settings,
        lambda: upload(flow, "a.png", PNG, description="  "),
        {"description": [str(cases_errors.EVIDENCE_DESCRIPTION_MISSING)]},
    )


@pytest.mark.parametrize("state", [CaseState.DECIDED, CaseState.PUBLISHED, CaseState.CLOSED])
def test_no_evidence_once_the_case_is_decided(unit, settings, state):
    flow = flows.taian_case_at(state, unit=unit, disputed=False)
    refused(
        flow,
        settings,
        lambda: upload(flow, "a.png", PNG, actor=flow.staff.inspector),
        messages=[str(cases_errors.EVIDENCE_AFTER_DECISION)],
    )


@pytest.mark.parametrize("role", ["expert", "leader", "chair"])
def test_other_roles_cannot_upload(flow, settings, role):
    actor = {
        "expert": flow.staff.experts[0],
        "leader": flow.staff.leaders[0],
        "chair": flow.staff.chair,
    }[role]
    count = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as error:
        upload(flow, "a.png", PNG, actor=actor)
    assert str(error.value) == str(cases_errors.MAY_NOT_UPLOAD_EVIDENCE)
    assert not Evidence.objects.exists()
    assert AuditEvent.objects.count() == count
    assert stored_files(settings) == []


def test_the_accepted_types_are_the_documented_ones():
    assert set(ALLOWED_TYPES.values()) == {"PDF", "JPEG", "PNG", "Word", "Excel", "MP4", "MP3"}
