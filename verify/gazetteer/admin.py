from django.contrib import admin

from verify.core.admin_site import VocabularyAdmin
from verify.gazetteer.models import Place


@admin.register(Place)
class PlaceAdmin(VocabularyAdmin):
    list_display = ["name", "name_ar", "kind", "governorate", "latitude", "longitude", "geonames_id"]
    list_filter = ["kind", "governorate"]
    search_fields = ["name", "name_ar", "search_names"]
