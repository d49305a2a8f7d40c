import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from organisations.forms import OfficialForm
from organisations.models import Acting, Official
from organisations.nip import validate_nip
from tests.factories import appoint, load_units, make_official

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "nip", ["197802282009021004", "19780228 200902 1 004", "NIP. 198002292005012001"]
)
def test_a_real_nip_is_accepted(nip):
    validate_nip(nip)


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("19780228200902100", "18 angka (yang diisi: 17 karakter)"),
        ("1978022820090210044", "18 angka"),
        ("19780A28200902100X", "18 angka"),
        ("198002312005011001", "tanggal lahir yang tidak ada (31-02-1980)"),
        ("197902292005011001", "tanggal lahir yang tidak ada"),  # 1979 is not a leap year
        ("197802282009131004", "bulan pengangkatan yang tidak ada (13)"),
        ("197802282009023004", "jenis kelamin) harus 1 atau 2, bukan 3"),
        ("197802281980021004", "tahun pengangkatan yang tidak masuk akal"),
    ],
)
def test_a_wrong_nip_is_refused_with_a_clear_message(nip, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_nip(nip)
    assert message in excinfo.value.messages[0]


def test_the_official_form_cleans_and_refuses_nips():
    form = OfficialForm({"name": "MARTHEN KAMBU", "nip": "19780228 200902 1 004"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nip"] == "197802282009021004"
    bad = OfficialForm({"name": "X", "nip": "198002312005011001"})
    assert not bad.is_valid()
    assert "tanggal lahir yang tidak ada" in bad.errors["nip"][0]
    assert not Official.objects.exists()


def test_a_ketua_may_have_no_nip():
    form = OfficialForm({"name": "BALTHASAR BERTH KAMBUAYA", "nip": ""})
    assert form.is_valid(), form.errors


def test_a_position_cannot_have_two_definitive_holders_at_once():
    load_units("64.74")
    first = appoint("64.74.sekretariat", make_official("Bambang"), start=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        appoint("64.74.sekretariat", make_official("Orang Lain"), start=datetime.date(2025, 6, 1))
    assert "sudah dijabat secara definitif oleh Bambang" in excinfo.value.messages[0]
    assert first.position.assignments.count() == 1
    # An acting official alongside is fine, and so is a successor once the term has ended.
    appoint("64.74.sekretariat", start=datetime.date(2025, 6, 1), acting=Acting.PLH)
    first.end_date = datetime.date(2025, 12, 31)
    first.save()
    appoint("64.74.sekretariat", start=datetime.date(2026, 1, 1))
    assert first.position.assignments.count() == 3


def test_an_assignment_cannot_end_before_it_starts():
    load_units("64.74")
    with pytest.raises(ValidationError) as excinfo:
        appoint("64.74", start=datetime.date(2025, 1, 1), end=datetime.date(2024, 1, 1))
    assert "tidak boleh sebelum tanggal mulai" in excinfo.value.messages[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_administrators_appointing_at_the_same_moment_get_one_holder():

    load_units("64.74")
    candidates = [make_official("Calon A"), make_official("Calon B")]
    barrier = threading.Barrier(2)
    outcomes = []

    def appoint_one(official):
        try:
            barrier.wait()
            appoint("64.74.sekretariat", official, start=datetime.date(2026, 1, 1))
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=appoint_one, args=(o,)) for o in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[1] == "ok" and outcomes.count("ok") == 1
    assert "sudah dijabat secara definitif" in sorted(outcomes)[0]
