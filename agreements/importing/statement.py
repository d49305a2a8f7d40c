"""The statement page of last year's PK (.docx): the parties, the place and the date.

As the seeds print it: "Nama : …" and "Jabatan : …" for Pihak Pertama, then for Pihak Kedua
(a Ketua's own PK has one pair); "NIP : …" under a name, or "NIP. 1978…" under a name in the
signature blocks; "Bontang, 15 Januari 2026" above the signatures; "PERJANJIAN KINERJA TAHUN 2026".
"""

import datetime
import re
from dataclasses import dataclass, field

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
            "september", "oktober", "november", "desember",
        ],
        start=1,
    )
}  # fmt: skip
_FIELD = re.compile(r"(?i)^(?P<label>nama|jabatan|nip)\s*[:.]\s*(?P<value>.+)$")
_NIP = re.compile(r"(?i)^nip\.?\s*:?\s*(?P<nip>\d[\d ]{16,}\d)\s*$")
_PLACE_DATE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .'-]{1,60}),\s*(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\s+"
    r"(?P<year>\d{4})\s*$"
)
_YEAR = re.compile(r"(?i)perjanjian kinerja\s+tahun\s+(?P<year>\d{4})")


@dataclass
class Party:
    name: str = ""
    position: str = ""
    nip: str = ""


@dataclass
class Statement:
    parties: list[Party] = field(default_factory=list)
    place: str = ""
    date: datetime.date | None = None
    year: int | None = None

    @property
    def pihak_pertama(self) -> Party | None:
        return self.parties[0] if self.parties else None

    @property
    def pihak_kedua(self) -> Party | None:
        return self.parties[1] if len(self.parties) > 1 else None

    @property
    def found(self) -> bool:
        return bool(self.parties or self.place)


def read_statement(lines: list[str]) -> Statement:
    statement = Statement()
    previous = ""
    for line in lines:
        text = re.sub(r"\s+", " ", line).strip()
        if statement.year is None and (year := _YEAR.search(text)):
            statement.year = int(year.group("year"))
        if nip := _NIP.match(text):
            _attach_nip(statement, nip.group("nip").replace(" ", ""), previous)
        elif match := _FIELD.match(text):
            label, value = match.group("label").lower(), match.group("value").strip()
            if label == "nama":
                statement.parties.append(Party(name=value))
            elif label == "jabatan" and statement.parties and not statement.parties[-1].position:
                statement.parties[-1].position = value
            elif label == "nip":
                _attach_nip(statement, re.sub(r"\D", "", value), previous)
        elif not statement.place and (when := _PLACE_DATE.match(text)):
            month = MONTHS.get(when.group("month").lower())
            if month:
                try:
                    statement.date = datetime.date(
                        int(when.group("year")), month, int(when.group("day"))
                    )
                except ValueError:
                    statement.date = None
                statement.place = when.group("place").strip()
        previous = text
    return statement


def _attach_nip(statement: Statement, nip: str, previous: str) -> None:
    """A NIP belongs to the party named on the line before it, else to the last one named."""
    if len(nip) != 18:
        return
    for party in statement.parties:
        if party.name and party.name.lower() == previous.lower().strip("() "):
            party.nip = party.nip or nip
            return
    if statement.parties and previous.lower().startswith("nama"):
        statement.parties[-1].nip = statement.parties[-1].nip or nip
