from django.contrib import admin
from django.db import transaction

from verify.claims.models import Actor, Claim, Source
from verify.claims.tasks import queue_recompute
from verify.core.admin_site import HistoryViewerAdmin, VocabularyAdmin, WorkflowHistoryAdmin
from verify.incidents.models import Incident


def recompute_incidents_citing(sources) -> None:
    """A source's reliability or affiliation feeds the cross-check: bring its incidents' suggestions up to date."""
    citing = Incident.objects.filter(claims__source__in=sources).distinct().order_by("pk")
    references = list(citing.values_list("reference", flat=True))
    if references:
        transaction.on_commit(lambda: queue_recompute(references))


@admin.register(Actor)
class ActorAdmin(VocabularyAdmin):
    list_display = ["name", "short_name", "kind", "party_to_conflict"]
    list_filter = ["kind", "party_to_conflict"]
    search_fields = ["name", "short_name"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change:
            recompute_incidents_citing(Source.objects.filter(affiliation=obj))


@admin.register(Source)
class SourceAdmin(VocabularyAdmin, HistoryViewerAdmin):
    """Editable by superusers; the history records them as the editor. Past versions cannot be restored here."""

    list_display = ["name", "kind", "affiliation", "reliability"]
    list_filter = ["kind", "reliability"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change:
            recompute_incidents_citing([obj])


@admin.register(Claim)
class ClaimAdmin(WorkflowHistoryAdmin):
    list_display = ["incident", "source", "stance", "killed_min", "killed_max", "credibility"]
    list_filter = ["stance", "credibility"]
    search_fields = ["incident__reference", "source__name", "excerpt"]
