from celery import shared_task

from documents.services import document_render, documents_requeue_stuck


@shared_task(
    name="documents.render_document",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def render_document(document_id: int) -> str:
    document = document_render(document_id=document_id)
    return document.status if document else "missing"


@shared_task(name="documents.requeue_stuck")
def requeue_stuck_documents() -> int:
    """Run by celery beat: jobs stuck queued or running are queued again."""
    return documents_requeue_stuck()
