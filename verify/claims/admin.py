from django.contrib import admin

from verify.claims.models import Actor, Claim, Source
from verify.core.admin_site import HistoryViewerAdmin, VocabularyAdmin, WorkflowHistoryAdmin


class EntityAdmin(VocabularyAdmin, HistoryViewerAdmin):
    """Sources and actors are added, edited, rated, aliased and merged on their own pages (claims/sources/,
    claims/actors/), which check names against aliases and stale versions; here they are only looked at, and
    deleted while nothing refers to them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Actor)
class ActorAdmin(EntityAdmin):
    list_display = ["name", "short_name", "kind", "parent", "party_to_conflict", "merged_into"]
    list_filter = ["kind", "party_to_conflict"]
    search_fields = ["name", "short_name", "aliases__name"]


@admin.register(Source)
class SourceAdmin(EntityAdmin):
    list_display = ["name", "kind", "affiliation", "reliability", "merged_into"]
    list_filter = ["kind", "reliability"]
    search_fields = ["name", "aliases__name"]


@admin.register(Claim)
class ClaimAdmin(WorkflowHistoryAdmin):
    list_display = ["incident", "source", "stance", "killed_min", "killed_max", "credibility"]
    list_filter = ["stance", "credibility"]
    search_fields = ["incident__reference", "source__name", "excerpt"]
