"""Every URL × every role × own unit / same province / other province, as tests/permission_matrix.py
writes it: the answer of each cell, that a refused POST changes nothing, and that no list shows
another unit's objects.

The world is built once for the module (inside a transaction rolled back at the end); each cell
runs in its own savepoint, so a POST that succeeds is undone before the next cell.
"""

import datetime
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfWriter

from agreements.drafting import start_agreement
from agreements.forms import StatementForm
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from agreements.models import (
    Agreement,
    CheckAcceptance,
    IndicatorRow,
    KeyEnrolment,
    Notification,
    Signature,
    SignedDocument,
)
from agreements.scans import generated_page_count
from agreements.signing.devkeys import DEMO_SIGNING_SECRET
from agreements.signing.enrolment import send_enrolment_link
from agreements.workflow import perform
from indicators.targets import parse_target
from monitoring.evidence import validate_evidence
from monitoring.models import Evidence, Realisation
from monitoring.services import Entry, save_quarter
from organisations.bindings import request_binding
from organisations.models import Membership, Role, SignatoryRequest
from submissions.compilation import submit_compilation
from submissions.models import Compilation, Dipa, Submission
from submissions.routing import MINISTRIES
from submissions.services import submit
from submissions.tasks import compile_province
from tests.factories import (
    appoint,
    give_otp_device,
    load_units,
    make_official,
    make_user,
    otp_code,
    subbagian_rows,
    unit,
)
from tests.permission_matrix import (
    EXCLUDED,
    EXCLUDED_NAMESPACES,
    RELATIONS,
    ROLES,
    STATUS,
    expand,
    parse,
    url_name,
)
from tests.test_url_auth import named_patterns

pytestmark = pytest.mark.django_db

YEAR = 2027
# 5 April 2027, 10:00 in Bontang: Triwulan I of 2027 may still be reported, Triwulan II too.
NOW = datetime.datetime(2027, 4, 5, 2, 0, tzinfo=datetime.UTC)
PASSWORD = "sandi-uji-yang-panjang"  # tests.factories.make_user's
ENROLMENT_TOKEN = "token-pendaftaran-uji-matriks"  # noqa: S105
REGENCIES = {"own": "64.74", "same": "64.72", "other": "96.71"}
CITY = {"own": "Bontang", "same": "Samarinda", "other": "Sorong"}
PROVINCES = {"own": "64", "same": "64", "other": "96"}
SUBBAGIAN = ("keuangan", "perencanaan", "partisipasi", "teknis")
MATRIX = parse()


# --- the world -----------------------------------------------------------------------------
@dataclass
class Office:
    """One KPU Kota with its people and one object of each kind (see permission_matrix.py)."""

    code: str
    people: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


@dataclass
class World:
    users: dict  # role -> User
    clients: dict  # role -> a test Client logged in as that user
    offices: dict  # relation -> Office
    compilations: dict  # relation -> Compilation
    scan_pages: int  # pages a wet-signature scan of an approved Sekretariat PK needs


