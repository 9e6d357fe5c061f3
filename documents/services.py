"""Requesting and rendering documents. A request writes its row first and
queues the job on commit; the job is safe to run twice."""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from audit.models import AuditEventType
from audit.services import audit_record
from documents.kinds import DocumentKind
from documents.models import Document
from documents.registry import document_spec
from documents.rendering import html_to_pdf, render_html, stylesheet_digest

logger = logging.getLogger(__name__)


def document_request(
    *, case, kind: DocumentKind, requested_by, options: dict | None = None
) -> Document:
    """Record a rendering job for the case and queue it once the caller's
    transaction commits (so the worker always finds the row). `options` are
    keyword arguments for the kind's context builder (a publication scope, a
    subject officer); they are checked here, so a bad one is refused before
    anything is recorded."""
    from documents.tasks import render_document

    options = dict(options or {})
    document_options_check(kind, options)
    with transaction.atomic():
        document = Document.objects.create(
            case=case, kind=kind, options=options, requested_by=requested_by
        )
        audit_record(
            event_type=AuditEventType.DOCUMENT_REQUESTED,
            actor=requested_by,
            case=case,
            obj=document,
            summary=document.get_kind_display(),
            data={"kind": kind},
        )
    transaction.on_commit(lambda: render_document.delay(document.pk))
    return document


def documents_request_ready(*, case, kinds, requested_by) -> list[Document]:
    """Request each of these documents the case has what it needs for (its
    context builds), so a stage's documents are rendered in the background as
    the stage ends and are ready to print and to file."""
    requested = []
    for kind in kinds:
        _, builder = document_builder(kind)
        try:
            builder(case)
        except ValueError:
            continue
        requested.append(document_request(case=case, kind=kind, requested_by=requested_by))
    return requested


def document_builder(kind: DocumentKind):
    """The template and the context builder (a function of the case) of a
    document kind."""
    spec = document_spec(kind)
    return spec.template, spec.build


def document_options_check(kind: DocumentKind, options: dict) -> None:
    """Refuse options the kind's context builder does not take."""
    import inspect

    from django.core.exceptions import ValidationError

    _, builder = document_builder(kind)
    accepted = set(inspect.signature(builder).parameters) - {"case"}
    unknown = sorted(set(options) - accepted)
    if unknown:
        raise ValidationError(
            "文书“%(kind)s”不接受参数：%(names)s",
            code="unknown_option",
            params={"kind": DocumentKind(kind).label, "names": "、".join(unknown)},
        )


def document_input_hash(template_name: str, html: str) -> str:
    """What decides a document's PDF: its template, the stylesheet (layout and
    fonts) and the HTML rendered from the case."""
    return hashlib.sha256(f"{template_name}\n{stylesheet_digest()}\n{html}".encode()).hexdigest()


def _rendered_with(case, kind: DocumentKind, options: dict, input_hash: str) -> Document | None:
    """A document of the case already rendered from exactly these inputs."""
    return (
        Document.objects.filter(
            case=case,
            kind=kind,
            options=options,
            status=Document.Status.DONE,
            input_hash=input_hash,
        )
        .exclude(file="")
        .first()
    )


def document_pdf(case, kind: DocumentKind, *, reuse: bool = True, **options) -> bytes:
    """The PDF of a document of the case as it stands now: the file of a
    document already rendered from the same inputs when there is one (files
    are never changed once written), else rendered here (always, with
    reuse=False). Raises ValueError
    when the case does not have what the document needs."""
    template_name, builder = document_builder(kind)
    html = render_html(template_name, builder(case, **options))
    same = reuse and _rendered_with(case, kind, options, document_input_hash(template_name, html))
    if same:
        try:
            with same.file.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            logger.warning("document %s lost its file; rendering again", same.pk)
    return html_to_pdf(html).content


def document_issued_pdf(case, kind: DocumentKind, **options) -> bytes | None:
    """The PDF of the latest rendered document of this kind and options, as
    it was issued, without building it again; None when there is none. Stage
    documents never change once their stage ends, so a package takes these."""
    issued = (
        Document.objects.filter(case=case, kind=kind, options=options, status=Document.Status.DONE)
        .exclude(file="")
        .order_by("-requested_at", "-pk")
        .first()
    )
    if issued is None:
        return None
    try:
        with issued.file.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        logger.warning("document %s lost its file", issued.pk)
        return None


