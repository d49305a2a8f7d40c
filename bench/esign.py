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
import time

import common

common.start("esign", media=True)

from asn1crypto import pem, x509
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice
from measure import bench_user
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from agreements import documents
from agreements.models import Agreement, SignedDocument
from agreements.seeds import load_seed, manifest
from agreements.signing import devkeys
from agreements.signing.placement import ANCHORS, find_box
from agreements.signing.service import FIELD_NAMES, sign_agreement
from agreements.signing.signers import PKCS12Signer, SignerIdentity
from organisations.demo import load_demo_officials
from organisations.models import Official, Role

SEED_FILE = "bontang-2026-sekretariat.csv"


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

    _type, _headers, der = pem.unarmor(devkeys.dev_ca_certificate_pem())
    context = ValidationContext(trust_roots=[x509.Certificate.load(der)], allow_fetching=False)
    for signature in PdfFileReader(io.BytesIO(pdf)).embedded_signatures:
        status = validate_pdf_signature(signature, context)
        assert status.bottom_line, status.pretty_print_details()


BENCH_PASSWORD = "bench-esign-password"  # noqa: S105 - the bench's own logins


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    officials = load_demo_officials()  # no demo login is touched: bench signatories instead
    seed = next(s for s in manifest() if s.file == SEED_FILE)
    earlier = Agreement.objects.filter(unit__code=seed.unit_code, year=seed.year, version=1)
    for previous in earlier:  # a previous run's PK: unlock it so that the seed reloads
        reset(previous)
    earlier.update(status="draf")
    agreement = load_seed(seed)
    reset(agreement)
    devkeys.create_dev_signing_keys(Official.objects.all())
    first_user = bench_user(
        "bench-bontang-sekretaris",
        "64.74.sekretariat",
        Role.SIGNATORY,
        officials["Bambang Rahmadhany"],
    )  # Pihak Pertama of this PK
    second_user = bench_user(
        "bench-bontang-ketua", "64.74", Role.SIGNATORY, officials["Muzarroby Renfly"]
    )  # Pihak Kedua
    for user in (first_user, second_user):
        user.set_password(BENCH_PASSWORD)
        user.save(update_fields=["password"])
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
    sign_agreement(
        agreement, "pihak_pertama", first_user, BENCH_PASSWORD, secret=devkeys.DEMO_SIGNING_SECRET
    )
    cold = (time.perf_counter() - started) * 1000
    reset(agreement)

    pdf = documents.render_pdf(agreement, documents.LENGKAP)
    box = find_box(pdf, ANCHORS["pihak_pertama"])
    membership = first_user.memberships.get(role="signatory")
    identity = SignerIdentity(membership.official_id, agreement.pihak_pertama_name,
                              agreement.pihak_pertama_position,
                              secret=devkeys.DEMO_SIGNING_SECRET)  # fmt: skip
    signer = PKCS12Signer()
    warm_up = {"page_index": 0, "box": box.box, "stamp_text": "x", "qr_url": "https://x.invalid/"}
    signer.sign(pdf, field_name="warm", signer=identity, **warm_up)  # imports pyHanko

    pyhanko_alone = timed(
        lambda: signer.sign(pdf, field_name=FIELD_NAMES["pihak_pertama"],
                            page_index=box.page_index, box=box.box, stamp_text="Bench\nstamp",
                            qr_url="https://pk.invalid/verifikasi/x/", signer=identity),
        args.runs,
    )  # fmt: skip
    password = timed(lambda: first_user.check_password(BENCH_PASSWORD), args.runs)

    firsts, seconds, boths, validations = [], [], [], []
    for _ in range(args.runs):
        reset(agreement)
        started = time.perf_counter()
        sign_agreement(
            agreement,
            "pihak_pertama",
            first_user,
            BENCH_PASSWORD,
            secret=devkeys.DEMO_SIGNING_SECRET,
        )
        middle = time.perf_counter()
        signature = sign_agreement(
            agreement,
            "pihak_kedua",
            second_user,
            BENCH_PASSWORD,
            secret=devkeys.DEMO_SIGNING_SECRET,
        )
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
