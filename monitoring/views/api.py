"""The read API of the monitoring, for a national system to pull targets, realisations and
capaian (documented in docs/api/openapi.yaml, served at /api/v1/openapi.json).

    GET /api/v1/pemantauan/<unit_code>/<year>/

Authentication: the PK Portal session (a browser, or a script that logged in), or HTTP Basic
with the same accounts (a service account of the national system). Basic is chosen because it
needs no new model or token table, every HTTP client speaks it, and it goes through Django's
`authenticate()`, so django-axes counts its failures and locks the account exactly like the
login form; it must only travel over TLS (production sets HSTS and SSL redirects). No session
is created for a Basic request.

Permission: the same scoping as every page (`Unit.objects.visible_to`): another office's unit
is a 404, as if it did not exist. Errors are JSON in Indonesian: {"error": {"code", "message"}}.
An anonymous request that asks for JSON (Accept: application/json) or sends wrong credentials
gets a 401 with a WWW-Authenticate header; an anonymous browser is sent to the login page like
everywhere else on the site.
"""

import base64
import binascii
import functools
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from agreements.models import Agreement, AgreementStatus
from monitoring import capaian
from monitoring.amendments import signed_versions
from monitoring.models import (
    MONITORED_STATUSES,
    CapaianRule,
    Quarter,
    RealisationStatus,
    ReportingPeriod,
)
from monitoring.series import build_report
from organisations.models import Unit

OPENAPI_FILE = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml"
REALM = 'Basic realm="PK Portal API", charset="UTF-8"'
YEARS = range(2020, 2101)
NOT_REPORTED = "belum"


# --- responses and authentication ------------------------------------------------------------
def error(status: int, code: str, message: str) -> JsonResponse:
    response = JsonResponse({"error": {"code": code, "message": message}}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = REALM
    return response


def locked_out() -> JsonResponse:
    """The documented 429 for an account django-axes has locked (also what the lockout
    handler of pk_portal.views answers for any /api/ address)."""
    response = error(
        429,
        "akun_terkunci",
        _("Akun ini dikunci sementara karena terlalu banyak percobaan masuk yang gagal."),
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME * 3600))
    return response


def _unauthorised(message: str | None = None) -> JsonResponse:
    return error(
        401,
        "perlu_masuk",
        message
        or _(
            "Masuk terlebih dahulu: gunakan sesi PK Portal atau HTTP Basic (nama pengguna dan "
            "kata sandi akun PK Portal)."
        ),  # fmt: skip
    )


def _basic_credentials(header: str) -> tuple[str, str] | None:
    try:
        decoded = base64.b64decode(header.split(" ", 1)[1].strip(), validate=True).decode("utf-8")
    except (IndexError, ValueError, binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    return (username, password) if colon else None


def api_user(request):
    """(user, None) for an authenticated request, else (None, the response to send)."""
    if request.user.is_authenticated:
        return request.user, None
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:6].lower() == "basic ":
        credentials = _basic_credentials(header)
        if credentials is None:
            return None, _unauthorised(_("Header Authorization Basic tidak dapat dibaca."))
        user = authenticate(request, username=credentials[0], password=credentials[1])
        if getattr(request, "axes_locked_out", False):
            return None, locked_out()
        if user is None:
            return None, _unauthorised(_("Nama pengguna atau kata sandi salah."))
        return user, None
    if "application/json" in request.headers.get("Accept", ""):
        return None, _unauthorised()
    return None, redirect_to_login(request.get_full_path())


def api_view(view):
    """Authenticate (session or Basic) before anything else, then allow GET only."""

    @login_not_required
    @vary_on_headers("Authorization", "Cookie", "Accept")
    @cache_control(private=True, no_cache=True)
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user, refused = api_user(request)
        if refused is not None:
            return refused
        if request.method not in ("GET", "HEAD"):
            response = error(405, "metode_tidak_diizinkan", _("Hanya GET yang didukung."))
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, user, *args, **kwargs)

    return wrapper


# --- the document ----------------------------------------------------------------------------
def _number(value):
    """Decimals as JSON numbers (capaian has two decimals, realisations at most four)."""
    return None if value is None else float(value)


def _capaian(result: capaian.Capaian | None) -> dict | None:
    if result is None:
        return None
    return {
        "value": _number(result.value),
        "category": result.category,
        "label": result.label,
        "explanation": result.explanation,
    }


def _realisation(realisation) -> dict | None:
    if realisation is None:
        return None
    return {
        "value": _number(realisation.value),
        "grade": realisation.grade,
        "status": realisation.status,
        "explanation": realisation.explanation,
        "obstacles": realisation.obstacles,
        "follow_up": realisation.follow_up,
        "submitted_at": realisation.submitted_at.isoformat() if realisation.submitted_at else None,
        "verified_at": realisation.verified_at.isoformat() if realisation.verified_at else None,
    }


