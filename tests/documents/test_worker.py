"""The whole path on the real parts: PostgreSQL, Redis, a Celery worker
process and WeasyPrint."""

import time

import pytest

from cases.services.intake import SubjectOfficerInput, case_create
from cases.services.transitions import case_transition
from documents.models import Document
from tests.cases.test_case_create import INCIDENT
from tests.documents.pdf import fonts_of, page_size_mm, read_pdf, text_of
from tests.worker import running_worker, worker_unavailable_reason


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_intake_form(inspector, unit, officers, settings):
    reason = worker_unavailable_reason()
    if reason:
        pytest.skip(reason)
    with running_worker(settings.MEDIA_ROOT):
        draft = case_create(
            actor=inspector,
            unit=unit,
            incident=INCIDENT,
            subject_officers=[SubjectOfficerInput(officer=officers[0], part="handler")],
        )
        # Registering queues the intake form for the worker.
        case = case_transition(actor=inspector, case_id=draft.pk, name="register")
        document = Document.objects.get(case=case)
        deadline = time.monotonic() + 60
        while not document.is_finished and time.monotonic() < deadline:
            time.sleep(0.2)
            document.refresh_from_db()

    assert document.status == Document.Status.DONE, document.error
    assert document.attempts == 1
    reader = read_pdf(document.file.read())
    width, height = page_size_mm(reader)
    assert round(width) == 210 and round(height) == 297
    assert case.number in text_of(reader).replace(" ", "")
    assert all(font.embedded and font.subset for font in fonts_of(reader))
