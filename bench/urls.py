"""The project's URLs plus a bare view, for comparing a page with what any request costs."""

from django.http import HttpResponse
from django.urls import path

from pk_portal.urls import urlpatterns as site


def bare(request):
    """Middleware, session and user, and nothing else: the floor of every page."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *site]
