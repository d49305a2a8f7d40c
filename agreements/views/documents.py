"""The PK documents on the web: the HTML preview and the PDF download of each part.

GET only; every PK is looked up through `Agreement.objects.visible_to(user)`, so another
unit's PK is a 404. Anonymous users never get here (LoginRequiredMiddleware sends them to log in).
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from agreements import documents
from agreements.documents.stored import stored_pdf
from agreements.models import Agreement


def _visible_agreement(request, pk) -> Agreement:
    agreements = Agreement.objects.visible_to(request.user).select_related(
        "unit", "unit__parent", "unit__satker"
    )
    return get_object_or_404(agreements, pk=pk)


@require_GET
@cache_control(private=True, no_cache=True)
def document_preview(request, pk, part):
    agreement = _visible_agreement(request, pk)
    return HttpResponse(documents.render_html(agreement, part, preview=True, request=request))


@require_GET
@cache_control(private=True, no_cache=True)
def document_pdf(request, pk, part):
    agreement = _visible_agreement(request, pk)
    # A stored PDF is found from the PK's versions, without building the document's context.
    response = HttpResponse(stored_pdf(agreement, part), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=documents.document_filename(agreement, part)
    )
    return response
