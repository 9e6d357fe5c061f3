"""manage.py make_demo_pki [--dir DIR]: a demo root CA and a signing
certificate for every unit, marked DEMO 演示 in their names, for the embedded
default (`make run`, seed_demo). Never for production: docs/signing.md says
how to configure real certificates. Idempotent: an existing root and unit
certificates are kept; a unit without one gets one."""

from pathlib import Path

from django.conf import settings

from accounts.models import Unit
from config.commands import BadInput, ProjectCommand
from documents import pki


class Command(ProjectCommand):
    help = "Create a DEMO root CA and a signing certificate per unit (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            help="where to write (default: the parent of JINZHI_SIGNING_DIR, "
            "with units/ and demo-root.pem in it)",
        )

    def handle(self, *args, dir=None, **options):
        if dir:
            base = Path(dir)
            units_dir = base / "units"
        elif settings.JINZHI_SIGNING_DIR:
            units_dir = Path(settings.JINZHI_SIGNING_DIR)
            base = units_dir.parent
        else:
            raise BadInput("JINZHI_SIGNING_DIR is empty: give --dir")
        if base.exists() and not base.is_dir():
            raise BadInput(f"cannot write {base}: it is not a directory")
        try:
            base.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BadInput(f"cannot write {base}: {error.strerror or error}") from None
        root = pki.root_load(base)
        if root is None:
            root = pki.root_create()
            pki.root_write(base, root)
        made = []
        for unit in Unit.objects.order_by("pk"):
            directory = units_dir / unit.abbreviation
            if (directory / pki.CERT_FILE).is_file():
                continue
            credentials = pki.unit_certificate_create(root, unit_name=unit.name)
            pki.unit_credentials_write(directory, root, credentials)
            made.append(unit.abbreviation)
        self.stdout.write(
            f"demo PKI in {base}: root {base / pki.ROOT_FILE}; "
            f"new unit certificates: {', '.join(made) or 'none'}"
        )
