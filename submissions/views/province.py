"""The KPU Provinsi's pages: its regencies' PKs for a year, compiling them, sending them to KPU.

Who may do what (deny by default; LoginRequiredMiddleware sends anonymous users to log in):
- see the Provinsi page, a compilation's progress and its downloads: a compiler of that
  province, national reviewers (Perencanaan, Inspektorat) and superusers;
- compile, submit a finished compilation to KPU, and take a sent one back before any
  reviewer decided on its PKs: a compiler of that province only.
Every lookup goes through `Unit.objects.visible_to(user)`, so another province is a 404; a
user who may see the province but has no role here (e.g. its operator) gets a 403.
"""

import logging

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from agreements.models import Agreement
from agreements.planning import planning_year, years_to_offer
from agreements.views.common import forbidden
from organisations.models import Role, Unit, UnitKind
from submissions.compilation import (
    CompilationRefused,
    current_step,
    province_overview,
    submit_compilation,
)
from submissions.compilation.starting import STALE_AFTER, start_compilation
from submissions.deadlines import compilation_deadline
from submissions.models import Compilation, CompilationCalendar, CompilationStatus, Decision
from submissions.services import SubmissionRefused, is_compiler_of, is_national_reviewer
from submissions.tasks import compile_province
from submissions.withdrawal import compilation_withdrawal_refusal, withdraw_compilation

logger = logging.getLogger(__name__)

YEARS = range(2020, 2101)  # as Agreement.year allows
RECENT_COMPILATIONS = 5


def _visible_province(request, province_code: str, year: int) -> Unit:
    if year not in YEARS:
        raise Http404
    provinces = Unit.objects.visible_to(request.user).filter(kind=UnitKind.PROVINSI)
    return get_object_or_404(provinces, code=province_code)


def _visible_compilation(request, pk: int) -> Compilation:
    compilations = Compilation.objects.filter(
        province__in=Unit.objects.visible_to(request.user)
    ).select_related("province", "requested_by", "submitted_by")
    return get_object_or_404(compilations, pk=pk)


def _may_view(user, province_id: int) -> bool:
    return is_national_reviewer(user) or is_compiler_of(user, province_id)


def _refusal_to_view() -> str:
    return _("Halaman kompilasi hanya untuk operator kompilasi KPU Provinsi ini dan reviewer KPU.")


def _progress_context(compilation: Compilation, is_compiler: bool) -> dict:
    unfinished = compilation.status in {CompilationStatus.QUEUED, CompilationStatus.RUNNING}
    stale = unfinished and compilation.created_at < timezone.now() - STALE_AFTER
    return {
        "compilation": compilation,
        "step": current_step(compilation),
        "polling": unfinished and not stale,  # a lost one would be polled for ever
        "stale": stale,
        "can_submit": is_compiler
        and compilation.status == CompilationStatus.DONE
        and compilation.submitted_at is None,
        # Offered while no reviewer decided any of its PKs (submissions.withdrawal).
        "can_withdraw": is_compiler
        and compilation.submitted_at is not None
        and not compilation.submissions.exclude(decision=Decision.PENDING).exists(),
    }


def _page_url(province_code: str, year: int) -> str:
    return reverse("submissions:province", args=[province_code, year])


@require_GET
def province_home(request):
    """The entry point of the navigation: a compiler goes to their province, a national
    reviewer chooses one; anyone else is refused."""
    year = planning_year(timezone.localdate())
    compiled = (
        Unit.objects.filter(
            kind=UnitKind.PROVINSI,
            province_units__memberships__user=request.user,
            province_units__memberships__role=Role.COMPILER,
            province_units__memberships__is_active=True,
        )
        .distinct()
        .order_by("path")
    )
    if not is_national_reviewer(request.user):
        own = list(compiled[:2])
        if len(own) == 1:
            return redirect("submissions:province", own[0].code, year)
        if not own:
            return forbidden(request, _refusal_to_view())
        provinces = compiled
    else:
        provinces = Unit.objects.filter(kind=UnitKind.PROVINSI).order_by("path")
    return render(request, "submissions/province_list.html", {"provinces": provinces, "year": year})


@require_GET
def province_page(request, province_code, year):
    province = _visible_province(request, province_code, year)
    is_compiler = is_compiler_of(request.user, province.pk)
    if not (is_compiler or is_national_reviewer(request.user)):
        return forbidden(request, _refusal_to_view())
    compilations = Compilation.objects.filter(province=province, year=year).select_related(
        "province", "requested_by", "submitted_by"
    )[:RECENT_COMPILATIONS]
    return render(
        request,
        "submissions/province.html",
        {
            "province": province,
            "year": year,
            "overview": province_overview(province, year, timezone.now()),
            "compilations": [_progress_context(c, is_compiler) for c in compilations],
            "is_compiler": is_compiler,
            "years": years_to_offer(
                Agreement.objects.filter(unit__province_id=province.pk)
                .values_list("year", flat=True)
                .distinct(),
                timezone.localdate(),
                shown=year,
            ),
            "compile_deadline": compilation_deadline(
                year,
                province.time_zone,
                CompilationCalendar.objects.filter(year=year)
                .values_list("compile_by", flat=True)
                .first(),
            ),
        },
    )


