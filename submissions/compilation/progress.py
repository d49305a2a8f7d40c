"""How far a compilation got: the steps `build_compilation` counts in `Compilation.progress`
and `Compilation.total`, and the words the progress bar shows for each."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from submissions.models import Compilation, CompilationStatus

# Steps counted in `Compilation.progress` besides one per signed file: listing the PKs, the
# cover/contents/report, merging the reading PDF, the ZIP (see `current_step`).
FIXED_STEPS = 4

ProgressCallback = Callable[[int, int], None]


def current_step(compilation: Compilation) -> str:
    """What the compilation is doing, for the progress bar, from its progress and total."""
    if compilation.status == CompilationStatus.QUEUED:
        return _("Menunggu giliran di antrean")
    if compilation.status == CompilationStatus.DONE:
        return _("Selesai")
    if compilation.status == CompilationStatus.FAILED:
        return _("Gagal")
    files = max(compilation.total - FIXED_STEPS, 0)
    done = compilation.progress
    if compilation.total == 0 or done < 1:
        return _("Menyusun daftar PK")
    if done < 1 + files:
        return _("Membaca berkas bertanda tangan %(n)s dari %(total)s") % {
            "n": done,
            "total": files,
        }
    if done == 1 + files:
        return _("Menyusun sampul, daftar isi dan laporan kelengkapan")
    if done == 2 + files:
        return _("Menggabungkan PDF baca")
    return _("Menyusun arsip ZIP berkas asli")
