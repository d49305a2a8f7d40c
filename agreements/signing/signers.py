"""Who applies the cryptographic signature: a `Signer` takes a PDF and returns it signed.

    PKCS12Signer   pyHanko with the official's PKCS#12 kept in default storage, encrypted with
                   the signing secret only the official knows (set at enrolment, typed at
                   each signature, never stored): demo, tests, offices with their own CA
    BSrESigner     BSrE's eSign Client Service, a REST service on the office network that
                   holds the certificates and signs given the signer's NIK and passphrase

`get_signer()` picks one from the SIGNER_BACKEND setting ("pkcs12" by default). Both add the
signature as an incremental update, so an earlier signature of the file stays valid.

pyHanko is imported inside the functions that use it: the import alone costs ~0.4 s, which a
web process that never signs should not pay at start.
"""

import base64
import json
import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from io import BytesIO
from typing import Protocol

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers import SimpleSigner

from agreements.signing.appearance import stamp_style

logger = logging.getLogger(__name__)

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class SignerIdentity:
    """The person signing, as the PK prints them, and what a signing service needs."""

    official_id: int | None
    name: str
    position: str
    nip: str = ""
    # BSrE only, typed by the signer for this one signature; never stored, never logged.
    nik: str = field(default="", repr=False)
    passphrase: str = field(default="", repr=False)
    # PKCS#12 only: the official's signing secret, which decrypts their key for this one
    # signature; never stored, never logged.
    secret: str = field(default="", repr=False)


class SignerError(Exception):
    """The signature could not be made; the message is for the user (Indonesian)."""


class SignerUnavailable(SignerError):
    """No key for this official, or the signing service cannot be reached."""


class SignerRejected(SignerError):
    """The signing service refused (unknown NIK, wrong passphrase, …)."""


class Signer(Protocol):
    # True when the signer must type credentials of the signing service (BSrE: NIK and
    # passphrase) beside their PK Portal password.
    needs_credentials: bool
    # True when the signer must type the signing secret that decrypts their own key (PKCS#12).
    needs_secret: bool

    def sign(
        self,
        pdf: bytes,
        *,
        field_name: str,
        page_index: int,
        box: Box,
        stamp_text: str,
        qr_url: str,
        signer: SignerIdentity,
    ) -> bytes:
        """`pdf` with one more signature in a visible field `field_name` on page
        `page_index` (0-based) at `box` (x1, y1, x2, y2 in PDF points, origin bottom-left),
        showing `stamp_text` and a QR code of `qr_url`. Raises SignerError."""
        ...


# --- PKCS#12 with pyHanko -------------------------------------------------------------------
KEY_DIR = "signing/keys"


def key_storage_name(official_id: int) -> str:
    """Where an official's PKCS#12 is kept in default storage."""
    return f"{KEY_DIR}/{int(official_id)}.p12"


def key_passphrase() -> str:
    """The passphrase of the development CA's key (never of an official's key)."""
    return getattr(settings, "SIGNING_KEY_PASSPHRASE", "dev-only-passphrase")


def has_key(official_id: int | None) -> bool:
    return bool(official_id) and default_storage.exists(key_storage_name(official_id))


class PKCS12Signer:
    """PAdES signatures with the official's own key, read from `signing/keys/<id>.p12` and
    decrypted with the signing secret the signer types (SignerIdentity.secret). Without the
    right secret the key is useless: the portal, its administrators and a copy of its
    database and storage hold only the encrypted file."""

    needs_credentials = False
    needs_secret = True
    reason = "Penandatanganan Perjanjian Kinerja"

    def load(self, official_id: int | None, secret: str):
        """The official's key as a pyHanko SimpleSigner; raises SignerUnavailable (no key)
        or SignerRejected (wrong secret)."""
        if not has_key(official_id):
            raise SignerUnavailable(
                _(
                    "Pejabat ini belum mendaftarkan kunci tanda tangan elektronik. Kirim tautan "
                    "pendaftaran ke surel pejabat dari halaman tanda tangan."
                )
            )
        if not secret:
            raise SignerRejected(_("Isikan rahasia penandatanganan Anda."))
        with default_storage.open(key_storage_name(official_id), "rb") as handle:
            data = handle.read()
        try:
            key = SimpleSigner.load_pkcs12_data(data, [], passphrase=secret.encode())
        except ValueError:
            key = None
        if key is None:  # pyHanko logs and returns None on a wrong passphrase
            logger.info("wrong signing secret for the key of official %s", official_id)
            raise SignerRejected(_("Rahasia penandatanganan salah. Tanda tangan tidak dibuat."))
        return key

    def sign(self, pdf, *, field_name, page_index, box, stamp_text, qr_url, signer):

        key = self.load(signer.official_id, signer.secret)
        metadata = signers.PdfSignatureMetadata(
            field_name=field_name,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=self.reason,
            name=signer.name,
        )
        style = stamp_style(stamp_text)  # embedded font, text shrunk to fit (appearance.py)
        spec = fields.SigFieldSpec(
            sig_field_name=field_name, on_page=page_index, box=tuple(round(v) for v in box)
        )
        pdf_signer = signers.PdfSigner(metadata, signer=key, stamp_style=style, new_field_spec=spec)
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        output = pdf_signer.sign_pdf(writer, appearance_text_params={"url": qr_url})
        return output.getvalue()


