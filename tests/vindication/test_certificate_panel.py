"""The no-impact certificate on the case page: offered for an officer whose
final outcome is exempt or no fault, requested as a background document,
refused for others."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from documents import errors as documents_errors
from documents.kinds import DocumentKind
from documents.models import Document
from tests.conftest import built_once_per_module, for_one_test
from tests.vindication.conftest import decide_case, make_org

pytestmark = pytest.mark.django_db

KIND = DocumentKind.NO_IMPACT_CERTIFICATE


def _request(client, flow, subject=None):
    subject = subject or flow.officer
    return client.post(reverse("vindication:certificate_request", args=[flow.case.pk, subject.pk]))


def _org_and_exempt():
    # The conftest's org, with the case of its officer.
    org = make_org()
    return org, decide_case("exempt", officer=org.officer, unit=org.city)


_org_and_exempt_built = built_once_per_module(_org_and_exempt)


@pytest.fixture
def _org_and_exempt_copy(_org_and_exempt_built, settings):
    return for_one_test(_org_and_exempt_built, settings)


@pytest.fixture
def org(_org_and_exempt_copy):
    """The conftest's org, the one of the module's exempt case."""
    return _org_and_exempt_copy[0]


@pytest.fixture
def exempt(_org_and_exempt_copy):
    return _org_and_exempt_copy[1]


def _liable_case():
    return decide_case("liable")


# Two tests start from it; built once too.
_liable_built = built_once_per_module(_liable_case)


@pytest.fixture
def liable(_liable_built, settings):
    return for_one_test(_liable_built, settings)


def test_the_case_page_offers_the_certificate_for_an_exempt_officer(client, exempt):
    client.force_login(exempt.staff.inspector)
    content = client.get(reverse("cases:detail", args=[exempt.case.pk])).content.decode()
    assert 'id="no-impact-panel"' in content
    assert f'data-testid="certificate-{exempt.officer.pk}"' in content
    assert "出具不受影响证明" in content


def test_no_panel_for_a_liable_officer(client, liable):
    flow = liable
    client.force_login(flow.staff.inspector)
    content = client.get(reverse("cases:detail", args=[flow.case.pk])).content.decode()
    assert 'id="no-impact-panel"' not in content


def test_an_inspector_requests_and_downloads_the_certificate(
    client, exempt, django_capture_on_commit_callbacks
):
    client.force_login(exempt.staff.inspector)
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, exempt)
    assert response.status_code == 302
    document = exempt.case.documents.get(kind=KIND)
    assert document.options == {"subject_officer_id": exempt.officer.pk}
    assert document.status == Document.Status.DONE, document.error
    page = client.get(reverse("cases:detail", args=[exempt.case.pk])).content.decode()
    assert f'data-testid="certificate-download-{exempt.officer.pk}"' in page
    download = client.get(reverse("cases:document_download", args=[exempt.case.pk, document.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(event_type="document_downloaded", case=exempt.case).exists()


def test_the_panel_polls_while_the_certificate_renders(client, exempt):
    client.force_login(exempt.staff.inspector)
    _request(client, exempt)  # on_commit not run: the job stays queued
    partial = client.get(reverse("vindication:case_certificates", args=[exempt.case.pk]))
    assert partial.status_code == 200
    assert 'hx-trigger="every 2s"' in partial.content.decode()
    # A second request while it is queued is refused, adding nothing.
    count = exempt.case.documents.count()
    response = _request(client, exempt)
    assert response.status_code == 302
    assert exempt.case.documents.count() == count


@pytest.mark.parametrize("who", ["leader", "chair"])
def test_leadership_may_request(client, org, exempt, who):
    client.force_login(getattr(org, who))
    _request(client, exempt)
    assert exempt.case.documents.filter(kind=KIND, requested_by=getattr(org, who)).exists()


def test_the_officer_concerned_who_takes_no_part_in_the_case_reads_it_not(client, org, exempt):
    # Need-to-know (docs/access.md): the officer concerned is no participant
    # of the case about them, so they neither open it nor request from it; the
    # case office, the leadership or the personnel role requests for them.
    client.force_login(org.officer_user)
    assert client.get(reverse("cases:detail", args=[exempt.case.pk])).status_code == 404
    assert _request(client, exempt).status_code == 404
    assert not exempt.case.documents.filter(kind=KIND, requested_by=org.officer_user).exists()


@pytest.mark.parametrize("who", ["expert", "personnel"])
def test_an_expert_off_the_panel_and_personnel_read_no_case_and_may_not(client, org, exempt, who):
    # Need-to-know: an expert reads only the cases of their panels; the
    # personnel role works through the personnel query.
    client.force_login(getattr(org, who))
    assert client.get(reverse("cases:detail", args=[exempt.case.pk])).status_code == 404
    assert _request(client, exempt).status_code == 404
    assert not exempt.case.documents.filter(kind=KIND).exists()


def test_a_user_of_another_unit_gets_404(client, org, exempt):
    client.force_login(org.other_leader)
    assert _request(client, exempt).status_code == 404
    response = client.get(reverse("vindication:case_certificates", args=[exempt.case.pk]))
    assert response.status_code == 404
    assert not exempt.case.documents.filter(kind=KIND).exists()


def test_a_liable_officer_is_refused_with_the_reason(client, liable):
    flow = liable
    client.force_login(flow.staff.inspector)
    count = AuditEvent.objects.count()
    response = client.post(
        reverse("vindication:certificate_request", args=[flow.case.pk, flow.officer.pk]),
        follow=True,
    )
    reason = documents_errors.CERTIFICATE_NOT_NO_LIABILITY % {
        "name": flow.officer.officer.name,
        "outcome": "追究责任",
    }
    assert reason in response.content.decode()
    assert not flow.case.documents.filter(kind=KIND).exists()
    assert AuditEvent.objects.count() == count


def test_a_request_is_post_only(client, exempt):
    client.force_login(exempt.staff.inspector)
    url = reverse("vindication:certificate_request", args=[exempt.case.pk, exempt.officer.pk])
    assert client.get(url).status_code == 405


def test_a_subject_of_another_case_is_404(client, exempt, decided):
    other = decided("exempt", unit=exempt.case.unit)
    client.force_login(exempt.staff.inspector)
    response = client.post(
        reverse("vindication:certificate_request", args=[exempt.case.pk, other.officer.pk])
    )
    assert response.status_code == 404


def test_the_panel_reads_what_the_case_page_prefetched(org, decided, django_assert_num_queries):
    from cases.selectors import case_detail
    from vindication.templatetags.vindication_tags import certificate_panel_context

    flow = decided("exempt", unit=org.city)
    case = case_detail(flow.case.pk)
    certificate_panel_context(case, org.leader)  # the user's roles and units, cached
    with django_assert_num_queries(0):
        rows = certificate_panel_context(case, org.leader)["rows"]
    assert [row.subject_officer.pk for row in rows] == [flow.officer.pk]
