"""manage.py verify_package FILE.zip [--trust CERT ...]: the receiver's
check of a filing package, off line (documents.verification). Exit 0 when
everything verifies, 1 naming the first file that does not (an unsigned
package included), 2 on bad input (config.commands)."""

from pathlib import Path

from django.core.management.base import CommandError

from config.commands import BadInput, ProjectCommand
from documents.verification import (
    MANIFEST_SIGNATURE_NAME,
    UNSIGNED,
    PackageUnreadable,
    package_verify,
)

NOT_VERIFIED = 1


class Command(ProjectCommand):
    help = "Verify a filing package: its signed manifest, every file's hash and every document's signature."
    requires_migrated_database = False

    def add_arguments(self, parser):
        parser.add_argument("package")
        parser.add_argument(
            "--trust",
            action="append",
            metavar="CERT",
            help="a trust anchor (root certificate, PEM or DER); repeatable. "
            "Default: the JINZHI_TRUST_ANCHORS setting.",
        )

    def handle(self, *args, package, trust, **options):
        path = Path(package)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise BadInput(f"cannot read {path}: {error.strerror or error}") from None
        try:
            result = package_verify(content, trust_anchor_paths=trust)
        except PackageUnreadable as error:
            raise BadInput(f"{path}: {error}" if "ZIP" in str(error) else str(error)) from None
        if result.status == UNSIGNED:
            result.failed_file = MANIFEST_SIGNATURE_NAME
            result.problem = "the package is not signed (only the hashes were checked)"
        if not result.ok:
            raise CommandError(
                f"{path}: NOT VERIFIED: {result.failed_file}: {result.problem}",
                returncode=NOT_VERIFIED,
            )
        when = result.signed_at.isoformat() if result.signed_at else "unknown time"
        self.stdout.write(
            f"{path}: verified: {result.files_checked} files, "
            f"{len(result.documents)} signed documents, signed by {result.signer} at {when}"
        )
