from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.targets import parse_target
from indicators.text import normalise_text


@pytest.mark.parametrize(
    ("printed", "value", "unit", "grade", "again"),
    [
        ("100%", Decimal(100), "%", "", "100%"),
        ("100 %", Decimal(100), "%", "", "100%"),
        ("95,5%", Decimal("95.5"), "%", "", "95,5%"),
        ("1 Lembaga", Decimal(1), "Lembaga", "", "1 Lembaga"),
        ("10 Lembaga/Instansi", Decimal(10), "Lembaga/Instansi", "", "10 Lembaga/Instansi"),
        ("300 orang", Decimal(300), "orang", "", "300 orang"),
        ("1.000 orang", Decimal(1000), "orang", "", "1000 orang"),
        ("85", Decimal(85), "", "", "85"),
        ("WTP", None, "", "WTP", "WTP"),
        ("b", None, "", "B", "B"),
    ],
)
def test_targets_are_read_as_printed(printed, value, unit, grade, again):
    target = parse_target(printed)
    assert (target.value, target.unit, target.grade) == (value, unit, grade)
    assert target.printed == again


@pytest.mark.parametrize("text", ["seratus persen", "", "   ", "%", "lima lembaga", "ZZZ"])
def test_a_target_in_words_is_refused_in_indonesian(text):
    with pytest.raises(ValidationError) as excinfo:
        parse_target(text)
    message = excinfo.value.messages[0]
    assert "Target" in message


def test_normalised_texts_ignore_case_spacing_and_punctuation():
    assert normalise_text("Persentase  KPU Kota Bontang, dalam Menyajikan") == normalise_text(
        "persentase kpu kota bontang dalam menyajikan"
    )
    assert normalise_text("Laporan Pertanggung Jawaban") == normalise_text(
        "laporan pertanggungjawaban"
    )
    assert normalise_text("KFU Kota Bontang") == normalise_text("KPU Kota Bontang")
