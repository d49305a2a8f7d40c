"""The project's URLs with the signing URLs added, until they are wired into the real ones.

The "pk/" include becomes agreements.urls plus agreements.signing_urls under one "agreements"
namespace; the public verification pattern goes at the root.
"""

from django.urls import include, path

from agreements import signing_urls
from agreements import urls as agreement_urls
from pk_portal import urls as root_urls

_agreements = [*agreement_urls.urlpatterns, *signing_urls.urlpatterns]

urlpatterns = [
    *(
        path("pk/", include((_agreements, "agreements")))
        if str(pattern.pattern) == "pk/"
        else pattern
        for pattern in root_urls.urlpatterns
    ),
    *signing_urls.verification_urlpatterns,
]
