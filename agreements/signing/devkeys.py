"""Signing keys of the PKCS#12 backend: a local root CA and one certificate + PKCS#12 per
official, created at the official's own enrolment (agreements.signing.enrolment).

Everything is kept through Django's default storage, never a path on disk:

    signing/dev-ca.pem          the CA certificate (trust it to validate the signatures)
    signing/dev-ca-key.pem      the CA private key, encrypted with SIGNING_KEY_PASSPHRASE
    signing/keys/<id>.p12       each official's key and certificate (+ the CA certificate),
                                encrypted with the official's signing secret (PBES2, AES-256,
                                PBKDF2-SHA256 with SIGNING_KEY_KDF_ROUNDS rounds)

The signing secret is typed by the official at enrolment and at each signature; the portal
never stores it, so nobody else can open the key (docs/signing.md, the threat model).
`create_dev_signing_keys` enrols officials with DEMO_SIGNING_SECRET, which the demo prints:
for the demo and the tests only. Production signs through BSrE, or puts each official's
PKCS#12 issued by a real CA (encrypted with a secret only they know) at the same storage key.
"""

import datetime
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from agreements.signing.signers import key_passphrase, key_storage_name

# The signing secret of the demo officials: printed by `load_demo`, documented in README. A
# key enrolled with it proves nothing about anyone.
DEMO_SIGNING_SECRET = "rahasia-demo-ttd"  # noqa: S105 - public on purpose, demo only
MIN_SECRET_LENGTH = 10

CA_CERT_NAME = "signing/dev-ca.pem"
CA_KEY_NAME = "signing/dev-ca-key.pem"
CA_COMMON_NAME = "PK Portal Development CA (bukan untuk produksi)"
ORGANISATION = "Komisi Pemilihan Umum"
CA_VALIDITY = datetime.timedelta(days=10 * 365)
LEAF_VALIDITY = datetime.timedelta(days=3 * 365)
KEY_SIZE = 2048


@dataclass(frozen=True)
class DevKeyReport:
    ca_created: bool
    created: list[int]
    existing: list[int]


def _write(name: str, content: bytes) -> None:
    """Store `content` under exactly `name` (a storage would otherwise pick another name)."""
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:  # pragma: no cover - only if another process wrote it meanwhile
        default_storage.delete(saved)


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def ensure_dev_ca() -> tuple[x509.Certificate, rsa.RSAPrivateKey, bool]:
    """The development CA (certificate, key), created on first use. Returns (cert, key, created)."""
    password = key_passphrase().encode()
    if default_storage.exists(CA_CERT_NAME) and default_storage.exists(CA_KEY_NAME):
        cert = x509.load_pem_x509_certificate(_read(CA_CERT_NAME))
        key = serialization.load_pem_private_key(_read(CA_KEY_NAME), password=password)
        return cert, key, False
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "PK Portal (pengembangan)"),
            x509.NameAttribute(NameOID.COMMON_NAME, CA_COMMON_NAME),
        ]
    )
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + CA_VALIDITY)
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
        )  # fmt: skip
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(CA_KEY_NAME, key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password),
    ))  # fmt: skip
    _write(CA_CERT_NAME, cert.public_bytes(serialization.Encoding.PEM))
    return cert, key, True


def secret_encryption(secret: str):
    """PKCS#12 encryption with the official's secret: PBES2 (AES-256-CBC), PBKDF2-SHA256 with
    SIGNING_KEY_KDF_ROUNDS rounds, SHA-256 MAC. An empty secret is refused."""
    if not secret:
        raise ValueError("an official's key is never stored without their secret")
    rounds = getattr(settings, "SIGNING_KEY_KDF_ROUNDS", 600_000)
    return (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(rounds)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(secret.encode())
    )


def issue_official_key(official, ca_cert, ca_key, secret: str) -> bytes:
    """A PKCS#12 (a new key, its certificate for `official`, the CA certificate), encrypted
    with the official's signing `secret`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
        x509.NameAttribute(NameOID.COMMON_NAME, official.name[:64]),
    ]
    if official.nip:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, f"NIP {official.nip}"))
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(min(now + LEAF_VALIDITY, ca_cert.not_valid_after_utc))
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
        )  # fmt: skip
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name=official.name.encode()[:64],
        key=key,
        cert=cert,
        cas=[ca_cert],
        encryption_algorithm=secret_encryption(secret),
    )


def enrol_official_key(official, secret: str) -> None:
    """A new key and certificate for `official`, encrypted with their `secret`.

    Side effects: writes the CA on first use; writes `signing/keys/<id>.p12`, replacing
    (and so revoking) any earlier key of the official."""
    ca_cert, ca_key, _created = ensure_dev_ca()
    _write(key_storage_name(official.pk), issue_official_key(official, ca_cert, ca_key, secret))


def revoke_official_key(official_id: int) -> bool:
    """Delete the official's key (a new binding or a lost secret: they enrol again). Returns
    whether there was one."""
    name = key_storage_name(official_id)
    if default_storage.exists(name):
        default_storage.delete(name)
        return True
    return False


def create_dev_signing_keys(officials, secret: str = DEMO_SIGNING_SECRET) -> DevKeyReport:
    """Make sure the dev CA exists and each official has a key, enrolled with `secret` (the
    printed demo secret unless told otherwise). Idempotent.

    Side effects: writes the CA files on first use and `signing/keys/<id>.p12` for each
    official who has none; an existing key (one the official enrolled included) is never
    replaced.
    """
    ca_cert, ca_key, ca_created = ensure_dev_ca()
    created, existing = [], []
    for official in officials:
        name = key_storage_name(official.pk)
        if default_storage.exists(name):
            existing.append(official.pk)
            continue
        _write(name, issue_official_key(official, ca_cert, ca_key, secret))
        created.append(official.pk)
    return DevKeyReport(ca_created=ca_created, created=created, existing=existing)


def dev_ca_certificate_pem() -> bytes:
    return _read(CA_CERT_NAME)
