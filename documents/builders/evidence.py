"""The evidence catalogue (证据材料目录) of a filing package: each evidence
file with its description, size and SHA-256, under the name it has in the
package's 证据材料/ folder."""

from cases.models import Case
from documents.formatting import chinese_date
from documents.kinds import DocumentKind
from documents.registry import document_kind


def evidence_file_name(index: int, original_name: str) -> str:
    """The evidence file's path inside the package."""
    return f"证据材料/{index:02d}-{original_name}"


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


@document_kind(DocumentKind.EVIDENCE_CATALOGUE, "documents/evidence_catalogue.html")
def evidence_catalogue_context(case: Case) -> dict:
    """Pure read; dated with the latest upload (the catalogue changes only
    when the evidence does)."""
    evidence = list(case.evidence.order_by("id"))
    latest = max((e.uploaded_at for e in evidence), default=None)
    from django.utils import timezone

    return {
        "case": case,
        "unit": case.unit,
        "title": f"{case.display_number}案件证据材料目录",
        "items": [
            {
                "number": index,
                "name": evidence_file_name(index, e.original_name),
                "description": e.description,
                "size": _size(e.size),
                "sha256": e.sha256,
            }
            for index, e in enumerate(evidence, start=1)
        ],
        "as_of": chinese_date(timezone.localtime(latest)) if latest else "",
    }
