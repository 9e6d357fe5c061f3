"""Recording an interference (protections.services.interference): complete and
final at once, attachments checked like case evidence, refusals change
nothing, and there is no edit or delete anywhere."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent, AuditEventType
from cases import errors as cases_errors
from protections import errors as protections_errors
from protections.models import (
    Channel,
    ImmutableRecordError,
    InterferenceAttachment,
    InterferenceEntry,
)
from protections.services.interference import (
    MAX_ATTACHMENTS,
    entry_digest,
    interference_delete,
    interference_edit,
    interference_record,
)
from tests.flows import new_events
from tests.protections.conftest import EXE, PDF, PNG, interference_input, pdf_upload

FILE_TYPE_REFUSED = cases_errors.FILE_TYPE_NOT_ACCEPTED % {
    "types": "PDF、JPEG、PNG、Word、Excel、MP4、MP3"
}

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def refused(settings, call) -> ValidationError:
    """The call is refused with a ValidationError and nothing is written."""
    entries, audit = InterferenceEntry.objects.count(), AuditEvent.objects.count()
    attachments = InterferenceAttachment.objects.count()
    files = stored_files(settings)
    with pytest.raises(ValidationError) as caught:
        call()
    assert InterferenceEntry.objects.count() == entries
    assert InterferenceAttachment.objects.count() == attachments
    assert AuditEvent.objects.count() == audit
    assert stored_files(settings) == files
    return caught.value


def test_it_records_an_entry_with_its_number_and_attachments(people):
    with new_events() as events:
        entry = interference_record(
            actor=people.officer,
            data=interference_input(),
            attachments=[pdf_upload(), pdf_upload("截图.png", PNG)],
        )
    year = timezone.localdate().year
    assert entry.number == f"泰市监干记〔{year}〕1号"
    assert entry.unit == people.unit
    assert entry.officer.user == people.officer
    assert entry.interferer_name == "赵某"
    names = [(a.original_name, a.content_type, a.size) for a in entry.attachments.all()]
    assert names == [
        ("通话录音整理.pdf", "application/pdf", len(PDF)),
        ("截图.png", "image/png", len(PNG)),
    ]
    assert entry.attachments.first().sha256 == hashlib.sha256(PDF).hexdigest()
    assert [e.event_type for e in events] == [AuditEventType.INTERFERENCE_RECORDED]
    assert events[0].case is None
    assert events[0].data["content_sha256"] == entry_digest(entry)
    assert events[0].data["attachments"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_numbers_run_per_unit_and_year(people):
    first = interference_record(actor=people.officer, data=interference_input())
    second = interference_record(actor=people.colleague, data=interference_input())
    county = interference_record(actor=people.county_officer, data=interference_input())
    assert (first.sequence, second.sequence, county.sequence) == (1, 2, 1)
    assert county.number.startswith("泰山市监干记〔")


def test_text_is_stripped(people):
    entry = interference_record(
        actor=people.officer, data=interference_input(interferer_name="  赵某  ")
    )
    assert entry.interferer_name == "赵某"


def test_a_user_without_an_officer_record_cannot_record(people):
    with pytest.raises(PermissionDenied):
        interference_record(actor=people.liaison, data=interference_input())
    assert not InterferenceEntry.objects.exists()


def test_it_refuses_a_time_in_the_future(people, settings):
    future = timezone.now() + datetime.timedelta(hours=2)
    error = refused(
        settings,
        lambda: interference_record(
            actor=people.officer, data=interference_input(occurred_at=future)
        ),
    )
    assert error.message_dict["occurred_at"] == [str(protections_errors.OCCURRED_IN_FUTURE)]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("occurred_at", None, str(protections_errors.OCCURRED_AT_MISSING)),
        ("interferer_name", "  ", str(protections_errors.INTERFERER_MISSING)),
        ("channel", "", str(protections_errors.CHANNEL_MISSING)),
        ("channel", "carrier_pigeon", str(protections_errors.CHANNEL_MISSING)),
        ("matter", "", str(protections_errors.MATTER_MISSING)),
        ("request_content", "", str(protections_errors.REQUEST_CONTENT_MISSING)),
        ("response", "", str(protections_errors.RESPONSE_MISSING)),
    ],
)
def test_it_refuses_a_missing_field(people, settings, field, value, message):
    error = refused(
        settings,
        lambda: interference_record(
            actor=people.officer, data=interference_input(**{field: value})
        ),
    )
    assert error.message_dict[field] == [message]


def test_other_channel_needs_a_description(people, settings):
    error = refused(
        settings,
        lambda: interference_record(
            actor=people.officer, data=interference_input(channel=Channel.OTHER)
        ),
    )
    assert error.message_dict["channel_detail"] == [str(protections_errors.CHANNEL_DETAIL_MISSING)]


def test_it_refuses_an_attachment_of_a_type_not_accepted(people, settings):
    error = refused(
        settings,
        lambda: interference_record(
            actor=people.officer,
            data=interference_input(),
            attachments=[pdf_upload(), pdf_upload("setup.pdf", EXE)],
        ),
    )
    assert error.message_dict["attachments"] == [f"setup.pdf：{FILE_TYPE_REFUSED}"]


def test_it_refuses_an_attachment_over_the_evidence_limit(people, settings):
    settings.EVIDENCE_MAX_BYTES = 2 * 2**20
    big = PDF + b"0" * (2 * 2**20)
    error = refused(
        settings,
        lambda: interference_record(
            actor=people.officer, data=interference_input(), attachments=[pdf_upload("大.pdf", big)]
        ),
    )
    assert error.message_dict["attachments"] == [
        "大.pdf：" + cases_errors.FILE_TOO_LARGE % {"size": "2.0", "limit": "2"}
    ]


def test_it_refuses_an_empty_attachment(people, settings):
    error = refused(
        settings,
        lambda: interference_record(
            actor=people.officer, data=interference_input(), attachments=[pdf_upload("空.pdf", b"")]
        ),
    )
    assert error.message_dict["attachments"] == [f"空.pdf：{cases_errors.FILE_EMPTY}"]


def test_it_refuses_too_many_attachments(people, settings):
    error = refused(
        settings,
        lambda: interference_record(
            actor=people.officer,
            data=interference_input(),
            attachments=[pdf_upload(f"{i}.pdf") for i in range(MAX_ATTACHMENTS + 1)],
        ),
    )
    assert error.message_dict["attachments"] == [
        protections_errors.TOO_MANY_ATTACHMENTS % {"limit": 10}
    ]


def test_attachments_are_stored_under_a_random_name(people, settings, entry):
    attachment = entry.attachments.get()
    assert "通话录音" not in attachment.file.name
    assert attachment.file.name.startswith("interference/")
    assert Path(attachment.file.path).read_bytes() == PDF


# --- immutability --------------------------------------------------------------------


def test_the_service_refuses_to_edit_or_delete(people, entry):
    with pytest.raises(ValidationError) as edit:
        interference_edit(actor=people.officer, entry=entry, response="改口")
    with pytest.raises(ValidationError) as delete:
        interference_delete(actor=people.officer, entry=entry)
    assert edit.value.messages == delete.value.messages == [str(protections_errors.ENTRY_IMMUTABLE)]
    entry.refresh_from_db()
    assert entry.response == "当场拒绝，并告知将如实记录。"


def test_saving_a_recorded_entry_raises(entry):
    entry.response = "改口"
    with pytest.raises(ImmutableRecordError):
        entry.save()
    with pytest.raises(ImmutableRecordError):
        entry.save(update_fields=["response"])
    assert InterferenceEntry.objects.get(pk=entry.pk).response == "当场拒绝，并告知将如实记录。"


def test_deleting_a_recorded_entry_raises(entry):
    with pytest.raises(ImmutableRecordError):
        entry.delete()
    with pytest.raises(ImmutableRecordError):
        InterferenceEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(ImmutableRecordError):
        InterferenceEntry.objects.filter(pk=entry.pk).update(response="改口")
    assert InterferenceEntry.objects.filter(pk=entry.pk, response__startswith="当场").exists()


def test_attachments_cannot_be_changed_or_deleted(entry):
    attachment = entry.attachments.get()
    attachment.original_name = "别的.pdf"
    with pytest.raises(ImmutableRecordError):
        attachment.save()
    with pytest.raises(ImmutableRecordError):
        attachment.delete()
    with pytest.raises(ImmutableRecordError):
        InterferenceAttachment.objects.all().delete()
    assert InterferenceAttachment.objects.get().original_name == "通话录音整理.pdf"


# --- corrections ---------------------------------------------------------------------


def test_a_correction_is_a_new_entry_naming_the_old_one(people, entry):
    with new_events() as events:
        correction = interference_record(
            actor=people.officer,
            data=interference_input(interferer_position="副总经理"),
            corrects=entry,
            correction_reason="职务记错了",
        )
    entry = InterferenceEntry.objects.get(pk=entry.pk)
    assert correction.corrects == entry
    assert entry.correction == correction
    assert correction.correction is None
    assert entry.interferer_position == "总经理"
    assert correction.correction_reason == "职务记错了"
    assert [e.event_type for e in events] == [AuditEventType.INTERFERENCE_CORRECTED]
    assert events[0].data["corrects"] == entry.number


def test_a_correction_needs_a_reason(people, entry, settings):
    error = refused(
        settings,
        lambda: interference_record(
            actor=people.officer, data=interference_input(), corrects=entry, correction_reason=" "
        ),
    )
    assert error.message_dict["correction_reason"] == [
        str(protections_errors.CORRECTION_REASON_MISSING)
    ]


def test_an_entry_is_corrected_once_and_the_chain_goes_on(people, entry, settings):
    first = interference_record(
        actor=people.officer, data=interference_input(), corrects=entry, correction_reason="一"
    )
    error = refused(
        settings,
        lambda: interference_record(
            actor=people.officer, data=interference_input(), corrects=entry, correction_reason="二"
        ),
    )
    assert error.messages == [str(protections_errors.ALREADY_CORRECTED)]
    second = interference_record(
        actor=people.officer, data=interference_input(), corrects=first, correction_reason="二"
    )
    assert [entry.pk, first.pk] == [
        InterferenceEntry.objects.get(pk=first.pk).corrects_id,
        second.corrects_id,
    ]


def test_only_the_recording_officer_corrects(people, entry):
    for actor in (people.colleague, people.reader):
        with pytest.raises(PermissionDenied):
            interference_record(
                actor=actor, data=interference_input(), corrects=entry, correction_reason="x"
            )
    assert InterferenceEntry.objects.count() == 1
