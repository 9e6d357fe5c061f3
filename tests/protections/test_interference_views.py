"""The register's pages: recording through the form (with attachments), the
form's refusals, corrections, and linking an entry to a case, which then
shows on the case page to those who may see the entry and to no one else."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent, AuditEventType
from cases import errors as cases_errors
from protections import errors as protections_errors
from protections.models import InterferenceAttachment, InterferenceCaseLink, InterferenceEntry
from protections.services.interference import interference_record
from protections.services.protection import protection_request_file
from tests.factories import CaseFactory
from tests.flows import new_events
from tests.protections.conftest import (
    EXE,
    PNG,
    interference_input,
    pdf_upload,
    protection_input,
)

FILE_TYPE_REFUSED = cases_errors.FILE_TYPE_NOT_ACCEPTED % {
    "types": "PDF、JPEG、PNG、Word、Excel、MP4、MP3"
}

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    when = timezone.localtime(timezone.now() - datetime.timedelta(days=1))
    data = {
        "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
        "interferer_name": "赵某",
        "interferer_unit": "某商贸有限公司",
        "interferer_position": "总经理",
        "channel": "phone",
        "channel_detail": "",
        "matter": "某食品店涉嫌销售过期食品案",
        "request_content": "要求不予立案。",
        "response": "当场拒绝。",
    }
    data.update(overrides)
    return data


@pytest.fixture
def officer_client(client, people):
    client.force_login(people.officer)
    return client


def test_the_form_has_a_label_for_every_field(officer_client):
    response = officer_client.get(reverse("protections:interference_create"))
    content = response.content.decode()
    for name in response.context["form"].fields:
        assert f'for="id_{name}"' in content, name


def test_an_officer_records_an_entry_with_attachments(officer_client, people):
    data = form_data(attachments=[pdf_upload(), pdf_upload("截图.png", PNG)])
    response = officer_client.post(reverse("protections:interference_create"), data)
    entry = InterferenceEntry.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("protections:interference_detail", args=[entry.pk])
    assert entry.attachments.count() == 2
    page = officer_client.get(response.url).content.decode()
    assert entry.number in page
    assert "截图.png" in page
    assert "更正本记录" in page


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {
                "occurred_at": (timezone.now() + datetime.timedelta(days=2)).strftime(
                    "%Y-%m-%dT%H:%M"
                )
            },
            "occurred_at",
            str(protections_errors.OCCURRED_IN_FUTURE),
        ),
        ({"interferer_name": ""}, "interferer_name", "这个字段是必填项。"),
        ({"response": ""}, "response", "这个字段是必填项。"),
        ({"channel": "other"}, "channel_detail", str(protections_errors.CHANNEL_DETAIL_MISSING)),
        (
            {"attachments": [pdf_upload("setup.pdf", EXE)]},
            "attachments",
            f"setup.pdf：{FILE_TYPE_REFUSED}",
        ),
    ],
)
def test_the_form_refuses_bad_input_and_changes_nothing(officer_client, overrides, field, message):
    count = AuditEvent.objects.count()
    response = officer_client.post(
        reverse("protections:interference_create"), form_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert not InterferenceEntry.objects.exists()
    assert not InterferenceAttachment.objects.exists()
    assert AuditEvent.objects.count() == count


@pytest.mark.parametrize("who", ["liaison", "reader", "admin", "inspector"])
def test_only_officers_may_record(client, people, who):
    client.force_login(getattr(people, who))
    assert client.get(reverse("protections:interference_create")).status_code == 403
    assert client.post(reverse("protections:interference_create"), form_data()).status_code == 403
    assert not InterferenceEntry.objects.exists()


# --- corrections ----------------------------------------------------------------------


def test_the_correction_form_starts_from_the_entry(officer_client, entry):
    response = officer_client.get(
        reverse("protections:interference_create") + f"?corrects={entry.pk}"
    )
    assert response.status_code == 200
    assert response.context["form"].initial["interferer_name"] == "赵某"
    assert "更正理由" in response.content.decode()


def test_a_correction_marks_the_old_entry_corrected_with_a_link(officer_client, entry):
    response = officer_client.post(
        reverse("protections:interference_create") + f"?corrects={entry.pk}",
        form_data(interferer_position="副总经理", correction_reason="职务记错了"),
    )
    correction = InterferenceEntry.objects.get(corrects=entry)
    assert response.url == reverse("protections:interference_detail", args=[correction.pk])
    old_page = officer_client.get(
        reverse("protections:interference_detail", args=[entry.pk])
    ).content.decode()
    assert "已更正" in old_page
    assert reverse("protections:interference_detail", args=[correction.pk]) in old_page
    assert "更正本记录" not in old_page
    new_page = officer_client.get(response.url).content.decode()
    assert entry.number in new_page
    assert "职务记错了" in new_page
    listing = officer_client.get(reverse("protections:interference_list")).content.decode()
    assert "已更正" in listing


def test_a_correction_without_a_reason_is_refused(officer_client, entry):
    response = officer_client.post(
        reverse("protections:interference_create") + f"?corrects={entry.pk}", form_data()
    )
    assert response.status_code == 200
    assert "correction_reason" in response.context["form"].errors
    assert InterferenceEntry.objects.count() == 1


def test_correcting_a_corrected_entry_sends_to_the_correction(officer_client, people, entry):
    correction = interference_record(
        actor=people.officer, data=interference_input(), corrects=entry, correction_reason="一"
    )
    response = officer_client.get(
        reverse("protections:interference_create") + f"?corrects={entry.pk}"
    )
    assert response.url == reverse("protections:interference_detail", args=[correction.pk])


def test_a_colleague_cannot_correct(client, people, entry):
    client.force_login(people.colleague)
    response = client.get(reverse("protections:interference_create") + f"?corrects={entry.pk}")
    assert response.status_code == 404


def test_a_reader_sees_but_cannot_correct(client, people, entry):
    client.force_login(people.reader)
    response = client.get(reverse("protections:interference_create") + f"?corrects={entry.pk}")
    assert response.status_code == 403


# --- linking to a case ----------------------------------------------------------------


@pytest.fixture
def case(people):
    # The officer who recorded the interference investigates the case (a
    # participant: need-to-know reads, docs/access.md).
    people.officer.groups.add(Group.objects.get_or_create(name=Role.INVESTIGATOR)[0])
    return CaseFactory(
        unit=people.unit, created_by=people.inspector, lead_investigator=people.officer
    )


def link(client, entry, number):
    return client.post(
        reverse("protections:interference_link", args=[entry.pk]), {"case_number": number}
    )


def test_the_officer_links_an_entry_to_a_case(officer_client, entry, case):
    with new_events() as events:
        response = link(officer_client, entry, case.number)
    assert response.status_code == 302
    assert InterferenceCaseLink.objects.get().case == case
    assert [e.event_type for e in events] == [AuditEventType.INTERFERENCE_CASE_LINKED]
    # Not on the case's timeline, which everyone on the case sees.
    assert events[0].case is None


def test_a_designated_reader_may_link(client, people, entry, case):
    client.force_login(people.reader)
    link(client, entry, case.number)
    assert InterferenceCaseLink.objects.filter(entry=entry, case=case).exists()


@pytest.mark.parametrize("who, status", [("liaison", 403), ("colleague", 404)])
def test_others_may_not_link(client, people, entry, case, who, status):
    client.force_login(getattr(people, who))
    assert link(client, entry, case.number).status_code == status
    assert not InterferenceCaseLink.objects.exists()


def test_linking_an_unknown_or_invisible_case_is_refused(officer_client, people, entry):
    hidden = CaseFactory(unit=people.other_unit)
    for number in ("不存在〔2026〕1号", hidden.number):
        response = link(officer_client, entry, number)
        assert response.status_code == 302
    assert not InterferenceCaseLink.objects.exists()
    page = officer_client.get(response.url).content.decode()
    assert str(protections_errors.CASE_NOT_FOUND) in page


def test_linking_twice_is_harmless(officer_client, entry, case):
    link(officer_client, entry, case.number)
    response = link(officer_client, entry, case.number)
    assert InterferenceCaseLink.objects.count() == 1
    assert (
        str(protections_errors.ALREADY_LINKED) in officer_client.get(response.url).content.decode()
    )


def test_linking_needs_post(officer_client, entry):
    response = officer_client.get(reverse("protections:interference_link", args=[entry.pk]))
    assert response.status_code == 405


# The liaison reads the register, not the case page (need-to-know: docs/access.md).
@pytest.mark.parametrize("who", ["officer", "reader"])
def test_the_case_page_shows_the_entry_to_those_who_may_see_it(client, people, entry, case, who):
    InterferenceCaseLink.objects.create(entry=entry, case=case, linked_by=people.officer)
    client.force_login(getattr(people, who))
    content = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="interference-panel"' in content
    assert entry.number in content


@pytest.mark.parametrize("who", ["inspector", "leader"])
def test_the_case_page_hides_the_entry_from_others_on_the_case(client, people, entry, case, who):
    InterferenceCaseLink.objects.create(entry=entry, case=case, linked_by=people.officer)
    client.force_login(getattr(people, who))
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="interference-panel"' not in content
    assert entry.number not in content


def test_the_case_page_shows_a_corrected_entry_as_corrected(client, people, entry, case):
    InterferenceCaseLink.objects.create(entry=entry, case=case, linked_by=people.officer)
    interference_record(
        actor=people.officer, data=interference_input(), corrects=entry, correction_reason="一"
    )
    client.force_login(people.officer)
    content = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    panel = content[content.index('data-testid="interference-panel"') :]
    assert "已更正" in panel[: panel.index("</section>")]


def test_unlinking_removes_it_from_the_case_page(officer_client, people, entry, case):
    InterferenceCaseLink.objects.create(entry=entry, case=case, linked_by=people.officer)
    with new_events() as events:
        officer_client.post(reverse("protections:interference_unlink", args=[entry.pk, case.pk]))
    assert not InterferenceCaseLink.objects.exists()
    assert [e.event_type for e in events] == [AuditEventType.INTERFERENCE_CASE_UNLINKED]
    content = officer_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="interference-panel"' not in content


def _queries_for_list(client, django_assert_max_num_queries, url) -> int:
    with django_assert_max_num_queries(100) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_register_list_runs_a_fixed_number_of_queries(
    client, people, django_assert_max_num_queries
):
    client.force_login(people.liaison)
    url = reverse("protections:interference_list")
    counts = []
    for batch in (1, 12):
        for _ in range(batch):
            interference_record(
                actor=people.officer, data=interference_input(), attachments=[pdf_upload()]
            )
        counts.append(_queries_for_list(client, django_assert_max_num_queries, url))
    assert counts[0] == counts[1]


def test_the_request_list_runs_a_fixed_number_of_queries(
    client, people, django_assert_max_num_queries
):
    client.force_login(people.handler)
    url = reverse("protections:protection_list")
    counts = []
    for batch in (1, 12):
        for _ in range(batch):
            protection_request_file(actor=people.officer, data=protection_input())
        counts.append(_queries_for_list(client, django_assert_max_num_queries, url))
    assert counts[0] == counts[1]
