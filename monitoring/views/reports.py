"""The monitoring dashboards and the measurement table downloads.

Who may see what (deny by default; LoginRequiredMiddleware sends anonymous users to log in):
- the national page (every unit of the country): national reviewers (Biro Perencanaan,
  Inspektorat) and superusers; anyone else gets a 403;
- a Provinsi page (every unit of the province): the province's compilers, the signatories of
  the KPU Provinsi and of its Sekretariat (Ketua, Sekretaris), national reviewers and
  superusers. The province is looked up through `Unit.objects.visible_to(user)`, so another
  province is a 404; a user of the province without one of those roles gets a 403. Where the
  reader may not open a Kab/Kota's PK pages (a Ketua of the KPU Provinsi), its row has no links;
- the measurement table of a PK's quarter (.xlsx, PDF): whoever may see the PK
  (`Agreement.objects.visible_to`), others a 404.

The rules of the province pages are monitoring.permissions (province_page_access,
province_home_of); the data side is monitoring.dashboards (rows, filters, counts) and
monitoring.exports.
"""

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from agreements.models import Agreement
from agreements.views.common import forbidden
from monitoring import capaian
from monitoring.dashboards.board import NOT_SUBMITTED, build_board
from monitoring.dashboards.rows import CATEGORY_TONES, ReportState, last_ended_quarter
from monitoring.exports import (
    XLSX,
    dashboard_xlsx,
    measurement_filename,
    measurement_pdf,
    measurement_table,
    measurement_xlsx,
)
from monitoring.models import MONITORED_STATUSES, Quarter, ReportingPeriod
from monitoring.permissions import province_home_of, province_page_access
from organisations.models import Unit, UnitKind
from submissions.services import is_national_reviewer

PER_PAGE = 100
YEARS = range(2020, 2101)  # as Agreement.year allows


def _valid(year: int, quarter: int) -> None:
    if year not in YEARS or quarter not in Quarter.values:
        raise Http404(_("Tahun atau triwulan tidak dikenal."))


