from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from verify.gazetteer.models import Place

MAX_RESULTS = 20


@permission_required("gazetteer.view_place", raise_exception=True)
def place_search(request: HttpRequest) -> JsonResponse:
    """Autocomplete: names and alternative spellings, larger places first."""
    query = request.GET.get("q", "")[:100]
    places = Place.objects.search(query).select_related("governorate").order_by("-population", "name")[:MAX_RESULTS]
    return JsonResponse(
        {
            "results": [
                {
                    "id": p.pk,
                    "name": p.name,
                    "name_ar": p.name_ar,
                    "governorate": p.governorate_name,
                    "kind": p.kind,
                    "latitude": float(p.latitude),
                    "longitude": float(p.longitude),
                    "label": str(p),
                }
                for p in places
            ]
        }
    )


@permission_required("gazetteer.view_place", raise_exception=True)
def place_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    places = Place.objects.search(query) if query else Place.objects.governorates()
    places = places.select_related("governorate").order_by("-population", "name")[:100]
    return render(request, "gazetteer/place_list.html", {"places": places, "q": query})
