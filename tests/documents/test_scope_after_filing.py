"""The publication scope is decided with the determination and filed with it.
Published more widely after filing, the package is re-issued as a new version
that says so, with the change as its reason, and the liaison is to be told;
a scope within the decided one changes nothing filed."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from audit.models import AuditEvent
from filing.models import FilingPackage
from filing.services.filing import liaison_notify_package_reissued
from filing.services.publication import publication_record
from tests.documents.pdf import read_pdf, text_of
from tests.documents.test_clerk_reading import _filed, _flat, _pdfs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _package_pdfs(package: FilingPackage) -> dict[str, str]:
    with package.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as z:
        files = {name: z.read(name) for name in z.namelist()}
    return {title: _flat(text_of(read_pdf(pdf))) for title, pdf in _pdfs(files).items()}


def _versions(case) -> list[int]:
    # Not through case.filing_packages: the flow's case may hold a prefetched list.
    return list(
        FilingPackage.objects.filter(case=case)
        .order_by("version")
        .values_list("version", flat=True)
    )


def test_publishing_within_the_decided_scope_leaves_the_filed_package_as_it_is():
    flow = _filed(scope="public")
    publication_record(actor=flow.staff.inspector, case=flow.case, scope="public")
    publication_record(actor=flow.staff.inspector, case=flow.case, scope="unit")
    assert _versions(flow.case) == [1]


def test_a_wider_scope_after_filing_reissues_the_package_with_the_reason():
    flow = _filed(scope="unit")
    liaison = UserFactory(
        roles=[Role.DISCIPLINE_LIAISON], discipline_body=flow.case.unit.discipline_body
    )
    UserFactory(roles=[Role.DISCIPLINE_LIAISON], discipline_body=None)  # another body's
    first = flow.case.filing_packages.get()
    assert "本决定在本单位范围内公开。" in _package_pdfs(first)["备案报告"]

    publication_record(
        actor=flow.staff.inspector,
        case=flow.case,
        scope="public",
        reason="社会关注度高，经主要负责人同意向社会公开",
    )

    second = flow.case.filing_packages.get(version=2)
    assert second.correction_reason == (
        "备案后公开范围由“在本单位范围内公开”变更为“向社会公开”，"
        "理由：社会关注度高，经主要负责人同意向社会公开"
    )
    texts = _package_pdfs(second)
    assert (
        "经集体研究决定，本决定在本单位范围内公开；备案后，本决定又向社会公开。"
        in (texts["备案报告"])
    )
    # The publication notice in the package is the public one (names masked).
    assert "公开通知" in texts
    officer_name = flow.case.subject_officers.first().officer.name
    assert officer_name not in texts["公开通知"]
    # The first version is kept as filed.
    first.refresh_from_db()
    assert "本决定在本单位范围内公开。" in _package_pdfs(first)["备案报告"]
    assert AuditEvent.objects.filter(event_type="filing_package_built", data__version=2).exists()
    # The liaisons of the package's discipline body are told of version 2.
    from cases.models import Notification

    told = Notification.objects.filter(user=liaison, kind="package_filed", params__version=2)
    assert told.count() == 1
    assert liaison_notify_package_reissued(package=second) == [liaison]


def test_a_scope_refused_changes_nothing_filed():
    flow = _filed(scope="unit")
    publication_record(actor=flow.staff.inspector, case=flow.case, scope="system")
    assert _versions(flow.case) == [1, 2]
    with pytest.raises(ValidationError):
        publication_record(actor=flow.staff.inspector, case=flow.case, scope="system")
    with pytest.raises(ValidationError):
        publication_record(actor=flow.staff.inspector, case=flow.case, scope="world")
    assert _versions(flow.case) == [1, 2]
