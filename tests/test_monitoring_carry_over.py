"""A returned PK's lampiran rebuilt: its realisations and evidence follow their indicators."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from agreements.lampiran import replace_lampiran
from agreements.models import Agreement, IndicatorRow, StaleAgreement
from monitoring.models import Evidence, QuarterEvent, Realisation
from tests.factories import make_user
from tests.test_monitoring_views import INDICATORS, cast, programme_rows  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def row(agreement, text):
    return IndicatorRow.objects.get(sasaran__kegiatan__programme__agreement=agreement, text=text)


def test_realisations_follow_their_indicator_and_leave_with_a_removed_one(cast):  # noqa: F811
    agreement = cast["agreement"]
    operator = cast["operator"]
    kept_text, removed_text = INDICATORS[0][0], INDICATORS[1][0]
    kept = Realisation.objects.create(row=row(agreement, kept_text), agreement=agreement,
                                      quarter=1, value=Decimal("97"), explanation="Tepat waktu",
                                      entered_by=operator)  # fmt: skip
    evidence = Evidence(realisation=kept, original_name="bukti.pdf", content_type="application/pdf",
                        size=8, sha256="0" * 64, uploaded_by=operator)  # fmt: skip
    evidence.file.save("bukti.pdf", ContentFile(b"%PDF-1.7"), save=True)
    removed = Realisation.objects.create(row=row(agreement, removed_text), agreement=agreement,
                                         quarter=1, value=Decimal("1"), entered_by=operator)  # fmt: skip
    removed_evidence = Evidence(realisation=removed, original_name="x.pdf", size=8,
                                content_type="application/pdf", sha256="1" * 64,
                                uploaded_by=operator)  # fmt: skip
    removed_evidence.file.save("x.pdf", ContentFile(b"%PDF-1.7"), save=True)
    removed_file = removed_evidence.file.name

    # Returned by the reviewer: the operator changes a target, drops one indicator, adds one.
    Agreement.objects.filter(pk=agreement.pk).update(status="dikembalikan")
    agreement.refresh_from_db()
    changed = [(kept_text, "95%")] + INDICATORS[2:] + [("Jumlah rapat koordinasi", "4 kali")]
    with transaction.atomic():
        replace_lampiran(agreement, programme_rows(changed), user=make_user("penyusun"))

    kept.refresh_from_db()
    assert kept.row == row(agreement, kept_text)  # the new row
    assert kept.row.target_text == "95%"
    assert (kept.value, kept.explanation) == (Decimal("97"), "Tepat waktu")
    assert list(kept.evidence.values_list("pk", flat=True)) == [evidence.pk]
    assert default_storage.exists(evidence.file.name)
    assert not Realisation.objects.filter(pk=removed.pk).exists()
    assert not default_storage.exists(removed_file)
    assert not Realisation.objects.filter(row__isnull=True).exists()
    # The quarter's history says what the rebuilt lampiran did, and who rebuilt it.
    event = QuarterEvent.objects.get(agreement=agreement, quarter=1, action="lampiran")
    assert event.actor.username == "penyusun"
    assert event.changes == [
        f"{kept_text}: target 100% → 95%, realisasi tetap",
        f"{removed_text}: realisasi dihapus karena indikatornya tidak ada lagi di lampiran",
    ]


def test_a_refused_replacement_leaves_every_realisation_where_it_was(cast):  # noqa: F811

    agreement = cast["agreement"]
    Agreement.objects.filter(pk=agreement.pk).update(status="dikembalikan")
    agreement.refresh_from_db()
    realisation = Realisation.objects.create(row=row(agreement, INDICATORS[0][0]),
                                             agreement=agreement, quarter=1, value=Decimal("5"),
                                             entered_by=cast["operator"])  # fmt: skip
    with pytest.raises(StaleAgreement):
        replace_lampiran(agreement, programme_rows([]), expected_lock_version=999)
    realisation.refresh_from_db()
    assert realisation.row_id is not None
