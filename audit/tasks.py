"""The daily anchor: the chain head appended to a log outside the database."""

from celery import shared_task

from audit.services import audit_anchor_append


@shared_task(name="audit.anchor_head")
def anchor_head() -> dict:
    return audit_anchor_append()
