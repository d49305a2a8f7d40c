from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from agreements.models import Agreement


@require_GET
def agreement_list(request):
    agreements = Agreement.objects.visible_to(request.user).select_related("unit")[:200]
    return render(request, "agreements/list.html", {"agreements": agreements})


@require_GET
def agreement_detail(request, pk):
    agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=pk)
    return render(request, "agreements/detail.html", {"agreement": agreement})
