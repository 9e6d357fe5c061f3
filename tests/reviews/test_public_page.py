"""The public page: decisions published to the public, readable without a
login, showing nothing personal — no name, certificate number, phone, ID
number or e-mail address, whoever typed them into the free text — and
nothing of the other scopes or of withdrawn notices."""

import pytest
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Officer
from accounts.roles import Role
from cases.models import Case
from cases.workflow import CaseState
from deliberation.models import Determination
from documents.builders.decision import publication_notice_context
from filing.models import Publication
from filing.services.publication import publication_record, publication_withdraw
from tests.conftest import built_once_per_module, for_one_test
from tests.documents.pdf import read_pdf, text_of
from tests.factories import CaseFactory, OfficerFactory, UserFactory
from tests.flows import taian_case_at

pytestmark = pytest.mark.django_db

NAME = "欧阳翠花"
CERTIFICATE = "ZX20269876"
COLLEAGUE = "司马青衫"
COLLEAGUE_CERTIFICATE = "SM37095555"
MOBILE = "13912345678"
SPACED_MOBILE = "139 8765 4321"
RESIDENT_ID = "37090219800101123X"
LANDLINE = "0538-8123456"
EMAIL = "cuihua.ouyang@example.com"
ACCOUNT = "6222021234567890123"
SECRETS = (
    NAME,
    CERTIFICATE,
    COLLEAGUE,
    COLLEAGUE_CERTIFICATE,
    MOBILE,
    "13987654321",
    RESIDENT_ID,
    LANDLINE,
    "8123456",
    EMAIL,
    ACCOUNT,
    "赵局长",  # the chair, a user of the unit
    "科员",  # the officer's post
)


def _flat(text: str) -> str:
    return "".join(text.split())


def _leaks(text: str) -> list[str]:
    flat = _flat(text)
    return [secret for secret in SECRETS if _flat(secret) in flat]


def _published_case():
    """A filed Tai'an case whose officer and free text carry distinctive
    personal data, published to the public (the notice rendered)."""
    flow = taian_case_at(CaseState.FILED)
    case = flow.case
    Officer.objects.filter(pk=flow.officer.officer_id).update(
        name=NAME, certificate_number=CERTIFICATE
    )
    OfficerFactory(unit=case.unit, name=COLLEAGUE, certificate_number=COLLEAGUE_CERTIFICATE)
    Case.objects.filter(pk=case.pk).update(
        incident_place=f"泰安市泰山区（举报人电话{MOBILE}）",
        incident_summary=(
            f"举报人联系电话{MOBILE}，身份证号{RESIDENT_ID}，座机{LANDLINE}，邮箱{EMAIL}。"
            f"执法人员{NAME}（执法证号{CERTIFICATE}）与{COLLEAGUE}（{COLLEAGUE_CERTIFICATE}）"
            f"按计划检查，经赵局长批准。"
        ),
    )
    Determination.objects.filter(case=case).update(
        reasons=f"{NAME}已按计划检查；当事人电话{SPACED_MOBILE}，退款账户{ACCOUNT}。"
    )
    flow.reload()
    with TestCase.captureOnCommitCallbacks(execute=True):
        publication = publication_record(actor=flow.staff.inspector, case=case, scope="public")
    flow.publication = publication
    return flow


# Real PDFs: a test reads the notice.
_published_built = built_once_per_module(_published_case, real_pdf=True)


@pytest.fixture
def published(_published_built, settings):
    return for_one_test(_published_built, settings)


