"""Site-wide pages that belong to no single app: the home page and the health check."""

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from monitoring.views.api import locked_out
from organisations.access import is_unit_administrator
from pk_portal.home import tasks_for


@require_GET
def home(request):
    memberships = request.user.memberships.filter(is_active=True).select_related("unit")
    return render(
        request,
        "home.html",
        {
            "memberships": memberships,
            "is_unit_admin": is_unit_administrator(request.user),
            "tasks": tasks_for(request.user),
        },
    )


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness for load balancers: 200 when every configured service answers."""
    report = {}
    healthy = True
    for name, check in (("database", _check_database), ("redis", _check_redis)):
        try:
            report[name] = check()
        except Exception as exc:  # any failure of a dependency makes the instance unready
            report[name] = f"error: {exc.__class__.__name__}"
            healthy = False
    report["status"] = "ok" if healthy else "error"
    return JsonResponse(report, status=200 if healthy else 503)


def lockout_response(request, original_response=None, credentials=None):
    """What django-axes answers a locked-out account (AXES_LOCKOUT_CALLABLE): the API's
    documented JSON 429 under /api/, the Indonesian page everywhere else."""
    if request.path.startswith("/api/"):
        return locked_out()
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