def _enqueue(compilation_id: int) -> None:
    """Queue the build; a broker that cannot be reached fails the compilation, readably."""
    try:
        compile_province.delay(compilation_id)
    except Exception:
        logger.exception("Could not queue compilation %s", compilation_id)
        Compilation.objects.filter(pk=compilation_id, status=CompilationStatus.QUEUED).update(
            status=CompilationStatus.FAILED,
            error=_("Antrean tugas tidak dapat dihubungi. Coba lagi beberapa saat lagi."),
            finished_at=timezone.now(),
        )


@require_POST
def compile_view(request, province_code, year):
    """Start a compilation of the province's Kab/Kota PKs of `year` (one at a time).

    Side effects: a Compilation row (requested_by), and the Celery task queued once the row
    is committed, so that a worker always finds it.
    """
    province = _visible_province(request, province_code, year)
    if not is_compiler_of(request.user, province.pk):
        return forbidden(
            request, _("Hanya operator kompilasi KPU Provinsi ini yang dapat menyusun kompilasi.")
        )
    with transaction.atomic():
        compilation, created = start_compilation(province, year, request.user)
        if created:
            transaction.on_commit(lambda: _enqueue(compilation.pk))
    if created:
        messages.success(
            request, _("Kompilasi disusun di latar belakang; kemajuannya tampil di bawah.")
        )
    elif compilation.status == CompilationStatus.DONE:
        messages.info(
            request,
            _("Kompilasi ini baru saja selesai dan sudah memuat semua PK yang disampaikan."),
        )
    else:
        messages.info(
            request, _("Kompilasi sebelumnya masih berjalan; kemajuannya tampil di bawah.")
        )
    return redirect(f"{_page_url(province.code, year)}#kompilasi-{compilation.pk}")


@require_GET
@cache_control(private=True, no_store=True)
def compilation_progress(request, pk):
    """The progress partial; htmx polls it every second until the compilation is done."""
    compilation = _visible_compilation(request, pk)
    is_compiler = is_compiler_of(request.user, compilation.province_id)
    if not (is_compiler or is_national_reviewer(request.user)):
        return forbidden(request, _refusal_to_view())
    return render(
        request,
        "submissions/_compilation_progress.html",
        _progress_context(compilation, is_compiler),
    )


@require_POST
def compilation_submit(request, pk):
    """Send a finished compilation to KPU (submit_compilation says what it changes)."""
    compilation = _visible_compilation(request, pk)
    if not is_compiler_of(request.user, compilation.province_id):
        return forbidden(
            request,
            _(
                "Hanya operator kompilasi KPU Provinsi ini yang dapat menyampaikan "
                "kompilasi ke KPU."
            ),
        )
    try:
        count = submit_compilation(compilation, request.user)
    except CompilationRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "Kompilasi disampaikan ke KPU dengan %(count)s PK; reviewer KPU kini dapat "
                "memeriksanya."
            )
            % {"count": count},
        )
    return redirect(
        f"{_page_url(compilation.province.code, compilation.year)}#kompilasi-{compilation.pk}"
    )


def _download(request, pk, field_name: str, suffix: str, content_type: str):
    compilation = _visible_compilation(request, pk)
    if not _may_view(request.user, compilation.province_id):
        return forbidden(request, _refusal_to_view())
    stored = getattr(compilation, field_name)
    if compilation.status != CompilationStatus.DONE or not stored:
        raise Http404
    try:
        handle = stored.storage.open(stored.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = (
        f"kompilasi-pk-{compilation.province.code}-{compilation.year}-{compilation.pk}-{suffix}"
    )
    # Streamed from storage in blocks; never a public media URL.
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


@require_GET
@cache_control(private=True, no_store=True)
def compilation_pdf(request, pk):
    return _download(request, pk, "reading_pdf", "baca.pdf", "application/pdf")


@require_GET
@cache_control(private=True, no_store=True)
def compilation_zip(request, pk):
    return _download(request, pk, "originals_zip", "asli.zip", "application/zip")


@require_POST
def compilation_withdraw(request, pk):
    """ "Tarik kembali" a compilation sent to KPU that no reviewer has decided on yet
    (submissions.withdrawal says what it changes)."""
    compilation = _visible_compilation(request, pk)
    if not is_compiler_of(request.user, compilation.province_id):
        return forbidden(request, compilation_withdrawal_refusal(request.user, compilation))
    try:
        count = withdraw_compilation(compilation, request.user)
    except SubmissionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Kompilasi ditarik kembali dari KPU; %(count)s PK di dalamnya menunggu kompilasi "
              "berikutnya dan reviewer KPU diberi tahu.") % {"count": count},
        )  # fmt: skip
    return redirect(
        f"{_page_url(compilation.province.code, compilation.year)}#kompilasi-{compilation.pk}"
    )