def pdf_pages(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def attach_wet_scan(agreement, status="ditandatangani") -> SignedDocument:
    """The PK signed on paper: its complete scan, as tests/test_compilation.py makes it."""
    Agreement.objects.filter(pk=agreement.pk).update(status=status)
    agreement.refresh_from_db()
    content = pdf_pages(2)
    document = SignedDocument(
        agreement=agreement, revision=agreement.revision, method="basah", page_count=2,
        sha256=hashlib.sha256(content).hexdigest(), is_complete=True,
    )  # fmt: skip
    document.file.save("pk.pdf", ContentFile(content), save=True)
    return document


def sekretariat_rows(subbagian_count: int):
    """The Sekretariat's lampiran: the Subbagian indicator, and their budgets added up."""
    programme = ("076.01.WA", "Program Dukungan Manajemen")
    return [
        LampiranRow(INDIKATOR, *programme, "", "Pengelolaan Keuangan", "Sasaran",
                    "Jumlah Laporan Keuangan", parse_target("2 laporan")),
        LampiranRow(ANGGARAN, *programme, anggaran=1_000_000 * subbagian_count),
    ]  # fmt: skip


def report_first_quarter(agreement, operator) -> Evidence:
    """Triwulan I of a signed PK, with its evidence, submitted for verification by the
    operator (monitoring.services, as the quarter form does)."""
    upload = SimpleUploadedFile("bukti.pdf", pdf_pages(1), content_type="application/pdf")
    row = IndicatorRow.objects.get(sasaran__kegiatan__programme__agreement=agreement)
    entry = Entry(row=row, expected_lock_version=None, value=Decimal(1), explanation="Uji.",
                  new_files=[(upload, validate_evidence(upload))])  # fmt: skip
    save_quarter(agreement, 1, [entry], operator, submit=True)
    return Evidence.objects.get(realisation__agreement=agreement)


def build_office(code: str) -> Office:
    office = Office(code)
    sek = f"{code}.sekretariat"
    ketua = appoint(code, make_official(f"Ketua {code}")).official
    sekretaris = appoint(sek, make_official(f"Sekretaris {code}")).official
    heads = {s: appoint(f"{sek}.{s}", make_official(f"Kasubbag {s} {code}")).official
             for s in SUBBAGIAN}  # fmt: skip
    office.people = {
        "op": make_user(f"op.{code}", unit_code=sek),
        "sub": make_user(f"op.teknis.{code}", unit_code=f"{sek}.teknis"),
        "adm": make_user(f"admin.{code}", unit_code=code, role=Role.ADMINISTRATOR),
        "kas": make_user(f"kasubbag.{code}", unit_code=f"{sek}.keuangan", role=Role.SIGNATORY,
                         official=heads["keuangan"]),
        "sek": make_user(f"sekretaris.{code}", unit_code=sek, role=Role.SIGNATORY,
                         official=sekretaris),
        "ket": make_user(f"ketua.{code}", unit_code=code, role=Role.SIGNATORY, official=ketua),
    }  # fmt: skip
    for official in (ketua, sekretaris, heads["keuangan"]):
        official.email = f"pejabat.{official.pk}@kpu.go.id"
        official.save(update_fields=["email"])
    operator = office.people["op"]
    pks = {}
    for name, subbagian in (
        ("draft", "keuangan"),
        ("subm", "perencanaan"),
        ("sign", "partisipasi"),
    ):
        pks[name] = start_agreement(unit(f"{sek}.{subbagian}"), YEAR, operator)
        replace_lampiran(pks[name], subbagian_rows())
    pks["appr"] = start_agreement(unit(sek), YEAR, operator)
    replace_lampiran(pks["appr"], sekretariat_rows(3))
    perform(pks["subm"], "submit", operator)  # the Sekretaris is told (a notification)
    Agreement.objects.filter(pk=pks["appr"].pk).update(status="disetujui")
    attach_wet_scan(pks["sign"])
    pks["deliv"] = start_agreement(unit(code), YEAR, operator)
    replace_lampiran(pks["deliv"], subbagian_rows())
    scan = attach_wet_scan(pks["deliv"])
    submission = submit(pks["deliv"], office.people["ket"])
    for agreement in pks.values():
        agreement.refresh_from_db()
    evidence = report_first_quarter(pks["sign"], operator)
    office.objects = {
        **pks,
        "scan": scan,
        "submn": submission,
        "dipa": Dipa.objects.create(unit=unit(sek), year=YEAR, number=f"SP DIPA {code}",
                                    ratified_on=datetime.date(2026, 12, 5)),
        "evid": evidence,
        "memb": Membership.objects.get(user=operator),
        "sreq": request_binding(user=make_user(f"calon.ketua.{code}"), unit=unit(code),
                                official=ketua, requested_by=office.people["adm"]),
        "notif": Notification.objects.create(user=operator, message=f"Uji matriks {code}",
                                             url=pks["draft"].get_absolute_url()),
    }  # fmt: skip
    return office


def build_world() -> World:
    load_units(*REGENCIES.values())
    offices = {relation: build_office(code) for relation, code in REGENCIES.items()}
    bontang = offices["own"].people
    users = {
        **bontang,
        "pop": make_user("op.kaltim", unit_code="64"),
        "cmp": make_user("kompilasi.kaltim", unit_code="64", role=Role.COMPILER),
        "ren": make_user("perencanaan", unit_code="setjen.biro-perencanaan",
                         role=Role.REVIEWER_PERENCANAAN),
        "ins": make_user("inspektorat", unit_code="setjen.inspektorat",
                         role=Role.REVIEWER_INSPEKTORAT),
        "stf": make_user("staf", is_staff=True),
        "ex": make_user("mantan.op.64.74", unit_code="64.74.sekretariat"),
        "su": get_user_model().objects.create_superuser("super", "su@kpu.go.id", PASSWORD),
    }  # fmt: skip
    assert set(users) == set(ROLES)
    Membership.objects.filter(user=users["ex"]).update(is_active=False)
    for user in users.values():
        give_otp_device(user)
        Notification.objects.create(user=user, message=f"Uji matriks untuk {user.username}")
    # Kalimantan Timur's compilation is finished but not sent; Papua Barat Daya's went to KPU.
    compilations = {}
    for province, compiler in (("64", users["cmp"]),
                               ("96", make_user("kompilasi.pbd", unit_code="96",
                                                role=Role.COMPILER))):  # fmt: skip
        compilation = Compilation.objects.create(
            province=unit(province), year=YEAR, requested_by=compiler
        )
        assert compile_province(compilation.pk) == "selesai"
        compilation.refresh_from_db()
        if province == "96":
            assert submit_compilation(compilation, compiler) == 1
        # Built an hour ago: "Susun kompilasi" starts a new one (a click moments after a build
        # with the same PKs joins it instead: tests/test_compilation.py).
        Compilation.objects.filter(pk=compilation.pk).update(
            created_at=compilation.created_at - datetime.timedelta(hours=1)
        )
        compilations[province] = compilation
    for office in offices.values():
        office.objects["submn"].refresh_from_db()
    # A link the Sekretaris of Bontang received (the token as the e-mail carries it).
    enrolment = send_enrolment_link(bontang["sek"].memberships.get().official)
    enrolment.token_hash = hashlib.sha256(ENROLMENT_TOKEN.encode()).hexdigest()
    enrolment.save(update_fields=["token_hash"])
    clients = {}
    for role, user in users.items():  # logged in once: each cell's changes are rolled back
        clients[role] = Client(raise_request_exception=False)  # a 500 is one wrong cell
        clients[role].force_login(user)
    return World(
        users=users,
        clients=clients,
        offices=offices,
        compilations={relation: compilations[PROVINCES[relation]] for relation in RELATIONS},
        scan_pages=generated_page_count(offices["own"].objects["appr"]),
    )


@pytest.fixture(scope="module")
def matrix_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


def _storages(media):
    return {
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, matrix_media):
    """The world's files (scans, compilations, rendered PDFs) stay for the whole module."""
    settings.STORAGES = _storages(matrix_media)
    settings.MEDIA_ROOT = str(matrix_media)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, matrix_media):
    with (
        time_machine.travel(NOW, tick=True),
        django_db_blocker.unblock(),
        override_settings(
            STORAGES=_storages(matrix_media),
            MEDIA_ROOT=str(matrix_media),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


# --- what each row asks ----------------------------------------------------------------------
def office(world, relation) -> Office:
    return world.offices[relation]


def obj(world, target, relation):
    if target == "comp":
        return world.compilations[relation]
    return office(world, relation).objects[target]


def notification(world, relation, user):
    """The requester's own notification, or one of Samarinda's or Sorong's operator."""
    if relation == "own":
        return Notification.objects.filter(user=user).order_by("pk").first()
    return office(world, relation).objects["notif"]


def url_values(world, target, relation, user) -> dict:
    """Every value a URL of this row might take; `reverse` gets those its pattern names."""
    code = office(world, relation).code
    values = {"year": YEAR, "fmt": "xlsx", "part": "lengkap", "kind": "indikator"}
    if target in {"draft", "subm", "appr", "sign", "deliv", "submn", "comp", "memb", "sreq"}:
        values["pk"] = obj(world, target, relation).pk
    elif target == "enrol":
        values["token"] = ENROLMENT_TOKEN
    elif target == "scan":
        values |= {
            "pk": obj(world, "deliv", relation).pk,
            "doc_id": obj(world, "scan", relation).pk,
        }
    elif target == "notif":
        values["pk"] = notification(world, relation, user).pk
    elif target == "evid":
        values["evidence_id"] = obj(world, target, relation).pk
    elif target == "prov":
        values["province_code"] = PROVINCES[relation]
    elif target == "dipa":
        values["code"] = f"{code}.sekretariat"
    elif target == "unit":
        values |= {"code": code, "unit_code": code}
    return values


PATTERNS = dict(named_patterns())


IDS = {"pk", "doc_id", "evidence_id"}


def url_for(row_name, target, world, relation, user, missing=False) -> str:
    """The row's URL for this relation's object; with `missing`, for an id nobody has."""
    name = url_name(row_name)
    values = url_values(world, target, relation, user)
    if "[" in row_name:
        values["action"] = row_name.split("[")[1].rstrip("]")
    # The quarter form is asked about Triwulan II (open, empty), verification about Triwulan I
    # (submitted by the operator).
    values["quarter"] = 2 if name.startswith("monitoring:quarter") else 1
    if missing:
        values |= {key: 10**9 for key in IDS & set(values)}
    pattern = PATTERNS[name].pattern
    wanted = list(getattr(pattern, "converters", {}) or {}) or list(pattern.regex.groupindex)
    return reverse(name, kwargs={key: values[key] for key in wanted})


def marker(row_name, target, world, relation, user) -> str:
    """What shows the relation's object on a list page."""
    if row_name == "agreements:source_options":
        return f'value="{obj(world, target, relation).pk}"'
    if target in {"draft", "subm", "sign"}:
        return f"/pk/{obj(world, target, relation).pk}/"
    if target == "notif":
        return notification(world, relation, user).message
    if target == "dipa":
        return f"/{office(world, relation).code}.sekretariat/"
    if target == "memb":
        return reverse("organisations:membership_toggle", args=[obj(world, "memb", relation).pk])
    if target == "submn":
        return reverse("review_submission", args=[obj(world, "submn", relation).pk])
    raise AssertionError(f"no marker for {row_name}")


def query_for(row_name, world, relation) -> dict:
    if row_name == "agreements:source_options":  # the next year's PK of the Subbagian Keuangan
        return {"unit": obj(world, "draft", relation).unit_id, "year": YEAR + 1}
    if row_name == "agreements:lampiran_row":  # the editor asks for its second row
        return {"indikator-TOTAL_FORMS": 1}
    return {}


def scan_upload(world):
    return {"pindaian": SimpleUploadedFile("pindaian.pdf", pdf_pages(world.scan_pages),
                                           content_type="application/pdf")}  # fmt: skip


def statement_data(world, relation):
    form = StatementForm(instance=Agreement.objects.get(pk=obj(world, "draft", relation).pk))
    data = {name: form[name].value() or "" for name in form.fields}
    return data | {"place": "Tempat Uji Matriks"}


def dipa_csv(world, relation, user):
    content = (
        f"kode_unit,tahun,nomor_dipa,tanggal_dipa\n{REGENCIES[relation]},{YEAR},A,2026-12-05\n"
    )
    return {"file": SimpleUploadedFile("dipa.csv", content.encode())}


# POST data per row: fn(world, relation, user) -> dict
POST_DATA = {
    "otp_confirm": lambda w, r, u: {"token": "000000"},
    "otp_remove": lambda w, r, u: {"password": "bukan-sandinya"},
    "profile": lambda w, r, u: {"email": f"{u.username}@contoh.kpu.go.id"},
    "organisations:unit_users": lambda w, r, u: {
        "username": f"baru.{u.username}.{r}", "full_name": "Pengguna Baru",
        "email": "baru@kpu.go.id", "unit": unit(f"{REGENCIES[r]}.sekretariat").pk,
        "role": Role.OPERATOR, "password": "Sandi-Awal-Yang-Kuat-2027"},
    "agreements:create": lambda w, r, u: {
        "unit": obj(w, "draft", r).unit_id, "year": str(YEAR + 1), "source": ""},
    "agreements:edit": lambda w, r, u: statement_data(w, r),
    "agreements:amend": lambda w, r, u: {
        "reason": "pejabat", "note": "Ketua diganti.", "day": "2027-03-01"},
    "agreements:accept_warning": lambda w, r, u: {
        "check_name": "tidak-ada", "row_key": "tidak-ada", "reason": "Alasan yang cukup panjang."},
    "agreements:workflow_action[return]": lambda w, r, u: {"note": "Perbaiki target."},
    "agreements:scan_upload": lambda w, r, u: scan_upload(w),
    "agreements:sign": lambda w, r, u: {
        "party": "pihak_pertama", "password": PASSWORD, "otp_token": otp_code(u),
        "signing_secret": DEMO_SIGNING_SECRET},
    "organisations:official_email_request": lambda w, r, u: {
        "official": obj(w, "sreq", r).official_id, "email": "surel.baru@kpu.go.id"},
    "agreements:key_enrolment": lambda w, r, u: {
        "secret": "rahasia-matriks-uji", "secret_again": "rahasia-matriks-uji"},
    "dipa_edit": lambda w, r, u: {"number": "SP DIPA BARU", "ratified_on": "2026-12-06"},
    "dipa_import": dipa_csv,
    "delivery_add": lambda w, r, u: {
        "recipient": MINISTRIES[0], "sent_on": "2027-01-20", "receipt_number": "TT-1"},
    "hardcopy_update": lambda w, r, u: {
        "hardcopy_sent_on": "2027-01-20", "hardcopy_received_on": "2027-01-22"},
    "review_return": lambda w, r, u: {"catatan": "Perbaiki target."},
    "monitoring:verify_return": lambda w, r, u: {"note": "Lengkapi bukti dukung."},
}  # fmt: skip


def _values(queryset, *fields):
    return list(queryset.order_by("pk").values_list(*fields))


def _pk_state(world, target, relation):
    return _values(Agreement.objects.filter(pk=obj(world, target, relation).pk),
                   "status", "revision", "lock_version", "place")  # fmt: skip


def _realisations(world, relation):
    return _values(Realisation.objects.filter(agreement=obj(world, "sign", relation)),
                   "quarter", "status", "lock_version")  # fmt: skip


# What a POST may change, read before and after: fn(world, relation, user) -> comparable value.
PROBES = {
    "otp_start": lambda w, r, u: _values(TOTPDevice.objects.filter(user=u), "pk", "confirmed"),
    "otp_confirm": lambda w, r, u: _values(TOTPDevice.objects.filter(user=u), "pk", "confirmed"),
    "otp_remove": lambda w, r, u: _values(TOTPDevice.objects.filter(user=u), "pk", "confirmed"),
    "profile": lambda w, r, u: _values(get_user_model().objects.filter(pk=u.pk), "email",
                                       "email_muted"),
    "organisations:unit_users": lambda w, r, u: _values(
        get_user_model().objects.filter(username__startswith="baru."), "username"),
    "organisations:membership_toggle": lambda w, r, u: _values(
        Membership.objects.filter(pk=obj(w, "memb", r).pk), "is_active"),
    "organisations:official_email_request": lambda w, r, u: _values(
        SignatoryRequest.objects.filter(official_id=obj(w, "sreq", r).official_id), "pk"),
    "organisations:signatory_request_decide[setujui]": lambda w, r, u: _values(
        SignatoryRequest.objects.filter(pk=obj(w, "sreq", r).pk), "status"),
    "organisations:signatory_request_decide[tolak]": lambda w, r, u: _values(
        SignatoryRequest.objects.filter(pk=obj(w, "sreq", r).pk), "status"),
    "agreements:enrolment_link": lambda w, r, u: _values(KeyEnrolment.objects.all(), "pk"),
    "agreements:key_enrolment": lambda w, r, u: _values(KeyEnrolment.objects.all(), "used_at"),
    "agreements:create": lambda w, r, u: _values(
        Agreement.objects.filter(unit_id=obj(w, "draft", r).unit_id), "pk"),
    "agreements:edit": lambda w, r, u: _pk_state(w, "draft", r),
    "agreements:lampiran": lambda w, r, u: _pk_state(w, "draft", r),
    "agreements:import": lambda w, r, u: _pk_state(w, "draft", r),
    "agreements:import_confirm": lambda w, r, u: _pk_state(w, "draft", r),
    "agreements:import_mapping": lambda w, r, u: _pk_state(w, "draft", r),
    "agreements:copy": lambda w, r, u: _pk_state(w, "draft", r),
    "agreements:amend": lambda w, r, u: _values(
        Agreement.objects.filter(unit_id=obj(w, "deliv", r).unit_id), "pk", "status"),
    "agreements:accept_warning": lambda w, r, u: _values(
        CheckAcceptance.objects.filter(agreement=obj(w, "draft", r)), "pk"),
    "agreements:workflow_action[submit]": lambda w, r, u: _pk_state(w, "draft", r),
    "agreements:workflow_action[approve]": lambda w, r, u: _pk_state(w, "subm", r),
    "agreements:workflow_action[return]": lambda w, r, u: _pk_state(w, "subm", r),
    "agreements:workflow_action[withdraw]": lambda w, r, u: _pk_state(w, "subm", r),
    "agreements:delete": lambda w, r, u: _values(
        Agreement.objects.filter(pk=obj(w, "draft", r).pk), "pk"),
    "agreements:scan_upload": lambda w, r, u: _pk_state(w, "appr", r) + _values(
        SignedDocument.objects.filter(agreement=obj(w, "appr", r)), "pk"),
    "agreements:scan_confirm": lambda w, r, u: _pk_state(w, "appr", r) + _values(
        Signature.objects.filter(document__agreement=obj(w, "appr", r)), "pk"),
    "agreements:scan_reject": lambda w, r, u: _pk_state(w, "appr", r) + _values(
        SignedDocument.objects.filter(agreement=obj(w, "appr", r)), "pk"),
    "agreements:sign": lambda w, r, u: _pk_state(w, "appr", r) + _values(
        Signature.objects.filter(document__agreement=obj(w, "appr", r)), "pk"),
    "agreements:notifications_read_all": lambda w, r, u: _values(
        Notification.objects.filter(user=u, read_at__isnull=True), "pk"),
    "agreements:notification_read": lambda w, r, u: _values(
        Notification.objects.filter(pk=notification(w, r, u).pk), "read_at"),
    "dipa_edit": lambda w, r, u: _values(
        Dipa.objects.filter(pk=obj(w, "dipa", r).pk), "number", "ratified_on"),
    "dipa_import": lambda w, r, u: _values(Dipa.objects.all(), "unit_id", "year", "number"),
    "submission_submit": lambda w, r, u: _pk_state(w, "sign", r) + _values(
        Submission.objects.filter(agreement=obj(w, "sign", r)), "pk"),
    "delivery_add": lambda w, r, u: _values(
        Submission.objects.filter(pk=obj(w, "submn", r).pk), "deliveries"),
    "hardcopy_update": lambda w, r, u: _values(
        Submission.objects.filter(pk=obj(w, "submn", r).pk),
        "hardcopy_sent_on", "hardcopy_received_on"),
    "submissions:compile": lambda w, r, u: _values(
        Compilation.objects.filter(province__code=PROVINCES[r]), "pk"),
    "submissions:compilation_submit": lambda w, r, u: _values(
        Compilation.objects.filter(pk=obj(w, "comp", r).pk), "submitted_at"),
    "submissions:compilation_withdraw": lambda w, r, u: _values(
        Compilation.objects.filter(pk=obj(w, "comp", r).pk), "submitted_at"),
    "submission_withdraw": lambda w, r, u: _values(
        Submission.objects.filter(pk=obj(w, "submn", r).pk), "pk") + _pk_state(w, "deliv", r),
    "review_accept": lambda w, r, u: _values(
        Submission.objects.filter(pk=obj(w, "submn", r).pk), "decision") + _pk_state(w, "deliv", r),
    "review_return": lambda w, r, u: _values(
        Submission.objects.filter(pk=obj(w, "submn", r).pk), "decision") + _pk_state(w, "deliv", r),
    "monitoring:quarter": lambda w, r, u: _realisations(w, r),
    "monitoring:quarter_sheet_upload": lambda w, r, u: _realisations(w, r),
    "monitoring:quarter_sheet_confirm": lambda w, r, u: _realisations(w, r),
    "monitoring:verify_confirm": lambda w, r, u: _realisations(w, r),
    "monitoring:verify_return": lambda w, r, u: _realisations(w, r),
}  # fmt: skip


# --- the cells -------------------------------------------------------------------------------
def error_messages(response) -> list[str]:
    return [
        str(m) for m in messages.get_messages(response.wsgi_request) if m.level == messages.ERROR
    ]


def relations_to_ask(target, expected: dict) -> tuple[str, ...]:
    """A row about nothing of a unit ("-") is asked once per role; so is a 405, which comes
    before any lookup."""
    once = target in {"-", "enrol"} or set(expected.values()) == {"M"}
    return RELATIONS[:1] if once else RELATIONS


def check_cell(world, name, verb, target, role, relation, letter, responses) -> list[str]:
    """Ask one cell; return what is wrong with the answer (nothing when it is the table's)."""
    user = world.users[role]
    client = world.clients[role]
    client.cookies.pop("messages", None)  # a message of the cell before is not this one's
    url = url_for(name, target, world, relation, user)
    where = f"{role} on {relation}'s ({url}), table says {letter}"
    probe = PROBES.get(name) if verb == "POST" else None
    before = probe(world, relation, user) if probe else None
    if verb == "GET":
        query = query_for(name, world, relation)
        key = (role, url, tuple(sorted(query.items())))
        if key not in responses:  # a list is the same page whichever object is looked for
            responses[key] = client.get(url, query)
        response = responses[key]
    else:
        response = client.post(url, POST_DATA.get(name, lambda w, r, u: {})(world, relation, user))
    if response.status_code != STATUS[letter]:
        return [f"{where}: got {response.status_code}"]
    problems = []
    if probe:
        after = probe(world, relation, user)
        if letter == "r" and after == before:
            problems.append(f"{where}: answered 302 but changed nothing")
        if letter != "r" and after != before:
            problems.append(f"{where}: changed {before} -> {after}")
    if letter == "x" and not error_messages(response):
        problems.append(f"{where}: refused without an error message")
    if letter in {"s", "h"}:
        body = response.content.decode()
        shown = marker(name, target, world, relation, user)
        if letter == "s" and shown not in body:
            problems.append(f"{where}: {shown!r} is not on the page")
        if letter == "h" and shown in body:
            problems.append(f"{where}: {shown!r} leaks onto the page")
        if letter == "h" and relation != "own" and CITY[relation] in body:
            problems.append(f"{where}: {CITY[relation]} leaks onto the page")
    return problems


@pytest.mark.parametrize(("name", "verb"), list(MATRIX), ids=[f"{n} {v}" for n, v in MATRIX])
def test_row(world, name, verb):
    """Every cell of one row; each in a savepoint rolled back, so a POST that was allowed
    leaves nothing for the next cell. All the wrong cells of the row are reported together."""
    target, row = MATRIX[(name, verb)]
    if verb == "POST" and set(row.values()) != {"M"}:
        assert name in PROBES, f"{name}: a POST row needs a probe in PROBES"
    problems, responses = [], {}
    for role in ROLES:
        expected = expand(row[role])
        for relation in relations_to_ask(target, expected):
            with transaction.atomic():
                problems += check_cell(world, name, verb, target, role, relation,
                                       expected[relation], responses)  # fmt: skip
                transaction.set_rollback(True)
            if verb == "POST":
                cache.clear()  # nothing cached from a change that was rolled back
    assert not problems, f"{name} {verb}:\n" + "\n".join(problems)


# --- the table itself ------------------------------------------------------------------------
def test_every_url_of_the_site_has_a_row_or_a_reason_to_be_left_out():
    site = {name for name, _pattern in named_patterns()}
    in_table = {url_name(name) for name, _verb in MATRIX}
    left_out = {n for n in site if n in EXCLUDED or n.split(":")[0] in EXCLUDED_NAMESPACES}
    missing = sorted(site - in_table - left_out)
    assert not missing, f"URLs without a row in tests/permission_matrix.py: {missing}"
    assert not in_table - site, f"rows for URLs that no longer exist: {sorted(in_table - site)}"
    assert not in_table & left_out


def test_every_post_row_has_a_probe_and_every_probe_a_row():
    post_rows = {name for (name, verb), (_t, row) in MATRIX.items()
                 if verb == "POST" and set(row.values()) != {"M"}}  # fmt: skip
    assert post_rows == set(PROBES)


def test_another_units_objects_are_not_found_never_forbidden():
    """The table itself: Bontang's people, and the compiler beyond its province, get a 404 for
    every object of another unit; nobody who cannot see an object gets a 403 that shows it
    exists."""
    bontang = ("op", "sub", "adm", "kas", "sek", "ket")
    for (name, verb), (target, row) in MATRIX.items():
        if target in {"-", "notif", "comp", "prov", "enrol"}:
            continue
        for role in bontang:
            cell = expand(row[role])
            for relation in ("same", "other"):
                # (a 400 where the form offers only the user's own units)
                assert cell[relation] in {"N", "M", "h", "F", "b"}, (name, verb, role, relation)
                if cell[relation] == "F":  # only where the page is refused to the role as such
                    assert set(cell.values()) == {"F"}, (name, verb, role)
        assert expand(row["cmp"])["other"] in {"N", "M", "h", "F", "b"}, (name, verb)


NOT_FOUND_PAGES = [
    ("agreements:detail", "GET", "draft"),
    ("agreements:document_pdf", "GET", "draft"),
    ("agreements:scan_file", "GET", "scan"),
    ("agreements:signed_download", "GET", "scan"),
    ("agreements:workflow_action[approve]", "POST", "subm"),
    ("agreements:notification_read", "POST", "notif"),
    ("review_softcopy", "GET", "submn"),
    ("submissions:compilation_zip", "GET", "comp"),
    ("monitoring:evidence", "GET", "evid"),
]


@pytest.mark.parametrize(("name", "verb", "target"), NOT_FOUND_PAGES,
                         ids=[f"{n} {v}" for n, v, _t in NOT_FOUND_PAGES])  # fmt: skip
def test_another_units_object_answers_as_if_it_did_not_exist(world, name, verb, target):
    """Sorong's object and an id nobody has: the same 404 page, nothing that tells them apart."""
    user, client = world.users["op"], world.clients["op"]
    theirs = url_for(name, target, world, "other", user)
    nobodys = url_for(name, target, world, "other", user, missing=True)
    assert nobodys != theirs
    ask = client.get if verb == "GET" else client.post
    with transaction.atomic():
        answers = [ask(theirs), ask(nobodys)]
        transaction.set_rollback(True)
    assert [a.status_code for a in answers] == [404, 404]
    bodies = [answers[0].content.decode().replace(theirs, "URL"),
              answers[1].content.decode().replace(nobodys, "URL")]  # fmt: skip
    assert bodies[0] == bodies[1]


def test_marking_all_read_touches_only_ones_own_notifications(world):
    client = world.clients["op"]
    others = Notification.objects.exclude(user=world.users["op"])
    unread_before = set(others.filter(read_at__isnull=True).values_list("pk", flat=True))
    with transaction.atomic():
        assert client.post(reverse("agreements:notifications_read_all")).status_code == 302
        assert not Notification.objects.filter(user=world.users["op"], read_at__isnull=True)
        assert set(others.filter(read_at__isnull=True).values_list("pk", flat=True)) == (
            unread_before
        )
        transaction.set_rollback(True)
