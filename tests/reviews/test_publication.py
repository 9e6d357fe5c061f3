"""Publication of a no-liability decision within a scope (Tai'an art. 9):
the first publication makes the publish move in the same transaction, later
ones add scopes without another move; filing comes first where the
regulation says so; a notice is withdrawn, never deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from audit.models import AuditEventType as E
from cases.workflow import CaseState
from documents.models import Document
from filing import errors as filing_errors
from filing.services.publication import publication_record, publication_withdraw
from tests.conftest import built_once_per_module, for_one_test
from tests.documents.pdf import read_pdf, text_of
from tests.flows import (
    event_types,
    lianyungang_case_at,
    new_events,
    nothing_changes,
    taian_case_at,
)

pytestmark = pytest.mark.django_db

FILE_FIRST = "不予追究责任的决定须先报同级纪检监察机关备案，再公开。"
NOTHING_TO_PUBLISH = "本案没有不予追究责任的决定，无需公开。"


def _publish_moves(case) -> int:
    return AuditEvent.objects.filter(
        case=case, event_type=E.CASE_TRANSITIONED, data__transition="publish"
    ).count()


def _filed_case():
    return taian_case_at(CaseState.FILED)


_filed_built = built_once_per_module(_filed_case)


@pytest.fixture
def filed(_filed_built, settings):
    return for_one_test(_filed_built, settings)


@pytest.mark.parametrize("scope", ["unit", "system", "public"])
def test_the_first_publication_publishes_the_case(filed, scope):
    with new_events() as events:
        publication = publication_record(actor=filed.staff.inspector, case=filed.case, scope=scope)
    assert filed.state == CaseState.PUBLISHED
    # Wider than the scope decided and filed (the unit): the filing package
    # is re-issued to say so (tests/documents/test_scope_after_filing.py).
    reissued = [E.FILING_PACKAGE_BUILT] if scope != "unit" else []
    assert event_types(events) == [
        E.CASE_TRANSITIONED,
        E.DOCUMENT_REQUESTED,
        E.PUBLICATION_RECORDED,
        *reissued,
    ]
    assert events[0].data["transition"] == "publish"
    assert (publication.scope, publication.published_by) == (scope, filed.staff.inspector)
    assert publication.notice.kind == "publication_notice"
    assert publication.notice.options == {"scope": scope}
    # Only a public notice keeps the redacted content for the public page.
    assert bool(publication.public_notice) is (scope == "public")


def test_another_scope_is_added_without_a_second_move(filed):
    publication_record(actor=filed.staff.inspector, case=filed.case, scope="unit")
    with new_events() as events:
        publication_record(actor=filed.staff.inspector, case=filed.case, scope="public")
    assert event_types(events) == [
        E.DOCUMENT_REQUESTED,
        E.PUBLICATION_RECORDED,
        E.FILING_PACKAGE_BUILT,  # wider than filed: the package re-issued
    ]
    assert _publish_moves(filed.case) == 1
    assert filed.state == CaseState.PUBLISHED
    assert sorted(filed.case.publications.values_list("scope", flat=True)) == ["public", "unit"]


def test_a_scope_in_force_is_not_published_twice(filed):
    publication_record(actor=filed.staff.inspector, case=filed.case, scope="system")
    with nothing_changes(filed.case), pytest.raises(ValidationError) as refused:
        publication_record(actor=filed.staff.inspector, case=filed.case, scope="system")
    assert refused.value.message_dict == {
        "scope": [filing_errors.ALREADY_PUBLISHED_IN_SCOPE % {"phrase": "在本系统范围内公开"}]
    }
    assert filed.case.publications.count() == 1


def test_a_taian_decision_is_filed_before_it_is_published():
    flow = taian_case_at(CaseState.DECIDED)
    # The one issued with the decision, in the scope voted on; no other.
    notices = list(
        flow.case.documents.filter(kind="publication_notice").values_list("pk", flat=True)
    )
    assert len(notices) == 1
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        publication_record(actor=flow.staff.inspector, case=flow.case, scope="unit")
    assert refused.value.messages == [FILE_FIRST]
    assert not flow.case.publications.exists()
    assert (
        list(flow.case.documents.filter(kind="publication_notice").values_list("pk", flat=True))
        == notices
    )


def test_a_decision_without_no_liability_is_not_published():
    flow = lianyungang_case_at(CaseState.DECIDED)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        publication_record(actor=flow.staff.inspector, case=flow.case, scope="public")
    assert refused.value.messages == [NOTHING_TO_PUBLISH]
    assert not flow.case.publications.exists()


def test_a_closed_case_is_not_published_again():
    flow = taian_case_at(CaseState.CLOSED)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        publication_record(actor=flow.staff.inspector, case=flow.case, scope="public")
    assert refused.value.messages == [filing_errors.PUBLISH_NOT_IN_STATE % {"state": "已结案"}]


def test_an_unknown_scope_is_refused(filed):
    with nothing_changes(filed.case), pytest.raises(ValidationError) as refused:
        publication_record(actor=filed.staff.inspector, case=filed.case, scope="world")
    assert refused.value.message_dict == {"scope": [str(filing_errors.SCOPE_MISSING)]}


def test_only_the_inspector_publishes(filed):
    for actor in (filed.staff.investigator, filed.staff.chair):
        with nothing_changes(filed.case), pytest.raises(PermissionDenied):
            publication_record(actor=actor, case=filed.case, scope="unit")


@pytest.mark.real_pdf  # reads the PDF's text
def test_the_notice_is_rendered_for_its_scope(filed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        unit = publication_record(actor=filed.staff.inspector, case=filed.case, scope="unit")
        public = publication_record(actor=filed.staff.inspector, case=filed.case, scope="public")
    unit_text = "".join(
        text_of(read_pdf(Document.objects.get(pk=unit.notice_id).file.read())).split()
    )
    public_text = "".join(
        text_of(read_pdf(Document.objects.get(pk=public.notice_id).file.read())).split()
    )
    assert "在本单位范围内公开" in unit_text and "张执法" in unit_text
    assert "向社会公开" in public_text and "张某" in public_text
    assert "张执法" not in public_text


# --- withdrawal ------------------------------------------------------------------------------


def test_a_withdrawal_is_recorded_not_deleted(filed):
    publication = publication_record(actor=filed.staff.inspector, case=filed.case, scope="public")
    with new_events() as events:
        publication_withdraw(
            actor=filed.staff.inspector,
            publication=publication,
            reason="通知内容有误，更正后重新公开。",
        )
    assert event_types(events) == [E.PUBLICATION_WITHDRAWN]
    publication.refresh_from_db()
    assert publication.is_withdrawn
    assert publication.withdrawn_by == filed.staff.inspector
    assert publication.withdrawal_reason == "通知内容有误，更正后重新公开。"
    assert filed.state == CaseState.PUBLISHED  # the case stays published
    # Withdrawn, the scope may be published again; the old row stays.
    publication_record(actor=filed.staff.inspector, case=filed.case, scope="public")
    assert filed.case.publications.filter(scope="public").count() == 2
    assert _publish_moves(filed.case) == 1


def test_a_withdrawal_needs_a_reason_and_happens_once(filed):
    publication = publication_record(actor=filed.staff.inspector, case=filed.case, scope="unit")
    with nothing_changes(filed.case), pytest.raises(ValidationError) as refused:
        publication_withdraw(actor=filed.staff.inspector, publication=publication, reason=" ")
    assert refused.value.message_dict == {"reason": [str(filing_errors.WITHDRAWAL_REASON_MISSING)]}
    publication_withdraw(actor=filed.staff.inspector, publication=publication, reason="有误")
    with nothing_changes(filed.case), pytest.raises(ValidationError) as refused:
        publication_withdraw(actor=filed.staff.inspector, publication=publication, reason="再撤")
    assert refused.value.messages == [str(filing_errors.ALREADY_WITHDRAWN)]
    with nothing_changes(filed.case), pytest.raises(PermissionDenied):
        publication_withdraw(actor=filed.staff.investigator, publication=publication, reason="x")


# --- the case page ---------------------------------------------------------------------------


def test_the_case_page_offers_the_scope_form_instead_of_the_bare_button(client, filed):
    client.force_login(filed.staff.inspector)
    content = client.get(reverse("cases:detail", args=[filed.case.pk])).content.decode()
    assert 'data-testid="publication-form"' in content
    assert reverse("filing:publication_create", args=[filed.case.pk]) in content
    assert reverse("cases:transition", args=[filed.case.pk, "publish"]) not in content
    assert "公开范围" in content and 'value="public"' in content


def test_the_case_page_says_why_publishing_waits(client):
    flow = taian_case_at(CaseState.DECIDED)
    client.force_login(flow.staff.inspector)
    content = client.get(reverse("cases:detail", args=[flow.case.pk])).content.decode()
    assert 'data-testid="refusal-publish"' in content
    assert FILE_FIRST in content


def test_publishing_from_the_page(client, filed):
    client.force_login(filed.staff.inspector)
    url = reverse("filing:publication_create", args=[filed.case.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"scope": "public", "confirm": "1"}, follow=True)
    content = response.content.decode()
    assert "不予追究责任的决定已向社会公开。案件已进入“已公开”阶段。" in content
    assert 'data-testid="publication-public"' in content
    assert "增加公开范围" in content
    publication = filed.case.publications.get()
    assert reverse("public:notice", args=[publication.pk]) in content


def test_a_refusal_is_shown_on_the_case_page(client):
    flow = taian_case_at(CaseState.DECIDED)
    client.force_login(flow.staff.inspector)
    response = client.post(
        reverse("filing:publication_create", args=[flow.case.pk]),
        {"scope": "unit", "confirm": "1"},
        follow=True,
    )
    assert FILE_FIRST in response.content.decode()
    assert not flow.case.publications.exists()


def test_withdrawing_from_the_page(client, filed):
    publication = publication_record(actor=filed.staff.inspector, case=filed.case, scope="unit")
    client.force_login(filed.staff.inspector)
    url = reverse("filing:publication_withdraw", args=[filed.case.pk, publication.pk])
    assert client.post(url, {"reason": ""}).status_code == 302
    assert not filed.case.publications.get().is_withdrawn
    response = client.post(url, {"reason": "范围有误"}, follow=True)
    content = response.content.decode()
    assert "已撤回" in content and "范围有误" in content
    assert filed.case.publications.get().is_withdrawn


def test_others_may_not_publish_or_withdraw(client, filed):
    publication = publication_record(actor=filed.staff.inspector, case=filed.case, scope="unit")
    client.force_login(filed.staff.investigator)
    create = reverse("filing:publication_create", args=[filed.case.pk])
    withdraw = reverse("filing:publication_withdraw", args=[filed.case.pk, publication.pk])
    assert client.post(create, {"scope": "system"}).status_code == 403
    assert client.post(withdraw, {"reason": "x"}).status_code == 403
    content = client.get(reverse("cases:detail", args=[filed.case.pk])).content.decode()
    assert "撤回公开" not in content
    assert filed.case.publications.count() == 1 and not filed.case.publications.get().is_withdrawn