def test_the_public_pages_need_no_login(client, published):
    publication = published.publication
    for url in (
        reverse("public:notices"),
        reverse("public:notice", args=[publication.pk]),
        reverse("public:notice_pdf", args=[publication.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_public_list_and_detail_show_no_personal_data(client, published):
    publication = published.publication
    listing = client.get(reverse("public:notices")).content.decode()
    assert published.case.number in listing
    assert _leaks(listing) == []
    detail = client.get(reverse("public:notice", args=[publication.pk])).content.decode()
    assert _leaks(detail) == []
    # What is shown instead: the masked name, the outcome, the masked data.
    assert "欧阳某" in detail
    assert "不予追究责任" in detail
    assert "*" * len(MOBILE) in detail


@pytest.mark.real_pdf  # reads the PDF's text
def test_the_public_pdf_shows_no_personal_data(client, published):
    response = client.get(reverse("public:notice_pdf", args=[published.publication.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = text_of(read_pdf(b"".join(response.streaming_content)))
    assert _leaks(text) == []
    assert "欧阳某" in _flat(text)
    assert "向社会公开" in _flat(text)
    # The check would catch them: the unit's own notice carries them all.
    unit_notice = publication_notice_context(published.case, scope="unit")
    assert MOBILE in unit_notice["incident_summary"] and NAME in unit_notice["officers"][0].name


def test_the_case_page_still_shows_the_full_data_to_the_bureau(client, published):
    client.force_login(published.staff.inspector)
    content = client.get(reverse("cases:detail", args=[published.case.pk])).content.decode()
    assert NAME in content and CERTIFICATE in content


def test_other_scopes_never_appear_publicly(client, published):
    inspector = published.staff.inspector
    others = [
        publication_record(actor=inspector, case=published.case, scope=scope)
        for scope in ("unit", "system")
    ]
    listing = client.get(reverse("public:notices")).content.decode()
    assert listing.count(reverse("public:notice", args=[published.publication.pk])) == 1
    for publication in others:
        assert reverse("public:notice", args=[publication.pk]) not in listing
        assert client.get(reverse("public:notice", args=[publication.pk])).status_code == 404
        assert client.get(reverse("public:notice_pdf", args=[publication.pk])).status_code == 404


def test_a_withdrawn_notice_leaves_the_public_page(client, published):
    publication = published.publication
    publication_withdraw(actor=published.staff.inspector, publication=publication, reason="有误")
    listing = client.get(reverse("public:notices")).content.decode()
    assert reverse("public:notice", args=[publication.pk]) not in listing
    assert "暂无公开的决定。" in listing
    assert client.get(reverse("public:notice", args=[publication.pk])).status_code == 404
    assert client.get(reverse("public:notice_pdf", args=[publication.pk])).status_code == 404
    # The case page shows it withdrawn.
    client.force_login(published.staff.inspector)
    content = client.get(reverse("cases:detail", args=[published.case.pk])).content.decode()
    assert f'data-testid="withdrawn-{publication.pk}"' in content


def test_the_public_list_is_paginated_with_a_fixed_number_of_queries(
    client, unit, django_assert_num_queries
):
    user = UserFactory(units=[unit], roles=[Role.INSPECTOR])

    def publish(n):
        for _ in range(n):
            Publication.objects.create(
                case=CaseFactory(unit=unit),
                scope="public",
                published_by=user,
                public_notice={"title": "关于某案件处理结果的公开通知", "unit": unit.name},
            )

    publish(2)
    with django_assert_num_queries(2) as first:  # session-less: count and page
        client.get(reverse("public:notices"))
    publish(25)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(reverse("public:notices"))
    assert len(response.context["page"].object_list) == 20


def _public_routes(patterns, publication_id, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _public_routes(
                pattern.url_patterns, publication_id, prefix + str(pattern.pattern)
            )
        elif isinstance(pattern, URLPattern) and prefix.startswith("public/"):
            route = prefix + str(pattern.pattern)
            yield "/" + route.replace("<int:publication_id>", str(publication_id))


def test_every_public_route_answers_without_a_login(client, published):
    # The module's notice, not a guessed id: its PDF lies in the module's
    # folder, and a guessed id may be that notice.
    routes = list(_public_routes(get_resolver().url_patterns, published.publication.pk))
    assert len(routes) == 3
    for route in routes:
        response = client.get(route)
        assert response.status_code in (200, 404), route
        assert not response.get("Location", "").startswith("/accounts/login/"), route


def test_the_public_pages_take_no_post(client, published):
    assert client.post(reverse("public:notices")).status_code == 405
