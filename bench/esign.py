"""How long an electronic signature takes, on the Bontang Sekretariat seed PK.

Run:  .venv/bin/python bench/esign.py [--runs 7]     (or with DATABASE_URL=postgres://…)

Uses its own SQLite database and media folder under var/bench/ unless DATABASE_URL is set, the
development keys (created there on first run) and the PKCS#12 signer. Prints the median of:
pyHanko alone signing the PDF once; `sign_agreement` for Pihak Pertama (the first signature:
a new SignedDocument), for Pihak Kedua (the incremental second signature, which completes the
PK) and both together, including the password check (Django's PBKDF2, on purpose slow);
validating both signatures with pyHanko; and once, a first signature whose PDF was not yet
rendered (WeasyPrint included).
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pk_portal.settings")
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench' / 'esign.sqlite3'}"
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench" / "media"))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from agreements import documents, signing_urls  # noqa: E402
from agreements.models import Agreement, SignedDocument  # noqa: E402
from agreements.seeds import load_seed, manifest  # noqa: E402
from agreements.signing import devkeys  # noqa: E402
from agreements.signing.placement import ANCHORS, find_box  # noqa: E402
from agreements.signing.service import FIELD_NAMES, sign_agreement  # noqa: E402
from agreements.signing.signers import PKCS12Signer, SignerIdentity  # noqa: E402
from organisations.demo import DEMO_PASSWORD, load_organisation_demo  # noqa: E402
from organisations.models import Official  # noqa: E402
from pk_portal import urls as root_urls  # noqa: E402

SEED_FILE = "bontang-2026-sekretariat.csv"

# The QR code needs reverse("verification"): until the project's root URLconf includes the
# signing URLs, this module serves as the URLconf (the project's plus that one; see main()).
urlpatterns = [*root_urls.urlpatterns, *signing_urls.verification_urlpatterns]


def use_own_urlconf_if_needed() -> None:
    from django.conf import settings
    from django.urls import NoReverseMatch, clear_url_caches, reverse

    try:
        reverse("verification", args=["x"])
    except NoReverseMatch:
        settings.ROOT_URLCONF = __name__
        clear_url_caches()


def median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000


def timed(fn, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return median_ms(timings)


def reset(agreement: Agreement) -> None:
    """Back to Disetujui with no signed document, as before the first signature."""
    for document in SignedDocument.objects.filter(agreement=agreement):
        document.file.delete(save=False)
        document.delete()
    Agreement.objects.filter(pk=agreement.pk).update(status="disetujui")
    agreement.refresh_from_db()


def validate_both(pdf: bytes) -> None:
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _type, _headers, der = pem.unarmor(devkeys.dev_ca_certificate_pem())
    context = ValidationContext(trust_roots=[x509.Certificate.load(der)], allow_fetching=False)
    for signature in PdfFileReader(io.BytesIO(pdf)).embedded_signatures:
        status = validate_pdf_signature(signature, context)
        assert status.bottom_line, status.pretty_print_details()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    use_own_urlconf_if_needed()
    call_command("migrate", verbosity=0)
    load_organisation_demo()
    seed = next(s for s in manifest() if s.file == SEED_FILE)
    earlier = Agreement.objects.filter(unit__code=seed.unit_code, year=seed.year, version=1)
    for previous in earlier:  # a previous run's PK: unlock it so that the seed reloads
        reset(previous)
    earlier.update(status="draf")
    agreement = load_seed(seed)
    reset(agreement)
    devkeys.create_dev_signing_keys(Official.objects.all())
    users = get_user_model().objects
    first_user = users.get(username="bontang.sekretaris")  # Pihak Pertama of this PK
    second_user = users.get(username="bontang.ketua")  # Pihak Kedua
    for user in (first_user, second_user):  # as if each had typed a one-time code this session
        TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "bench"})
        user.is_verified = lambda: True
    print(
        f"database: {connection.vendor}; {SEED_FILE}: {agreement.indicator_count()} indicators; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {args.runs} runs each"
    )

    # Once: the first signature of a PK whose PDF nobody rendered yet (WeasyPrint included).
    default_storage.delete(documents.stored_pdf_name(agreement, documents.LENGKAP))
    started = time.perf_counter()
    sign_agreement(agreement, "pihak_pertama", first_user, DEMO_PASSWORD)
    cold = (time.perf_counter() - started) * 1000
    reset(agreement)

    pdf = documents.render_pdf(agreement, documents.LENGKAP)
    box = find_box(pdf, ANCHORS["pihak_pertama"])
    membership = first_user.memberships.get(role="signatory")
    identity = SignerIdentity(membership.official_id, agreement.pihak_pertama_name,
                              agreement.pihak_pertama_position)  # fmt: skip
    signer = PKCS12Signer()
    warm_up = {"page_index": 0, "box": box.box, "stamp_text": "x", "qr_url": "https://x.invalid/"}
    signer.sign(pdf, field_name="warm", signer=identity, **warm_up)  # imports pyHanko

    pyhanko_alone = timed(
        lambda: signer.sign(pdf, field_name=FIELD_NAMES["pihak_pertama"],
                            page_index=box.page_index, box=box.box, stamp_text="Bench\nstamp",
                            qr_url="https://pk.invalid/verifikasi/x/", signer=identity),
        args.runs,
    )  # fmt: skip
    password = timed(lambda: first_user.check_password(DEMO_PASSWORD), args.runs)

    firsts, seconds, boths, validations = [], [], [], []
    for _ in range(args.runs):
        reset(agreement)
        started = time.perf_counter()
        sign_agreement(agreement, "pihak_pertama", first_user, DEMO_PASSWORD)
        middle = time.perf_counter()
        signature = sign_agreement(agreement, "pihak_kedua", second_user, DEMO_PASSWORD)
        ended = time.perf_counter()
        firsts.append(middle - started)
        seconds.append(ended - middle)
        boths.append(ended - started)
        assert agreement.status == "ditandatangani"
        with signature.document.file.open("rb") as handle:
            final = handle.read()
        started = time.perf_counter()
        validate_both(final)
        validations.append(time.perf_counter() - started)

    print(f"PDF: {len(pdf) / 1024:.0f} KiB, signed with both: {len(final) / 1024:.0f} KiB")
    print(f"pyHanko alone, one signature:          {pyhanko_alone:7.0f} ms")
    print(f"check_password (PBKDF2), per signature: {password:7.0f} ms")
    print(f"sign_agreement, Pihak Pertama (first):  {median_ms(firsts):7.0f} ms")
    print(f"sign_agreement, Pihak Kedua (second):   {median_ms(seconds):7.0f} ms")
    print(f"both signatures:                        {median_ms(boths):7.0f} ms")
    print(f"validate both signatures (pyHanko):     {median_ms(validations):7.0f} ms")
    print(f"first signature, PDF not yet rendered:  {cold:7.0f} ms (once; WeasyPrint included)")
    reset(agreement)


if __name__ == "__main__":
    main()
