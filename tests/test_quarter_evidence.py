"""Evidence files on the quarter form (monitoring.evidence_forms, monitoring.pending_evidence):
a chosen file survives a validation error and is saved by the next save; an invalid file is
named; the remove box is labelled on its own; the "belum diisi" message names whole indicators.
"""

import datetime
import hashlib
import re
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.housekeeping import purge_abandoned_imports
from agreements.models import IndicatorRow
from monitoring.models import Evidence, Realisation
from monitoring.services import short_name
from tests import test_monitoring_views as quarter_form_tests
from tests.factories import make_user
from tests.test_monitoring_views import a_pdf, a_png, current_locks, form_data, rows_of, url

pytestmark = pytest.mark.django_db

# The quarter form's fixtures: a signed Bontang PK of 2027, its people, Triwulan I open.
cast = quarter_form_tests.cast
in_q1_window = quarter_form_tests.in_q1_window

GOOD = ["90", "1", "WTP", "8"]
A_SLIP = ["90", "satu", "WTP", "8"]  # the second value is not a number


def pending_files(settings) -> list[Path]:
    return [p for p in (Path(settings.MEDIA_ROOT) / "imports").glob("*") if p.is_file()]


def reference_of(page: str, index: int) -> str:
    found = re.search(rf'name="form-{index}-pending_evidence" value="([^"]+)"', page)
    assert found, f"no pending evidence on line {index}"
    return found.group(1)


