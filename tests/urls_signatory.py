"""The site's URLconf with agreements.signatory_urls included in the agreements namespace, as
agreements/urls.py will include it (`path("", include("agreements.signatory_urls"))`)."""

from django.urls import include, path

from agreements import signatory_urls
from agreements import urls as agreement_urls
from pk_portal import urls as site_urls

urlpatterns = [
    path("pk/", include((signatory_urls.urlpatterns + agreement_urls.urlpatterns, "agreements"))),
    *(entry for entry in site_urls.urlpatterns if str(entry.pattern) != "pk/"),
]
