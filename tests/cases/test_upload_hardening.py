"""Upload hardening (issue 13): Office zip containers inspected (expansion,
entry count, nested archives, macros), the request body capped while it
streams, stored files not world-readable."""

import io
import os
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from cases import errors as cases_errors
from cases.models import Evidence
from cases.services.evidence import evidence_upload
from cases.workflow import CaseState
from tests import flows
from tests.flows import nothing_changes

pytestmark = pytest.mark.django_db

CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>{extra}</Types>'


def office_file(*extra_entries, content_types_extra="", document="<w:document/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(extra=content_types_extra))
        archive.writestr("word/document.xml", document)
        for name, content in extra_entries:
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def flow(unit):
    return flows.taian_case_at(CaseState.INVESTIGATING, unit=unit)


def upload(flow, content, name="询问笔录.docx"):
    return evidence_upload(
        actor=flow.staff.investigator,
        case=flow.case,
        upload=SimpleUploadedFile(name, content),
        description="询问笔录",
    )


def refused_with(flow, content, message):
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        upload(flow, content)
    assert error.value.message_dict == {"file": [str(message)]}
    assert not Evidence.objects.exists()


def test_a_plain_docx_is_accepted(flow):
    evidence = upload(flow, office_file())
    assert evidence.content_type.endswith("wordprocessingml.document")


def test_a_zip_bomb_docx_is_refused(flow, settings):
    settings.OFFICE_MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024
    bomb = office_file(("word/media/padding.xml", b"\0" * (4 * 1024 * 1024)))
    assert len(bomb) < 64 * 1024  # small on the wire, big once expanded
    refused_with(flow, bomb, cases_errors.OFFICE_EXPANDS_TOO_MUCH)


def test_a_highly_compressed_entry_is_refused_under_the_total_limit(flow, settings):
    settings.OFFICE_MAX_RATIO = 50
    refused_with(
        flow,
        office_file(("word/media/padding.xml", b"\0" * (3 * 1024 * 1024))),
        cases_errors.OFFICE_EXPANDS_TOO_MUCH,
    )


def test_too_many_entries_are_refused(flow, settings):
    settings.OFFICE_MAX_ENTRIES = 20
    entries = [(f"word/part{i}.xml", "<x/>") for i in range(25)]
    refused_with(flow, office_file(*entries), cases_errors.OFFICE_TOO_MANY_ENTRIES)


@pytest.mark.parametrize("name", ["word/embeddings/data.zip", "word/embeddings/sheet.xlsx"])
def test_a_nested_archive_is_refused(flow, name):
    refused_with(flow, office_file((name, b"PK\x03\x04rest")), cases_errors.OFFICE_NESTED_ARCHIVE)


def test_a_macro_project_is_refused(flow):
    refused_with(
        flow, office_file(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")), cases_errors.OFFICE_MACROS
    )


def test_a_macro_enabled_content_type_is_refused(flow):
    macro = '<Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
    refused_with(flow, office_file(content_types_extra=macro), cases_errors.OFFICE_MACROS)


def test_a_stored_evidence_file_is_not_world_readable(flow):
    evidence = upload(flow, b"%PDF-1.4\n%%EOF\n", name="记录.pdf")
    mode = os.stat(evidence.file.path).st_mode & 0o777
    assert mode == 0o640
    assert os.stat(Path(evidence.file.path).parent).st_mode & 0o007 == 0


def post_upload(client, flow, body: bytes, content_length: int):
    return client.generic(
        "POST",
        reverse("cases:evidence_upload", args=[flow.case.pk]),
        body,
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(content_length),
    )


def test_a_body_declared_over_the_cap_is_refused_before_it_is_read(client, flow, settings):
    client.force_login(flow.staff.investigator)
    body = encode_multipart(
        BOUNDARY, {"description": "x", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}
    )
    with nothing_changes(flow.case):
        response = post_upload(client, flow, body, settings.UPLOAD_MAX_REQUEST_BYTES + 1)
    assert response.status_code == 413
    assert "不能超过 50 MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_body_over_the_cap_is_refused_as_it_streams(settings):
    """Without a (true) length the handler counts the bytes and stops at the
    cap, before the rest is read."""
    from accounts.uploads import SizeCapUploadHandler, UploadTooLarge

    settings.UPLOAD_MAX_REQUEST_BYTES = 100
    handler = SizeCapUploadHandler()
    assert handler.handle_raw_input(io.BytesIO(), {}, None, BOUNDARY) is None
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(UploadTooLarge):
        handler.receive_data_chunk(b"x" * 60, 60)


def test_the_cap_handler_is_the_first_upload_handler(settings):
    assert settings.FILE_UPLOAD_HANDLERS[0] == "accounts.uploads.SizeCapUploadHandler"
