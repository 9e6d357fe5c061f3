"""A unit's seal image: checked on upload (type, size, dimensions, nothing an
SVG could fetch or run), audited, and pressed over the issuing body and the
date of the documents the unit issues (GB/T 9704 7.3.5.1); demo seals are
drawn in code and marked 样章."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf.generic import ContentStream

from audit.models import AuditEvent
from documents import errors as documents_errors
from documents.kinds import DocumentKind
from documents.models import UnitSeal
from documents.rendering import render_pdf
from documents.seals import (
    SEAL_MAX_BYTES,
    check_seal_image,
    seal_set,
    seed_demo_seals,
    specimen_seal_svg,
)
from documents.services import document_builder
from tests.documents.pdf import read_pdf
from tests.flows import taian_case_at

pytestmark = pytest.mark.django_db


def _png(width: int = 400, height: int = 400, colour_type: int = 6) -> bytes:
    """A valid PNG of one transparent (or, colour type 2, white) colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    channels = {2: 3, 6: 4}[colour_type]
    row = b"\x00" + (b"\xff\x00\x00\x00" if channels == 4 else b"\xff\xff\xff") * width
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


SVG_HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400">'


def test_the_demo_specimen_seal_passes_its_own_checks_and_says_specimen():
    svg = specimen_seal_svg("泰安市市场监督管理局")
    image = check_seal_image(svg)
    assert image.content_type == "image/svg+xml"
    assert "样章".encode() in svg
    for character in "泰安市市场监督管理局":
        assert character.encode() in svg


def test_a_transparent_png_is_accepted():
    image = check_seal_image(_png())
    assert (image.content_type, image.width, image.height) == ("image/png", 400, 400)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "seal_empty"),
        (b"\xff\xd8\xff\xe0 a JPEG", "seal_type"),
        (b"GIF89a", "seal_type"),
        (_png(colour_type=2), "seal_opaque"),
        (_png(100, 100), "seal_dimensions"),
        (_png(2400, 2400), "seal_too_large"),
        (_png(600, 400), "seal_dimensions"),
        (SVG_HEAD + b"<script>alert(1)</script></svg>", "seal_svg_unsafe"),
        (
            SVG_HEAD + b'<image href="file:///etc/passwd" width="9" height="9"/></svg>',
            "seal_svg_unsafe",
        ),
        (SVG_HEAD + b'<circle r="9" onload="x()"/></svg>', "seal_svg_unsafe"),
        (SVG_HEAD + b'<circle r="9" style="fill:url(http://x/y)"/></svg>', "seal_svg_unsafe"),
        (b'<!DOCTYPE svg [<!ENTITY a "b">]>' + SVG_HEAD + b"</svg>", "seal_svg_unsafe"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="9"/></svg>', "seal_dimensions"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200"></svg>',
            "seal_dimensions",
        ),
        (SVG_HEAD + b"<circle", "seal_corrupt"),
    ],
)
def test_a_bad_seal_image_is_refused_with_a_reason(content, code):
    if code == "seal_too_large":
        content = b"\x89PNG\r\n\x1a\n" + b"\x00" * SEAL_MAX_BYTES
    with pytest.raises(ValidationError) as refused:
        check_seal_image(content)
    assert refused.value.code == code
    assert refused.value.messages[0]


def test_setting_a_seal_is_audited_and_a_bad_one_changes_nothing(unit):
    with pytest.raises(ValidationError):
        seal_set(actor=None, unit=unit, content=_png(colour_type=2))
    assert not UnitSeal.objects.filter(unit=unit).exists()
    assert not AuditEvent.objects.filter(data__model="documents.UnitSeal").exists()

    first = seal_set(actor=None, unit=unit, content=specimen_seal_svg(unit.name))
    second = seal_set(actor=None, unit=unit, content=_png())
    assert second.pk == first.pk
    seal = UnitSeal.objects.get(unit=unit)
    assert (seal.content_type, seal.width, seal.size) == ("image/png", 400, len(_png()))
    with seal.image.open("rb") as stored:
        assert stored.read() == _png()
    events = list(AuditEvent.objects.filter(data__model="documents.UnitSeal").order_by("pk"))
    assert [e.event_type for e in events] == ["admin_object_created", "admin_object_changed"]
    assert events[1].data["before"]["content_type"] == "image/svg+xml"
    assert events[1].data["after"]["sha256"] == seal.sha256

    with pytest.raises(ValidationError):
        seal_set(actor=None, unit=unit, content=b"not an image")
    seal.refresh_from_db()
    assert seal.content_type == "image/png"


