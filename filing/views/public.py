"""The public page (no login): decisions published to the public, as their
redacted notices. Reads only what the publication kept as published
(Publication.public_notice) and the redacted PDF; withdrawn notices and
other scopes do not exist here."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from documents.models import Document
from filing.models import Publication
from filing.services.publication import public_notice, public_notices

NOTICES_PER_PAGE = 20


def _notice_or_404(publication_id: int) -> Publication:
    try:
        return public_notice(publication_id)
    except Publication.DoesNotExist:
        raise Http404 from None


@login_not_required
@require_safe
def public_notice_list(request):
    page = Paginator(public_notices(), NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "public/notice_list.html", {"page": page})


@login_not_required
@require_safe
def public_notice_detail(request, publication_id: int):
    publication = _notice_or_404(publication_id)
    return render(
        request,
        "public/notice_detail.html",
        {
            "publication": publication,
            "notice": publication.public_notice,
            "has_pdf": Document.objects.filter(
                pk=publication.notice_id, status=Document.Status.DONE
            ).exists(),
        },
    )


@login_not_required
@require_safe
def public_notice_pdf(request, publication_id: int):
    """The redacted notice as PDF (rendered for the public scope)."""
    publication = _notice_or_404(publication_id)
    document = Document.objects.filter(
        pk=publication.notice_id, status=Document.Status.DONE, options__scope="public"
    ).first()
    if document is None:
        raise Http404
    number = publication.public_notice.get("case_number", "")
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("inline") != "1",
        filename=f"{number}-公开通知.pdf",
    )
