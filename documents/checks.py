"""Start-up checks for the document renderer. Without HarfBuzz's subsetter
WeasyPrint silently falls back to fontTools and a Chinese document takes
seconds instead of a tenth of one; without the fonts it prints boxes. Both must
fail loudly, at `manage.py check` and at start-up."""

import shutil
import subprocess

from django.conf import settings
from django.core.checks import Error, register


def harfbuzz_subsetter_available() -> bool:
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def installed_font_families() -> set[str]:
    """Every family name fontconfig knows, including localised names."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return set()
    output = subprocess.run(  # noqa: S603 - fixed arguments, no user input
        [fc_list, "--format", "%{family}\n"], capture_output=True, text=True, check=False
    ).stdout
    return {name.strip() for line in output.splitlines() for name in line.split(",")}


def missing_font_faces(installed: set[str]) -> list[str]:
    """The faces of DOCUMENT_FONT_STACK for which no family is installed."""
    return [
        face
        for face, families in settings.DOCUMENT_FONT_STACK.items()
        if not any(entry.split(":")[0] in installed for entry in families)
    ]


@register("documents")
def check_document_rendering(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    if not harfbuzz_subsetter_available():
        errors.append(
            Error(
                "HarfBuzz's font subsetter (libharfbuzz-subset0, HarfBuzz >= 4.1) is not "
                "available to WeasyPrint: PDFs would fall back to fontTools and take "
                "seconds each.",
                hint="Install it: apt-get install libharfbuzz-subset0 (make run does this "
                "when run as root).",
                id="documents.E001",
            )
        )
    missing = missing_font_faces(installed_font_families())
    if missing:
        errors.append(
            Error(
                "No font installed for the document faces: "
                + ", ".join(
                    f"{face} (tried {' / '.join(settings.DOCUMENT_FONT_STACK[face])})"
                    for face in missing
                ),
                hint="Run scripts/bootstrap.sh as root (installs Fandol and Noto CJK), or "
                "install the official fonts and list them in DOCUMENT_FONT_STACK.",
                id="documents.E002",
            )
        )
    return errors
