"""Requesting and rendering documents. A request writes its row first and
queues the job on commit; the job is safe to run twice."""

import datetime
import hashlib
import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from audit.models import AuditEventType
from audit.services import audit_record
from documents import errors
from documents.archival import ArchivalMetadata
from documents.kinds import DocumentKind
from documents.models import Document
from documents.registry import document_spec
from documents.rendering import html_to_pdf, render_html, stylesheet_digest
from documents.signing import is_signed, pdf_sign

logger = logging.getLogger(__name__)


def document_request(
    *, case, kind: DocumentKind, requested_by, options: dict | None = None
) -> Document:
    """Record a rendering job for the case and queue it once the caller's
    transaction commits (so the worker always finds the row). `options` are
    keyword arguments for the kind's context builder (a publication scope, a
    subject officer); they are checked here, so a bad one is refused before
    anything is recorded."""
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
    transaction.on_commit(lambda: document_enqueue(document_id=document.pk))
    return document


def document_enqueue(*, document_id: int) -> bool:
    """Hand a queued job to the broker and note when. A broker that cannot be
    reached is logged, not raised: this runs after the caller's commit, so the
    move that asked for the document has happened, and an exception here would
    only turn it into a 500. The row stays queued with no `queued_at`; the page
    says it waits for the queue, and documents_requeue_stuck (beat) sends it
    once the broker is back. Returns whether the broker took it."""
    from documents.tasks import render_document

    try:
        render_document.delay(document_id)
    except Exception:  # kombu/redis raise many types; any of them means "not queued"
        logger.warning(
            "document %s: the job queue is unreachable; it waits and is queued when the "
            "broker is back",
            document_id,
            exc_info=True,
        )
        return False
    Document.objects.filter(pk=document_id, status=Document.Status.QUEUED).update(
        queued_at=timezone.now()
    )
    return True


def documents_request_ready(*, case, kinds, requested_by) -> list[Document]:
    """Request each of these documents the case has what it needs for (its
    context builds), so a stage's documents are rendered in the background as
    the stage ends and are ready to print and to file; a kind issued with
    options (the publication notice, in the decided scope) is requested with
    them (documents.package.stage_document_options)."""
    from documents.package import stage_document_options

    requested = []
    for kind in kinds:
        _, builder = document_builder(kind)
        for options in stage_document_options(case, kind):
            try:
                builder(case, **options)
            except ValueError:
                continue
            requested.append(
                document_request(case=case, kind=kind, requested_by=requested_by, options=options)
            )
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
            errors.UNKNOWN_OPTIONS,
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


def document_pdf(case, kind: DocumentKind, *, reuse: bool = True, embedded=(), **options) -> bytes:
    """The PDF of a document of the case as it stands now: the file of a
    document already rendered from the same inputs when there is one (files
    are never changed once written), else rendered and signed here (always,
    with reuse=False or with `embedded` files, (name, bytes) pairs carried
    inside the PDF). Raises ValueError when the case does not have what the
    document needs."""
    template_name, builder = document_builder(kind)
    context = builder(case, **options)
    html = render_html(template_name, context)
    same = (
        reuse
        and not embedded
        and _rendered_with(case, kind, options, document_input_hash(template_name, html))
    )
    if same:
        try:
            with same.file.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            logger.warning("document %s lost its file; rendering again", same.pk)
    archival = ArchivalMetadata.from_context(context, embedded=tuple(embedded))
    return pdf_sign(html_to_pdf(html, archival).content, unit=case.unit)


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
    now = timezone.now()
    # A running job whose lease is still live belongs to a worker that is alive
    # (its heartbeat renews the lease): a second delivery leaves it alone, so
    # no job is rendered twice at once.
    claimed = Document.objects.filter(pk=document_id).filter(
        Q(status__in=[Document.Status.QUEUED, Document.Status.FAILED])
        | Q(status=Document.Status.RUNNING, lease_expires_at__isnull=True)
        | Q(status=Document.Status.RUNNING, lease_expires_at__lt=now)
    )
    if not claimed.update(
        status=Document.Status.RUNNING,
        started_at=now,
        lease_expires_at=now + _lease(),
        attempts=F("attempts") + 1,
    ):
        return Document.objects.filter(pk=document_id).first()

    with _heartbeat(document_id, claimed_at=now):
        return _render_claimed(document_id)


def _lease():
    return datetime.timedelta(seconds=settings.DOCUMENT_JOB_LEASE_SECONDS)