def _agreement(request, agreement, rules) -> dict:
    report = build_report(agreement, rules)
    indicators = []
    for line in report.lines:
        row, measure = line.row, line.measure
        sasaran = row.sasaran
        quarters = []
        for quarter in capaian.QUARTERS:
            cell = line.cells[quarter]
            owner = report.owners.get(quarter, agreement)
            quarters.append(
                {
                    "quarter": quarter,
                    "measured_by_version": owner.version,
                    "target": cell.target_text,
                    "realisation": _realisation(cell.realisation),
                    "carried_from_other_version": cell.carried,
                    "measured": _number(cell.measured),
                    "capaian": _capaian(cell.capaian),
                }
            )
        indicators.append(
            {
                "id": row.pk,
                "programme": sasaran.kegiatan.programme.name,
                "programme_code": sasaran.kegiatan.programme.code,
                "kegiatan": sasaran.kegiatan.name,
                "kegiatan_code": sasaran.kegiatan.code,
                "sasaran": sasaran.text,
                "indikator": row.text,
                "satuan": row.target_unit,
                "kind": measure.kind,
                "direction": "higher_is_better" if measure.higher_is_better else "lower_is_better",
                "target": {
                    "text": row.target_text,
                    "value": _number(row.target_value),
                    "grade": row.target_grade,
                },
                "quarters": quarters,
            }
        )
    sasaran = [
        {
            "sasaran": group.obj.text,
            "averages": [{"quarter": q, **_capaian(group.averages[q])} for q in capaian.QUARTERS],
        }
        for programme in report.programmes
        for group in programme.children
    ]
    return {
        "id": agreement.pk,
        "version": agreement.version,
        "revision": agreement.revision,
        "status": agreement.status,
        "status_label": str(AgreementStatus(agreement.status).label),
        "pk_kind": agreement.pk_kind,
        "sign_date": agreement.sign_date.isoformat() if agreement.sign_date else None,
        "amendment_date": agreement.amendment_date.isoformat()
        if agreement.amendment_date
        else None,
        "quarters_measured": [q for q, owner in report.owners.items() if owner.pk == agreement.pk],
        "url": request.build_absolute_uri(agreement.get_absolute_url()),
        "indicators": indicators,
        "sasaran": sasaran,
        "averages": [
            {
                "quarter": q,
                "status": report.statuses[q] or NOT_REPORTED,
                **_capaian(report.averages[q]),
            }
            for q in capaian.QUARTERS
        ],
    }


def unit_year_document(request, unit, year: int) -> dict:
    """The JSON document of a unit's signed PK versions of `year` (see docs/api/)."""
    rules = CapaianRule.current()
    versions = signed_versions(unit.pk, year)
    agreements = [_agreement(request, agreement, rules) for agreement in versions]
    closing = ReportingPeriod.objects.closing_dates([year])
    quarters = []
    for quarter, label in Quarter.choices:
        closes_on = closing[(year, quarter)]
        owner = next((a for a in agreements if quarter in a["quarters_measured"]), None)
        average = owner["averages"][quarter - 1] if owner else None
        quarters.append(
            {
                "quarter": quarter,
                "label": str(label),
                "closes_on": closes_on.isoformat() if closes_on else None,
                "measured_by_version": owner["version"] if owner else None,
                "status": average["status"] if average else None,
                "average": {k: average[k] for k in ("value", "category", "label", "explanation")}
                if average
                else None,
            }
        )
    return {
        "unit": {
            "code": unit.code,
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "province": unit.province.code if unit.province_id else None,
            "time_zone": unit.time_zone,
        },
        "year": year,
        "rules": {
            "cap": _number(rules.cap),
            "achieved_from": _number(rules.achieved_from),
            "nearly_from": _number(rules.nearly_from),
        },
        "statuses": {
            NOT_REPORTED: _("Belum melapor"),
            **{status: str(label) for status, label in RealisationStatus.choices},
        },
        "quarters": quarters,
        "agreements": agreements,
    }


@api_view
def unit_year(request, user, unit_code, year):
    """GET /api/v1/pemantauan/<unit_code>/<year>/."""
    if year not in YEARS:
        return error(400, "tahun_tidak_valid", _("Tahun harus antara 2020 dan 2100."))
    unit = Unit.objects.visible_to(user).select_related("province").filter(code=unit_code).first()
    if unit is None:
        return error(
            404,
            "unit_tidak_ditemukan",
            _("Unit %(code)s tidak ditemukan atau Anda tidak berhak melihatnya.")
            % {"code": unit_code},
        )
    return JsonResponse(
        unit_year_document(request, unit, year), json_dumps_params={"ensure_ascii": False}
    )


@functools.cache
def openapi_document() -> dict:
    """docs/api/openapi.yaml as a dict (read once per process)."""
    with OPENAPI_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@api_view
def openapi(request, user):
    """GET /api/v1/openapi.json: the OpenAPI 3 description of this API."""
    document = dict(openapi_document())
    document["servers"] = [{"url": request.build_absolute_uri("/").rstrip("/")}]
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


@require_GET
def docs_page(request):
    """A short page on how to call the API (login required like every page)."""
    example = (
        Agreement.objects.visible_to(request.user)
        .filter(status__in=MONITORED_STATUSES)
        .select_related("unit")
        .order_by("-year", "unit__path")
        .first()
    )
    return render(
        request,
        "monitoring/reports/api_docs.html",
        {
            "openapi_url": request.build_absolute_uri(reverse("monitoring_reports:openapi")),
            "example_url": request.build_absolute_uri(
                reverse(
                    "monitoring_reports:api_unit_year", args=[example.unit.code, example.year]
                )  # fmt: skip
            )
            if example
            else "",
        },
    )
