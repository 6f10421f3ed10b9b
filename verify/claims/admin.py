from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from verify.claims.models import Actor, Claim, Source


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "party_to_conflict"]
    list_filter = ["kind", "party_to_conflict"]
    search_fields = ["name", "short_name"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "affiliation", "reliability"]
    list_filter = ["kind", "reliability"]
    search_fields = ["name"]


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["incident", "source", "stance", "killed_min", "killed_max", "credibility"]
    list_filter = ["stance", "credibility"]
    search_fields = ["incident__reference", "source__name", "excerpt"]
    raw_id_fields = ["incident", "derived_from"]
    autocomplete_fields = ["source", "perpetrator", "place"]
    readonly_fields = ["version", "created_by", "last_edited_by"]

    def get_queryset(self, request):
        return Claim.objects.visible_to(request.user)