@contextmanager
def _heartbeat(document_id: int, *, claimed_at):
    """Renew the job's lease every third of it while the job runs, from a
    thread with its own database connection, so a long render keeps its job
    and a killed worker loses it within one lease. Only this claim's lease
    (its start time): a job taken over after a stall is not renewed for the
    worker that lost it."""
    stop = threading.Event()
    interval = settings.DOCUMENT_JOB_LEASE_SECONDS / 3

    def beat():
        try:
            while not stop.wait(interval):
                Document.objects.filter(
                    pk=document_id, status=Document.Status.RUNNING, started_at=claimed_at
                ).update(lease_expires_at=timezone.now() + _lease())
        except Exception:
            logger.exception("document %s: the lease heartbeat stopped", document_id)
        finally:
            connection.close()

    # No heartbeat on SQLite (the embedded path runs jobs eagerly, in the
    # request, one process) nor inside a caller's transaction (a test's), whose
    # uncommitted claim no other connection could see or renew.
    thread = None
    if connection.vendor != "sqlite" and not connection.in_atomic_block:
        thread = threading.Thread(target=beat, name=f"lease-{document_id}", daemon=True)
        thread.start()
    try:
        yield
    finally:
        stop.set()
        if thread is not None:
            thread.join(timeout=interval + 5)


def _render_claimed(document_id: int) -> Document:
    document = Document.objects.select_related("case", "case__unit").get(pk=document_id)
    try:
        template_name, context = _build_context(document)
        html = render_html(template_name, context)
        input_hash = document_input_hash(template_name, html)
        same = _rendered_with(document.case, document.kind, document.options, input_hash)
        if same is not None:
            return _reuse(document, same)
        pdf = html_to_pdf(html, ArchivalMetadata.from_context(context))
        # Signed as it is issued: a package takes this file as it is.
        content = pdf_sign(pdf.content, unit=document.case.unit)
    except Exception as error:
        logger.exception("rendering document %s failed", document_id)
        document.status = Document.Status.FAILED
        document.error = f"{type(error).__name__}: {error}"
        document.finished_at = timezone.now()
        document.lease_expires_at = None
        document.save(update_fields=["status", "error", "finished_at", "lease_expires_at"])
        raise

    document.file.save(f"{document.kind}-{document.pk}.pdf", ContentFile(content), save=False)
    document.input_hash = input_hash
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.size = len(content)
    document.page_count = pdf.page_count
    return _mark_done(
        document,
        summary=f"{document.get_kind_display()}（{document.page_count}页）",
        data={
            "kind": document.kind,
            "sha256": document.sha256,
            "size": document.size,
            "signed": is_signed(content),
        },
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
    document.lease_expires_at = None
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
                "lease_expires_at",
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
    """Queue again the jobs that would otherwise wait for ever; run by celery
    beat every DOCUMENT_JOB_REQUEUE_EVERY. Three cases:
    - queued but never handed to the broker (it was down): sent now;
    - running with an expired lease (its worker was killed or lost): back to
      queued and sent, so it is done again within a lease and a beat period;
    - queued and sent long ago (DOCUMENT_JOB_STUCK_AFTER; a lost message).
    A job that has used DOCUMENT_JOB_MAX_ATTEMPTS is given up as failed.
    Returns how many were queued again."""
    now = now or timezone.now()
    # Leave a just-requested job to its own on_commit for a few seconds.
    settled = now - datetime.timedelta(seconds=5)
    stuck = Document.objects.filter(
        Q(status=Document.Status.QUEUED, queued_at__isnull=True, requested_at__lt=settled)
        | Q(status=Document.Status.QUEUED, queued_at__lt=now - settings.DOCUMENT_JOB_STUCK_AFTER)
        | Q(status=Document.Status.RUNNING, lease_expires_at__lt=now)
        | Q(
            status=Document.Status.RUNNING,
            lease_expires_at__isnull=True,
            started_at__lt=now - settings.DOCUMENT_JOB_STUCK_AFTER,
        )
    )
    requeued = 0
    for document in stuck:
        if document.attempts >= settings.DOCUMENT_JOB_MAX_ATTEMPTS:
            Document.objects.filter(pk=document.pk).update(
                status=Document.Status.FAILED,
                error="gave up after repeated attempts",
                finished_at=now,
                lease_expires_at=None,
            )
            continue
        # Back to queued, so the next attempt can claim it; only if it is still
        # the same stuck job (a late heartbeat or a finished render wins).
        if document.status == Document.Status.RUNNING:
            taken = Document.objects.filter(
                pk=document.pk,
                status=Document.Status.RUNNING,
                lease_expires_at=document.lease_expires_at,
            ).update(status=Document.Status.QUEUED, lease_expires_at=None)
            if not taken:
                continue
        if document_enqueue(document_id=document.pk):
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
