"""The lampiran template (docs/import-format.md): its columns in order, the name of its sheet,
the notes and the example rows it is handed out with, and the limits of a file read as one."""

from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow
from indicators.targets import parse_target

COLUMNS = [
    "jenis",
    "program_kode",
    "program",
    "kegiatan_kode",
    "kegiatan",
    "sasaran",
    "indikator",
    "target",
    "anggaran",
]
SHEET_NAME = "Lampiran"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 1000  # the largest real PK has about 250 indicators

TEMPLATE_NOTES = [
    "Templat lampiran Perjanjian Kinerja (PK Portal)",
    "Satu baris per indikator kinerja, urut seperti tabel lampiran; lalu satu baris per anggaran.",
    "jenis: INDIKATOR atau ANGGARAN",
    "program_kode, program: misalnya 076.01.CQ, Program Penyelenggaraan Pemilihan Umum "
    "(boleh kosong bila PK tidak memuat program)",
    "kegiatan_kode, kegiatan: misalnya 3355, Perencanaan Program dan Anggaran (boleh kosong)",
    "sasaran: sasaran strategis; baris berurutan dengan sasaran yang sama menjadi satu sasaran",
    "indikator: teks indikator kinerja",
    "target: seperti dicetak, misalnya 100%, 1 Lembaga, 2 laporan, 85, WTP",
    "anggaran: hanya untuk baris ANGGARAN, rupiah tanpa sen, misalnya 21057000 atau "
    "Rp 21.057.000,-",
    "Jangan memakai rumus: isi setiap sel dengan nilainya.",
]

TEMPLATE_EXAMPLE = [
    LampiranRow(
        jenis=INDIKATOR,
        program_kode="076.01.CQ",
        program="Program Penyelenggaraan Pemilihan Umum",
        kegiatan="Penguatan Kualitas Peraturan Perundang-Undangan",
        sasaran="Terlaksananya penguatan Peraturan KPU sesuai dengan kaidah yang berlaku",
        indikator="Persentase Keputusan KPU yang disusun dengan tepat waktu",
        target=parse_target("100%"),
    ),
    LampiranRow(
        jenis=ANGGARAN,
        program_kode="076.01.CQ",
        program="Program Penyelenggaraan Pemilihan Umum",
        anggaran=21057000,
    ),
]
