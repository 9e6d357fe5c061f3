"""A unit's seal image (印章), pressed over the issuing body and the date of
the documents it issues (GB/T 9704 7.3.5.1).

The image is checked on upload (PNG with transparency or SVG, size,
dimensions, nothing an SVG could fetch or run), stored as the unit's
UnitSeal, audited, and put into a document's HTML as a data: URI, so the
rendering fetches nothing and a new seal changes the document's input hash.
Demo units get a specimen seal drawn here, marked 样章."""

from __future__ import annotations

import base64
import hashlib
import math
import re
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from documents import errors
from documents.fonts import document_family

SEAL_MAX_BYTES = 512 * 1024
# A seal is printed 42 mm wide: 300 px is 180 dpi, 2000 px more than enough.
SEAL_MIN_PIXELS = 300
SEAL_MAX_PIXELS = 2000
# A round seal's image is square; allow a little slack for a cropped scan.
SEAL_MAX_ASPECT_SKEW = 0.1

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG colour types with an alpha channel: grey+alpha (4), RGBA (6).
PNG_ALPHA_COLOUR_TYPES = {4, 6}
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
SVG_FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "image", "use", "animate", "set"}


@dataclass(frozen=True)
class SealImage:
    """A checked seal image."""

    content: bytes
    content_type: str  # image/png or image/svg+xml
    width: int
    height: int

    @property
    def extension(self) -> str:
        return "png" if self.content_type == "image/png" else "svg"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check_seal_image(content: bytes) -> SealImage:
    """The seal image in `content`, or ValidationError saying what is wrong
    with it: not a PNG or SVG, too large, too small or too big in pixels, not
    square, a PNG without transparency, an SVG that could fetch or run
    anything."""
    if not content:
        raise ValidationError(errors.SEAL_EMPTY, code="seal_empty")
    if len(content) > SEAL_MAX_BYTES:
        raise ValidationError(
            errors.SEAL_TOO_LARGE % {"limit": SEAL_MAX_BYTES // 1024},
            code="seal_too_large",
        )
    if content.startswith(PNG_SIGNATURE):
        image = _check_png(content)
    elif b"<svg" in content[:4096]:
        image = _check_svg(content)
    else:
        raise ValidationError(errors.SEAL_TYPE, code="seal_type")
    _check_dimensions(image.width, image.height)
    return image


def _check_png(content: bytes) -> SealImage:
    # IHDR is the first chunk: length, type, width, height, depth, colour type.
    if len(content) < 33 or content[12:16] != b"IHDR":
        raise ValidationError(errors.SEAL_PNG_CORRUPT, code="seal_corrupt")
    width, height, _depth, colour_type = struct.unpack(">IIBB", content[16:26])
    if colour_type not in PNG_ALPHA_COLOUR_TYPES and b"tRNS" not in content:
        raise ValidationError(
            errors.SEAL_NOT_TRANSPARENT,
            code="seal_opaque",
        )
    return SealImage(content, "image/png", width, height)


def _svg_length(value: str | None) -> float | None:
    match = re.fullmatch(r"\s*([0-9.]+)\s*(px)?\s*", value or "")
    return float(match[1]) if match else None


def _check_svg(content: bytes) -> SealImage:
    # No DTD: entities are how an SVG expands itself or reaches for files.
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise ValidationError(errors.SEAL_SVG_DECLARATIONS, code="seal_svg_unsafe")
    try:
        # No DTD is left to expand (refused above); an SVG in another
        # encoding than UTF-8 has no b"<svg" and was refused as not an image.
        root = ET.fromstring(content)  # noqa: S314
    except ET.ParseError as error:
        raise ValidationError(errors.SEAL_SVG_UNREADABLE, code="seal_corrupt") from error
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise ValidationError(errors.SEAL_TYPE, code="seal_type")
    for element in root.iter():
        name = element.tag.rpartition("}")[2]
        if name in SVG_FORBIDDEN_ELEMENTS:
            raise ValidationError(
                errors.SEAL_SVG_UNSAFE % {"element": name},
                code="seal_svg_unsafe",
            )
        for attribute, value in element.attrib.items():
            attribute = attribute.rpartition("}")[2]
            if attribute.startswith("on") or (attribute == "href" and not value.startswith("#")):
                raise ValidationError(
                    errors.SEAL_SVG_UNSAFE % {"element": name},
                    code="seal_svg_unsafe",
                )
        text = (element.text or "") + " ".join(element.attrib.values())
        if re.search(r"url\(\s*['\"]?(?!#)", text) or "@import" in text:
            raise ValidationError(
                errors.SEAL_SVG_UNSAFE % {"element": name},
                code="seal_svg_unsafe",
            )
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4:
        width, height = (_svg_length(view_box[2]), _svg_length(view_box[3]))
    else:
        width, height = _svg_length(root.get("width")), _svg_length(root.get("height"))
    if not width or not height:
        raise ValidationError(errors.SEAL_SVG_NO_SIZE, code="seal_dimensions")
    # An SVG scales: only its shape is checked, against the pixel minimum scaled up.
    scale = max(1.0, SEAL_MIN_PIXELS / min(width, height))
    return SealImage(content, "image/svg+xml", round(width * scale), round(height * scale))


def _check_dimensions(width: int, height: int) -> None:
    if min(width, height) < SEAL_MIN_PIXELS or max(width, height) > SEAL_MAX_PIXELS:
        raise ValidationError(
            errors.SEAL_SIZE
            % {"low": SEAL_MIN_PIXELS, "high": SEAL_MAX_PIXELS, "width": width, "height": height},
            code="seal_dimensions",
        )
    if abs(width - height) / max(width, height) > SEAL_MAX_ASPECT_SKEW:
        raise ValidationError(
            errors.SEAL_NOT_SQUARE % {"width": width, "height": height},
            code="seal_dimensions",
        )


def seal_data_uri(unit) -> str:
    """The unit's seal as a data: URI for a document's HTML; "" for a unit
    without one (the document then keeps the empty seal area)."""
    from documents.models import UnitSeal

    seal = UnitSeal.objects.filter(unit=unit).first()
    if seal is None:
        return ""
    with seal.image.open("rb") as stored:
        content = stored.read()
    return f"data:{seal.content_type};base64,{base64.b64encode(content).decode('ascii')}"


@transaction.atomic
def seal_set(*, actor, unit, content: bytes):
    """Give `unit` the seal image in `content` (replacing any it had) after
    checking it; audited. ValidationError, and nothing changed, for an image
    check_seal_image refuses."""
    from audit.models import AuditEventType
    from audit.services import audit_record
    from documents.models import UnitSeal

    image = check_seal_image(content)
    seal = UnitSeal.objects.select_for_update().filter(unit=unit).first()
    adding = seal is None
    # actor None: the demo seeding, a system job.
    if actor is not None and not actor.has_perm(
        f"documents.{'add' if adding else 'change'}_unitseal"
    ):
        raise PermissionDenied(errors.MAY_NOT_SET_SEAL)
    before = {} if adding else {"sha256": seal.sha256, "content_type": seal.content_type}
    if adding:
        seal = UnitSeal(unit=unit)
    else:
        seal.image.delete(save=False)
    seal.content_type, seal.sha256 = image.content_type, image.sha256
    seal.width, seal.height, seal.size = image.width, image.height, len(image.content)
    seal.uploaded_by = actor
    seal.image.save(f"seal.{image.extension}", ContentFile(image.content), save=False)
    seal.save()
    after = {
        "sha256": seal.sha256,
        "content_type": seal.content_type,
        "size": seal.size,
        "width": seal.width,
        "height": seal.height,
    }
    audit_record(
        event_type=AuditEventType.ADMIN_OBJECT_CREATED
        if adding
        else AuditEventType.ADMIN_OBJECT_CHANGED,
        actor=actor,
        obj=seal,
        summary=_("%(model)s：%(object)s") % {"model": UnitSeal._meta.verbose_name, "object": unit},
        data={"model": UnitSeal._meta.label, "unit": unit.pk, "before": before, "after": after},
    )
    return seal


# --- the demo specimen -------------------------------------------------------------


def specimen_seal_svg(unit_name: str) -> bytes:
    """A specimen round seal for demo data, drawn here: a red ring, the
    unit's name around the top, a five-pointed star in the centre and 样章
    near the bottom (below the date it presses on), so no demo document can
    pass for a sealed one."""
    # Drawn in the body's FangSong: the unit's name is already in the
    # document's font subset, so the seal adds almost nothing to the file.
    # The body prints from the FangSong's prepared copy where there is one
    # (documents.fonts), so the seal names that copy first: from the installed
    # face, the seal alone would embed a second FangSong (15 KB).
    stack = [entry.partition(":")[0] for entry in settings.DOCUMENT_FONT_STACK["fangsong"]]
    families = ", ".join([*(document_family(family) for family in stack), *stack, "serif"])
    size, centre = 400, 200
    outer, ring = 190, 9
    star = " ".join(
        f"{centre + radius * math.sin(math.radians(36 * i)):.1f},"
        f"{centre - 4 - radius * math.cos(math.radians(36 * i)):.1f}"
        for i, radius in ((i, 58 if i % 2 == 0 else 23) for i in range(10))
    )
    # The name runs clockwise over the top, about 240 degrees of a circle
    # inside the ring, each character's foot towards the centre.
    text_radius = outer - ring - 36
    span = min(240.0, 24.0 * len(unit_name))
    step = span / max(len(unit_name) - 1, 1)
    # One text element, each character placed and turned by the x, y and
    # rotate lists (a text element per character cost 350 bytes each in the
    # PDF). A character's origin is its left end on the baseline: from the
    # point on the circle, half a character back and 0.38 em down, turned.
    em = 42
    xs, ys, turns = [], [], []
    for i in range(len(unit_name)):
        angle = math.radians(-span / 2 + i * step)
        point_x = centre + text_radius * math.sin(angle)
        point_y = centre - text_radius * math.cos(angle)
        back, down = -em / 2, 0.38 * em
        xs.append(f"{point_x + back * math.cos(angle) - down * math.sin(angle):.1f}")
        ys.append(f"{point_y + back * math.sin(angle) + down * math.cos(angle):.1f}")
        turns.append(f"{math.degrees(angle):.1f}")
    characters = (
        f'<text font-size="{em}" x="{" ".join(xs)}" y="{" ".join(ys)}" '
        f'rotate="{" ".join(turns)}">{escape(unit_name)}</text>'
    )
    svg = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}">
<g fill="none" stroke="#d40000" stroke-width="{ring}">
<circle cx="{centre}" cy="{centre}" r="{outer}"/>
</g>
<g fill="#d40000" font-family="{escape(families)}">
{characters}
<polygon points="{star}"/>
<text x="{centre}" y="{centre + 150}" font-size="40" text-anchor="middle" letter-spacing="6">样章</text>
</g>
</svg>
"""
    return svg.encode("utf-8")


def seed_demo_seals(units) -> None:
    """A specimen seal for each demo unit that has none."""
    from documents.models import UnitSeal

    for unit in units:
        if not UnitSeal.objects.filter(unit=unit).exists():
            seal_set(actor=None, unit=unit, content=specimen_seal_svg(unit.name))
