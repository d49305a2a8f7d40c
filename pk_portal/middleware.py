"""A request body over the limit is refused before anything reads it.

Django buffers an upload to a temporary file before a view can look at its size, and the CSRF
check reads the body first, so the views' own limits (20 MB for scans and proofs, 5 MB for
spreadsheets) come after the bytes are on disk. This refuses by the declared Content-Length,
at once, with a page in Indonesian. The web server in front should cap bodies too (README,
"Security"): a body sent without a Content-Length is stopped there.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            limit_mb = settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)
            return render(
                request,
                "413.html",
                {"message": _("Kiriman terlalu besar; paling besar %(mb)s MB.") % {"mb": limit_mb}},
                status=413,
            )
        return self.get_response(request)
