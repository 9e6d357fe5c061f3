"""Key pairs and certificates: a demo root and one certificate per unit for
`make_demo_pki` (clearly marked DEMO 演示, never for production), and the
same helpers for the tests. Real units install certificates from their CA
(docs/signing.md)."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_MARK = "DEMO 演示"
ROOT_FILE = "demo-root.pem"
ROOT_KEY_FILE = "demo-root-key.pem"
KEY_FILE = "key.pem"
CERT_FILE = "cert.pem"
CHAIN_FILE = "chain.pem"


@dataclass(frozen=True)
class Issuer:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(subject: x509.Name, issuer: x509.Name, public_key, years: int):
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * years))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def root_create(common_name: str = f"Jinzhi {DEMO_MARK} Root CA") -> Issuer:
    """A self-signed root (ECDSA P-256) that may sign unit certificates."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name, f"Jinzhi {DEMO_MARK}")
    certificate = (
        _builder(name, name, key.public_key(), years=20)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return Issuer(key=key, certificate=certificate)


def unit_certificate_create(issuer: Issuer, *, unit_name: str) -> Issuer:
    """A signing certificate for a unit, issued by `issuer`: CN is the unit's
    name (marked as demo), usable for document signatures only."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(f"{unit_name}（{DEMO_MARK}）", f"{unit_name} {DEMO_MARK}")
    certificate = (
        _builder(subject, issuer.certificate.subject, key.public_key(), years=5)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
        .sign(issuer.key, hashes.SHA256())
    )
    return Issuer(key=key, certificate=certificate)


def key_pem(key, passphrase: str = "") -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def certificate_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _write_private(path: Path, content: bytes) -> None:
    path.write_bytes(content)
    path.chmod(0o600)


def unit_credentials_write(
    directory: Path, issuer: Issuer, unit: Issuer, passphrase: str = ""
) -> Path:
    """Write a unit's key.pem, cert.pem and chain.pem (the issuer) into
    `directory`, the layout signing.unit_signer reads."""
    directory.mkdir(parents=True, exist_ok=True)
    _write_private(directory / KEY_FILE, key_pem(unit.key, passphrase))
    (directory / CERT_FILE).write_bytes(certificate_pem(unit.certificate))
    (directory / CHAIN_FILE).write_bytes(certificate_pem(issuer.certificate))
    return directory


def root_load(directory: Path) -> Issuer | None:
    """The demo root kept in `directory`, or None when there is none yet."""
    cert_path, key_path = directory / ROOT_FILE, directory / ROOT_KEY_FILE
    if not (cert_path.is_file() and key_path.is_file()):
        return None
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    return Issuer(key=key, certificate=x509.load_pem_x509_certificate(cert_path.read_bytes()))


def root_write(directory: Path, root: Issuer) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    _write_private(directory / ROOT_KEY_FILE, key_pem(root.key))
    (directory / ROOT_FILE).write_bytes(certificate_pem(root.certificate))
