"""The operator's *Pemantauan* page: the quarters of the PKs they report (monitoring.worklist).

Every logged-in user may open it; it lists only the signed PKs of the units they draft for
(the same rule as filling a quarter), and says where to go when there are none.
"""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from monitoring.worklist import quarters_to_report


@require_GET
def operator_home(request):
    items = quarters_to_report(request.user, timezone.now())
    return render(request, "monitoring/worklist.html", {"items": items})