def _build_context(document: Document) -> tuple[str, dict]:
    template_name, builder = document_builder(document.kind)
    return template_name, builder(document.case, **(document.options or {}))


def document_render(*, document_id: int) -> Document | None:
    """Render a queued document. A document already done is left alone, so a
    redelivered job does no harm. Returns None for a row that no longer exists."""
    claimed = Document.objects.filter(
        pk=document_id,
        status__in=[Document.Status.QUEUED, Document.Status.RUNNING, Document.Status.FAILED],
    )
    if not claimed.update(
        status=Document.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    ):
        return Document.objects.filter(pk=document_id).first()

    document = Document.objects.select_related("case", "case__unit").get(pk=document_id)
    try:
        template_name, context = _build_context(document)
        html = render_html(template_name, context)
        input_hash = document_input_hash(template_name, html)
        same = _rendered_with(document.case, document.kind, document.options, input_hash)
        if same is not None:
            return _reuse(document, same)
        pdf = html_to_pdf(html)
    except Exception as error:
        logger.exception("rendering document %s failed", document_id)
        document.status = Document.Status.FAILED
        document.error = f"{type(error).__name__}: {error}"
        document.finished_at = timezone.now()
        document.save(update_fields=["status", "error", "finished_at"])
        raise

    document.file.save(f"{document.kind}-{document.pk}.pdf", ContentFile(pdf.content), save=False)
    document.input_hash = input_hash
    document.sha256 = hashlib.sha256(pdf.content).hexdigest()
    document.size = len(pdf.content)
    document.page_count = pdf.page_count
    return _mark_done(
        document,
        summary=f"{document.get_kind_display()}（{document.page_count}页）",
        data={"kind": document.kind, "sha256": document.sha256, "size": document.size},
    )


def _reuse(document: Document, same: Document) -> Document:
    """The inputs are those of a document already rendered: point at its PDF
    (files are never changed once written) instead of rendering again."""
    document.file.name = same.file.name
    for field in ("input_hash", "sha256", "size", "page_count"):
        setattr(document, field, getattr(same, field))
    return _mark_done(
        document,
        summary=f"{document.get_kind_display()}（内容未变，沿用已生成的文书）",
        data={"kind": document.kind, "sha256": document.sha256, "reused": same.pk},
    )


def _mark_done(document: Document, *, summary: str, data: dict) -> Document:
    """Save a rendered (or reused) document as done, with its audit event."""
    document.status = Document.Status.DONE
    document.error = ""
    document.finished_at = timezone.now()
    with transaction.atomic():
        document.save(
            update_fields=[
                "file",
                "input_hash",
                "sha256",
                "size",
                "page_count",
                "status",
                "error",
                "finished_at",
            ]
        )
        audit_record(
            event_type=AuditEventType.DOCUMENT_GENERATED,
            case=document.case,
            obj=document,
            summary=summary,
            data=data,
        )
    return document


def documents_requeue_stuck(*, now=None) -> int:
    """Queue again the jobs left queued or running for too long (a lost
    message, a killed worker); give up after DOCUMENT_JOB_MAX_ATTEMPTS.
    Run by celery beat; returns how many were queued again."""
    from documents.tasks import render_document

    now = now or timezone.now()
    cutoff = now - settings.DOCUMENT_JOB_STUCK_AFTER
    stuck = Document.objects.filter(
        status__in=[Document.Status.QUEUED, Document.Status.RUNNING],
    ).filter(Q(started_at__lt=cutoff) | Q(started_at__isnull=True, requested_at__lt=cutoff))
    requeued = 0
    for document in stuck:
        if document.attempts >= settings.DOCUMENT_JOB_MAX_ATTEMPTS:
            Document.objects.filter(pk=document.pk).update(
                status=Document.Status.FAILED,
                error="gave up after repeated attempts",
                finished_at=now,
            )
            continue
        # Back to queued, so the next attempt can claim it.
        Document.objects.filter(pk=document.pk).update(status=Document.Status.QUEUED)
        render_document.delay(document.pk)
        requeued += 1
    return requeued


def document_download_record(*, actor, document: Document) -> None:
    """Every download of a document is an audit event."""
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.DOCUMENT_DOWNLOADED,
            actor=actor,
            case=document.case,
            obj=document,
            summary=document.get_kind_display(),
            data={"kind": document.kind, "sha256": document.sha256},
        )
