"""Every filing package's manifest carries the audit head at filing: an anchor
of the chain outside the database, in the discipline body's hands."""

import io
import json
import zipfile

import pytest

from audit.models import AuditEvent, AuditEventType
from filing.models import FilingPackage
from tests.flows import taian_case_at

pytestmark = pytest.mark.django_db


def test_the_manifest_carries_the_audit_head_at_filing():
    flow = taian_case_at("filed")
    package = FilingPackage.objects.get(case=flow.case)
    archive = zipfile.ZipFile(io.BytesIO(package.file.open("rb").read()))
    head = json.loads(archive.read("manifest.json"))["audit_head"]
    built = AuditEvent.objects.get(event_type=AuditEventType.FILING_PACKAGE_BUILT)
    # The head as it stood while the package was built, just before its own event.
    anchored = AuditEvent.objects.get(sequence=head["sequence"])
    assert head["sequence"] == built.sequence - 1
    assert head["hash"] == anchored.hash
    assert package.manifest["audit_head"] == head