def national_only(view):
    """403 (with the reason) for anyone but a national reviewer or a superuser."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_national_reviewer(request.user):
            return forbidden(
                request,
                _(
                    "Halaman pemantauan nasional hanya untuk reviewer Biro Perencanaan dan "
                    "Inspektorat KPU."
                ),
            )
        return view(request, *args, **kwargs)

    return wrapper


def _quarter_links(name: str, prefix: list, year: int) -> list[dict]:
    return [
        {"number": q, "label": label, "url": reverse(name, args=[*prefix, year, q])}
        for q, label in Quarter.choices
    ]


def _cards(counts: dict, chosen: str) -> list[dict]:
    """The count cards above the table; each but the first two filters by its state."""
    cards = [
        {"key": "total", "label": _("Unit"), "count": counts["total"]},
        {"key": "signed", "label": _("PK bertanda tangan"), "count": counts["signed"]},
    ]
    shown = [
        (ReportState.NOT_REPORTED, "danger"),
        (NOT_SUBMITTED, ""),
        (ReportState.SUBMITTED, "warning-emphasis"),
        (ReportState.VERIFIED, "success"),
        (ReportState.RETURNED, "danger"),
        (ReportState.NOT_SIGNED, "secondary"),
        (ReportState.NO_PK, "secondary"),
    ]
    for state, tone in shown:
        label = _("Belum diajukan") if state == NOT_SUBMITTED else ReportState.LABELS[state]
        cards.append({"key": state, "label": label, "count": counts[state], "tone": tone,
                      "param": state, "active": state == chosen})  # fmt: skip
    return cards


def _categories(counts: dict) -> list[dict]:
    return [
        {"key": key, "label": label, "count": counts[key], "tone": CATEGORY_TONES[key]}
        for key, label in capaian.CATEGORY_LABELS.items()
    ]


def _dashboard(request, board, *, title, page_name, prefix, export_url, province=None):
    page = Paginator(board.rows, PER_PAGE).get_page(request.GET.get("halaman"))
    year, quarter = board.year, board.quarter
    return render(
        request,
        "monitoring/reports/dashboard.html",
        {
            "title": title,
            "board": board,
            "page": page,
            "counts": board.counts,
            "form": board.form,
            "year": year,
            "quarter": quarter,
            "quarter_label": Quarter(quarter).label,
            "quarters": _quarter_links(page_name, prefix, year),
            "years": [
                {"year": y, "url": reverse(page_name, args=[*prefix, y, quarter])}
                for y in (year - 1, year + 1)
                if y in YEARS
            ],
            "closes_on": ReportingPeriod.objects.closing_date(year, quarter),
            "export_url": export_url,
            "province": province,
            "is_national": province is None,
            "cards": _cards(board.counts, board.form.filters().get("status", "")),
            "categories": _categories(board.counts),
            "can_see_national": is_national_reviewer(request.user),
        },
    )


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


# --- national -----------------------------------------------------------------------------
@require_GET
@national_only
def national_home(request):
    year, quarter = last_ended_quarter(timezone.localdate())
    return redirect("monitoring_reports:national", year=year, quarter=quarter)


def _national_board(request, year, quarter):
    _valid(year, quarter)
    return build_board(Unit.objects.all(), year, quarter, request.GET)


@require_GET
@national_only
def national_page(request, year, quarter):
    """Every unit's capaian and reporting state of the quarter, for KPU's reviewers."""
    board = _national_board(request, year, quarter)
    return _dashboard(
        request,
        board,
        title=_("Pemantauan kinerja nasional %(quarter)s %(year)s")
        % {"quarter": Quarter(quarter).label, "year": year},
        page_name="monitoring_reports:national",
        prefix=[],
        export_url=reverse("monitoring_reports:national_xlsx", args=[year, quarter]),
    )


@require_GET
@national_only
def national_xlsx(request, year, quarter):
    board = _national_board(request, year, quarter)
    title = _("Pemantauan TW%(q)s %(year)s") % {"q": quarter, "year": year}
    return _xlsx_response(
        dashboard_xlsx(board, title), f"pemantauan-nasional-{year}-tw{quarter}.xlsx"
    )


# --- province -----------------------------------------------------------------------------
@require_GET
def province_home(request):
    """A compiler or a provincial official goes to their province; a national reviewer to
    the national page (it filters by province); anyone else is refused."""
    province, refusal = province_home_of(request.user)
    if refusal:
        return forbidden(request, refusal)
    year, quarter = last_ended_quarter(timezone.localdate())
    if province is not None:
        return redirect("monitoring_reports:province", province.code, year, quarter)
    return redirect("monitoring_reports:national", year=year, quarter=quarter)


def _province_board(request, province_code, year, quarter):
    """(province, board, None) or raises Http404; (province, None, why) when the user may
    not see it."""
    _valid(year, quarter)
    provinces = Unit.objects.visible_to(request.user).filter(kind=UnitKind.PROVINSI)
    province = get_object_or_404(provinces, code=province_code)
    refusal, visible_ids = province_page_access(request.user, province.pk)
    if refusal:
        return province, None, refusal
    scope = Unit.objects.filter(province=province)
    board = build_board(
        scope, year, quarter, request.GET, province_filter=False, visible_ids=visible_ids
    )
    return province, board, None


@require_GET
def province_page(request, province_code, year, quarter):
    """The province's units (its own offices and every Kab/Kota) for one quarter."""
    province, board, refusal = _province_board(request, province_code, year, quarter)
    if refusal:
        return forbidden(request, refusal)
    return _dashboard(
        request,
        board,
        title=_("Pemantauan kinerja %(province)s %(quarter)s %(year)s")
        % {"province": province.short_name, "quarter": Quarter(quarter).label, "year": year},
        page_name="monitoring_reports:province",
        prefix=[province.code],
        export_url=reverse(
            "monitoring_reports:province_xlsx", args=[province.code, year, quarter]
        ),  # fmt: skip
        province=province,
    )


@require_GET
def province_xlsx(request, province_code, year, quarter):
    province, board, refusal = _province_board(request, province_code, year, quarter)
    if refusal:
        return forbidden(request, refusal)
    title = _("Pemantauan TW%(q)s %(year)s") % {"q": quarter, "year": year}
    return _xlsx_response(
        dashboard_xlsx(board, title), f"pemantauan-{province.code}-{year}-tw{quarter}.xlsx"
    )


# --- one PK's measurement table -------------------------------------------------------------
def _monitored_agreement(request, pk, quarter):
    """The PK (404 for one the user may not see), or a redirect to it with the reason."""
    if quarter not in Quarter.values:
        raise Http404(_("Triwulan tidak dikenal."))
    agreement = get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related(
            "unit", "unit__parent", "unit__satker"
        ),
        pk=pk,
    )
    if agreement.status not in MONITORED_STATUSES:
        messages.error(
            request,
            _("Pengukuran kinerja hanya tersedia untuk PK yang sudah ditandatangani."),
        )
        return None, redirect(agreement)
    return agreement, None


@require_GET
@cache_control(private=True, no_cache=True)
def measurement_xlsx_view(request, pk, quarter):
    agreement, refused = _monitored_agreement(request, pk, quarter)
    if refused:
        return refused
    content = measurement_xlsx(agreement, quarter)
    return _xlsx_response(content, measurement_filename(agreement, quarter, "xlsx"))


@require_GET
@cache_control(private=True, no_cache=True)
def measurement_pdf_view(request, pk, quarter):
    agreement, refused = _monitored_agreement(request, pk, quarter)
    if refused:
        return refused
    table = measurement_table(agreement, quarter)
    response = HttpResponse(
        measurement_pdf(agreement, quarter, table), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=measurement_filename(agreement, quarter, "pdf")
    )
    return response