# --- BSrE eSign Client Service ------------------------------------------------------------
# Error codes the Client Service returns in `status_code` (as offices' integrations report
# them), turned into something the signer understands.
BSRE_ERRORS = {
    2011: gettext_lazy("NIK tidak terdaftar sebagai pemilik sertifikat elektronik BSrE."),
    2031: gettext_lazy("Passphrase BSrE salah."),
}


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]):
    """(body, content type) of a multipart/form-data request."""
    boundary = "pkportal" + secrets.token_hex(16)
    chunks = []
    for name, value in fields.items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    for name, (filename, content, content_type) in files.items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


class BSrESigner:
    """BSrE's eSign Client Service: `POST {base}/api/sign/pdf`, multipart, HTTP Basic auth
    of the client service; the signer's NIK and passphrase; the signed PDF comes back.

    BSrE draws its own stamp (a QR code of `linkQR`) in the box given as the lower-left
    corner (`xAxis`, `yAxis`) and a size (`width`, `height`) in PDF points on a 1-based
    `page`. Settings: BSRE_BASE_URL, BSRE_USERNAME, BSRE_PASSWORD, BSRE_TIMEOUT (seconds).
    """

    needs_credentials = True
    needs_secret = False  # the NIK and BSrE passphrase are the official's sole-control factor
    path = "/api/sign/pdf"

    def __init__(self, base_url=None, username=None, password=None, timeout=None):
        self.base_url = (base_url or getattr(settings, "BSRE_BASE_URL", "")).rstrip("/")
        self.username = username if username is not None else getattr(settings, "BSRE_USERNAME", "")
        self.password = password if password is not None else getattr(settings, "BSRE_PASSWORD", "")
        self.timeout = timeout or getattr(settings, "BSRE_TIMEOUT", 60)

    def request(self, fields, pdf: bytes) -> urllib.request.Request:
        url = self.base_url + self.path
        if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
            raise SignerUnavailable(_("Alamat layanan BSrE tidak sah."))
        body, content_type = _multipart(fields, {"file": ("dokumen.pdf", pdf, "application/pdf")})
        request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - http(s) only
        request.add_header("Content-Type", content_type)
        request.add_header("Accept", "application/pdf, application/json")
        if self.username or self.password:
            token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        return request

    def sign(self, pdf, *, field_name, page_index, box, stamp_text, qr_url, signer):
        if not signer.nik or not signer.passphrase:
            raise SignerRejected(_("Isikan NIK dan passphrase BSrE Anda."))
        x1, y1, x2, y2 = box
        fields = {
            "nik": signer.nik,
            "passphrase": signer.passphrase,
            "tampilan": "visible",
            "image": "false",
            "linkQR": qr_url,
            "page": page_index + 1,
            "xAxis": round(x1),
            "yAxis": round(y1),
            "width": round(x2 - x1),
            "height": round(y2 - y1),
        }
        try:
            with urllib.request.urlopen(self.request(fields, pdf), timeout=self.timeout) as reply:  # noqa: S310
                content = reply.read()
        except urllib.error.HTTPError as exc:
            raise SignerRejected(self._refusal(exc)) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            logger.warning("BSrE eSign Client Service unreachable at %s: %s", self.base_url, exc)
            raise SignerUnavailable(
                _("Layanan tanda tangan elektronik BSrE tidak dapat dihubungi. Coba lagi nanti.")
            ) from exc
        if not content.startswith(b"%PDF-"):
            raise SignerRejected(_("Layanan BSrE tidak mengembalikan berkas PDF."))
        return content

    @staticmethod
    def _refusal(exc: urllib.error.HTTPError) -> str:
        try:
            payload = json.loads(exc.read() or b"{}")
        except ValueError:
            payload = {}
        if not isinstance(payload, dict):
            payload = {}
        code = payload.get("status_code")
        known = BSRE_ERRORS.get(code) if isinstance(code, int) else None
        detail = str(known) if known else (payload.get("error") or payload.get("message") or "")
        return _("BSrE menolak penandatanganan (HTTP %(status)s). %(detail)s") % {
            "status": exc.code,
            "detail": detail,
        }


BACKENDS = {"pkcs12": PKCS12Signer, "bsre": BSrESigner}


def get_signer() -> Signer:
    """The signer the SIGNER_BACKEND setting names ("pkcs12" by default)."""
    backend = getattr(settings, "SIGNER_BACKEND", "pkcs12")
    try:
        return BACKENDS[backend]()
    except KeyError:
        raise SignerUnavailable(f"Unknown SIGNER_BACKEND {backend!r}") from None
