from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from verify.gazetteer.forms import PlaceForm
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


@permission_required("gazetteer.add_place", raise_exception=True)
@require_http_methods(["GET", "POST"])
def place_create(request: HttpRequest) -> HttpResponse:
    """Researchers add places the gazetteer lacks, such as a neighbourhood or a village."""
    form = PlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        place = form.save(commit=False)
        place.created_by = request.user
        place.full_clean()
        place.save()
        messages.success(request, _("Place %(name)s added.") % {"name": place.name})
        return redirect(f"{reverse('gazetteer:list')}?q={quote(place.name)}")
    return render(request, "gazetteer/place_form.html", {"form": form})