def test_only_the_system_administrator_sets_a_seal(unit):
    from accounts.roles import Role
    from tests.factories import UserFactory

    inspector = UserFactory(units=[unit], roles=[Role.INSPECTOR])
    with pytest.raises(PermissionDenied):
        seal_set(actor=inspector, unit=unit, content=_png())
    assert not UnitSeal.objects.filter(unit=unit).exists()
    administrator = UserFactory(units=[unit], roles=[Role.ADMINISTRATOR], is_staff=True)
    assert seal_set(actor=administrator, unit=unit, content=_png()).uploaded_by == administrator


def test_the_admin_checks_the_upload(system_admin_client, unit):
    url = reverse("admin:documents_unitseal_add")
    bad = SimpleUploadedFile("seal.png", _png(colour_type=2), content_type="image/png")
    response = system_admin_client.post(url, {"unit": unit.pk, "image": bad})
    assert response.status_code == 200
    assert str(documents_errors.SEAL_NOT_TRANSPARENT) in response.content.decode()
    assert not UnitSeal.objects.exists()

    good = SimpleUploadedFile(
        "seal.svg", specimen_seal_svg(unit.name), content_type="image/svg+xml"
    )
    response = system_admin_client.post(url, {"unit": unit.pk, "image": good})
    assert response.status_code == 302, response.content.decode()[:2000]
    seal = UnitSeal.objects.get(unit=unit)
    assert seal.content_type == "image/svg+xml"
    assert AuditEvent.objects.filter(
        event_type="admin_object_created", data__model="documents.UnitSeal"
    ).exists()


def _images_per_page(content: bytes) -> list[int]:
    """How many XObjects (a PNG is an image, an SVG a form of vector drawing)
    each page's content draws: its Do operators. WeasyPrint shares one
    resource dictionary between pages, so the dictionary does not tell."""
    counts = []
    for page in read_pdf(content).pages:
        stream = ContentStream(page.get_contents(), page.pdf)
        counts.append(sum(1 for _operands, operator in stream.operations if operator == b"Do"))
    return counts


@pytest.mark.parametrize("kind", [DocumentKind.DECISION, DocumentKind.FILING_NOTICE])
def test_the_seal_is_pressed_on_the_signature_page_only(kind):
    case = taian_case_at("filed").reload()
    template, builder = document_builder(kind)
    unsealed = render_pdf(template, builder(case)).content
    assert sum(_images_per_page(unsealed)) == 0

    seal_set(actor=None, unit=case.unit, content=_png())
    sealed = render_pdf(template, builder(case)).content
    counts = _images_per_page(sealed)
    assert counts[-1] >= 1 and sum(counts[:-1]) == 0, counts
    last_page = read_pdf(sealed).pages[-1]
    assert len(list(last_page.images)) == 1
    # ... the page of the issuing body and the date it presses on.
    assert case.unit.name in last_page.extract_text()


def test_the_demo_specimen_seal_prints_样章_over_the_signature(unit):
    case = taian_case_at("filed").reload()
    seed_demo_seals([case.unit])
    template, builder = document_builder(DocumentKind.DECISION)
    sealed = render_pdf(template, builder(case)).content
    assert "样章" in read_pdf(sealed).pages[-1].extract_text().replace(" ", "")
    assert _images_per_page(sealed)[-1] >= 1


def test_the_certificate_is_sealed_too():
    from tests.flows import taian_case_at as flow_at

    case = flow_at("filed").reload()
    seal_set(actor=None, unit=case.unit, content=_png())
    template, builder = document_builder(DocumentKind.NO_IMPACT_CERTIFICATE)
    subject = case.subject_officers.first()
    counts = _images_per_page(render_pdf(template, builder(case, subject.pk)).content)
    assert counts[-1] == 1 and sum(counts[:-1]) == 0, counts


def test_internal_papers_are_not_sealed():
    case = taian_case_at("filed").reload()
    seal_set(actor=None, unit=case.unit, content=_png())
    template, builder = document_builder(DocumentKind.INVESTIGATION_REPORT)
    assert sum(_images_per_page(render_pdf(template, builder(case)).content)) == 0


def test_the_sealed_filing_notice_of_a_filed_case_stays_under_200_kb():
    # Issue 16: every PDF <= 200 KB with its fonts embedded. The filing
    # notice is the longest document (4 pages) and the seal's characters must
    # come from the body's face, not embed a second FangSong.
    import pikepdf

    case = taian_case_at("filed").reload()
    seed_demo_seals([case.unit])
    template, builder = document_builder(DocumentKind.FILING_NOTICE)
    content = render_pdf(template, builder(case)).content
    assert len(content) <= 200 * 1024, len(content)
    # Every embedded font, the seal image's included (fonts_of reads the pages' only).
    with pikepdf.open(io.BytesIO(content)) as pdf:
        names = [
            str(obj.FontName).partition("+")[2]
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
        ]
    assert len([name for name in names if name.startswith("FandolFang")]) == 1, names
