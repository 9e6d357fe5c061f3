"""A test PKI: a root and a unit certificate written where the settings look
(JINZHI_SIGNING_DIR/<机关代字>/, JINZHI_TRUST_ANCHORS), and another root
whose keys play the forger."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from documents import pki


@dataclass
class TestPki:
    base: Path
    root: pki.Issuer
    root_path: Path

    @property
    def units_dir(self) -> Path:
        return self.base / "units"

    def issue(self, unit) -> pki.Issuer:
        credentials = pki.unit_certificate_create(self.root, unit_name=unit.name)
        pki.unit_credentials_write(self.units_dir / unit.abbreviation, self.root, credentials)
        return credentials


def make_pki(base: Path) -> TestPki:
    root = pki.root_create()
    pki.root_write(base, root)
    return TestPki(base=base, root=root, root_path=base / pki.ROOT_FILE)


def configure(settings, test_pki: TestPki) -> None:
    settings.JINZHI_SIGNING_DIR = str(test_pki.units_dir)
    settings.JINZHI_TRUST_ANCHORS = [str(test_pki.root_path)]


def tamper(package) -> str:
    """Change one byte of the filing package's second document, in storage;
    the document's name in the package."""
    path = Path(package.file.path)
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    name = [n for n in source.namelist() if n.endswith(".pdf")][1]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for member in source.namelist():
            data = source.read(member)
            if member == name:
                data = data[:-10] + b"X" + data[-9:]
            target.writestr(member, data)
    path.write_bytes(buffer.getvalue())
    return name