def test_a_chosen_file_survives_an_error_and_the_next_save_stores_it(client, cast, settings):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    data = form_data(agreement, A_SLIP,
                     **{"form-0-evidence": SimpleUploadedFile("Laporan TW I.pdf", a_pdf()),
                        "form-2-evidence": SimpleUploadedFile("foto.png", a_png())})  # fmt: skip
    response = client.post(url(agreement), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert not Realisation.objects.exists() and not Evidence.objects.exists()
    assert "Berkas dipilih: <strong" in page
    assert "Laporan TW I.pdf" in page and "foto.png" in page
    assert "dapat diterima tetap terpilih dan ikut disimpan" in page
    assert len(pending_files(settings)) == 2
    first, third = reference_of(page, 0), reference_of(page, 2)
    # Saved again, corrected, without choosing the files again: both are stored.
    data = form_data(agreement, GOOD, **{"form-0-pending_evidence": first,
                                         "form-2-pending_evidence": third})  # fmt: skip
    assert client.post(url(agreement), data).status_code == 302
    pdf = Evidence.objects.get(original_name="Laporan TW I.pdf")
    assert pdf.realisation.row == rows_of(agreement)[0]
    stored = pdf.file.read()  # kept as sanitised when it was first chosen
    assert stored.startswith(b"%PDF") and hashlib.sha256(stored).hexdigest() == pdf.sha256
    assert pdf.content_type == "application/pdf" and pdf.size == len(stored)
    png = Evidence.objects.get(original_name="foto.png")
    assert png.file.read() == a_png() and png.size == len(a_png())
    assert png.realisation.row == rows_of(agreement)[2]
    assert pending_files(settings) == []  # used, so gone from the pending folder
    # The same reference once more (a re-sent page) stores nothing twice.
    data = form_data(agreement, GOOD, lock_versions=current_locks(agreement),
                     **{"form-0-pending_evidence": first})  # fmt: skip
    response = client.post(url(agreement), data)
    assert response.status_code == 400
    assert "sudah tidak tersedia" in response.content.decode()
    assert Evidence.objects.count() == 2


def test_a_second_error_keeps_the_file_and_a_new_choice_replaces_it(client, cast, settings):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    data = form_data(agreement, A_SLIP,
                     **{"form-0-evidence": SimpleUploadedFile("lama.pdf", a_pdf())})  # fmt: skip
    first = reference_of(client.post(url(agreement), data).content.decode(), 0)
    # Another slip: the pending file is shown again, still one file in storage.
    data = form_data(agreement, A_SLIP, **{"form-0-pending_evidence": first})
    page = client.post(url(agreement), data).content.decode()
    assert reference_of(page, 0) == first and "lama.pdf" in page
    assert len(pending_files(settings)) == 1
    # A newly chosen file replaces the pending one (which leaves the storage).
    data = form_data(agreement, A_SLIP, **{"form-0-pending_evidence": first,
                                           "form-0-evidence": SimpleUploadedFile("baru.png",
                                                                                 a_png())})  # fmt: skip
    page = client.post(url(agreement), data).content.decode()
    second = reference_of(page, 0)
    assert second != first and "baru.png" in page and "lama.pdf" not in page
    assert len(pending_files(settings)) == 1
    data = form_data(agreement, GOOD, **{"form-0-pending_evidence": second})
    assert client.post(url(agreement), data).status_code == 302
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["baru.png"]


def test_a_reference_works_only_for_its_own_person_pk_and_line(client, cast):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    data = form_data(agreement, A_SLIP,
                     **{"form-0-evidence": SimpleUploadedFile("bukti.pdf", a_pdf())})  # fmt: skip
    reference = reference_of(client.post(url(agreement), data).content.decode(), 0)
    for field, value in (
        ("form-1-pending_evidence", reference),  # another indicator
        ("form-0-pending_evidence", reference[:-3] + "abc"),
    ):  # tampered
        response = client.post(url(agreement), form_data(agreement, GOOD, **{field: value}))
        assert response.status_code == 400
        assert "Pilih berkasnya lagi." in response.content.decode()
    colleague = make_user("op.bontang.2", unit_code="64.74.sekretariat")
    client.force_login(colleague)
    data = form_data(agreement, GOOD, **{"form-0-pending_evidence": reference})
    assert client.post(url(agreement), data).status_code == 400
    assert not Evidence.objects.exists()


def test_an_invalid_file_is_named_and_a_valid_one_beside_it_is_kept(client, cast, settings):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    word = SimpleUploadedFile("notulen rapat.docx", b"PK\x03\x04 not a pdf")
    data = form_data(agreement, GOOD, **{"form-1-evidence": word,
                                         "form-0-evidence": SimpleUploadedFile("baik.pdf",
                                                                               a_pdf())})  # fmt: skip
    response = client.post(url(agreement), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Berkas notulen rapat.docx tidak diterima: Bukti dukung harus berkas PDF" in page
    assert reference_of(page, 0) and 'name="form-1-pending_evidence"' not in page
    assert len(pending_files(settings)) == 1


def test_housekeeping_deletes_a_file_chosen_but_never_saved(client, cast, settings):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    data = form_data(agreement, A_SLIP,
                     **{"form-0-evidence": SimpleUploadedFile("bukti.pdf", a_pdf())})  # fmt: skip
    reference = reference_of(client.post(url(agreement), data).content.decode(), 0)
    (key,) = [f"imports/{p.name}" for p in pending_files(settings)]
    chosen_at = default_storage.get_modified_time(key)
    assert purge_abandoned_imports(chosen_at + datetime.timedelta(hours=1)) == []
    assert purge_abandoned_imports(chosen_at + datetime.timedelta(days=2)) == [key]
    assert pending_files(settings) == []
    data = form_data(agreement, GOOD, **{"form-0-pending_evidence": reference})
    response = client.post(url(agreement), data)
    assert "sudah tidak tersedia" in response.content.decode()


def test_the_remove_box_is_labelled_on_its_own_line_apart_from_the_name(client, cast):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    data = form_data(agreement, GOOD,
                     **{"form-0-evidence": SimpleUploadedFile("bukti.pdf", a_pdf())})  # fmt: skip
    assert client.post(url(agreement), data).status_code == 302
    evidence = Evidence.objects.get()
    page = client.get(url(agreement)).content.decode()
    item = re.search(r'<li class="pk-evidence-item.*?</li>', page, re.S).group(0)
    link, box = item.index(">bukti.pdf</a>"), item.index(f'id="hapus-{evidence.pk}"')
    assert link < item.index('<div class="form-check') < box  # the name, then a separate box
    assert re.search(rf'<label class="form-check-label" for="hapus-{evidence.pk}">Hapus berkas '
                     r'ini<span class="visually-hidden">: bukti.pdf</span></label>', item)  # fmt: skip
    assert "Centang untuk menghapus" not in page


LONG = (
    "Persentase pengelolaan keuangan, barang milik negara dan layanan pengadaan yang "
    "dilaksanakan sesuai ketentuan peraturan perundang-undangan"
)


def test_the_missing_list_names_each_indicator_whole(client, cast):
    agreement = cast["agreement"]
    IndicatorRow.objects.filter(pk=rows_of(agreement)[1].pk).update(text=LONG)
    client.force_login(cast["operator"])
    data = form_data(agreement, ["90", "", "WTP", "8"], action="submit")
    data["form-1-explanation"] = ""
    response = client.post(url(agreement), data)
    assert response.status_code == 400
    assert f"1 indikator belum diisi realisasinya atau penjelasan mengapa belum ada ({LONG})" in (
        response.content.decode()
    )


def test_a_short_name_ends_at_a_whole_word():
    cut = short_name(LONG, 80)
    assert cut.endswith("…") and len(cut) <= 80
    assert LONG.startswith(cut[:-1]) and LONG[len(cut) - 1] == " "
    assert short_name("Jumlah laporan", 80) == "Jumlah laporan"


def test_a_save_after_the_quarter_closed_keeps_no_pending_file(client, cast, settings):
    agreement = cast["agreement"]
    data = form_data(agreement, A_SLIP,
                     **{"form-0-evidence": SimpleUploadedFile("bukti.pdf", a_pdf())})  # fmt: skip
    with time_machine.travel(datetime.datetime(2027, 5, 1, tzinfo=datetime.UTC), tick=False):
        client.force_login(cast["operator"])
        assert client.post(url(agreement), data).status_code == 409
    assert pending_files(settings) == []
