"""Pages to manage sources and actors: edit, rate, alias, merge; the actor register; possible duplicates."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from verify.claims import entities, merging
from verify.claims.access import get_actor_for_user, get_source_for_user
from verify.claims.forms import ActorForm, AliasForm, MergeForm, SourceEditForm, SourceRatingForm
from verify.claims.models import Actor, Claim, Source
from verify.core.conflicts import conflict_context
from verify.core.forms import add_service_errors
from verify.core.models import ConflictError
from verify.lib.names import likely_duplicates


@require_http_methods(["GET", "POST"])
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_source_for_user(request.user, pk, perm="claims.change_source")
    form = SourceEditForm(request.POST or None, instance=source, user=request.user, initial={"version": source.version})

    def update(data):
        fresh = Source.objects.get(pk=source.pk)
        return entities.source_update(source=fresh, user=request.user, data=data, expected_version=data["version"])

    return _versioned_edit(
        request, source, form, update, saved=_("Source saved."), template="claims/source_edit.html", kind="source"
    )


def _versioned_edit(request: HttpRequest, entity, form, update, *, saved: str, template: str, kind: str):
    """Save an edit through `update` if the form is valid; a stale version shows both versions (409)."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            update(form.cleaned_data)
        except ConflictError as exc:
            conflict = conflict_context(form, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, saved)
            return redirect(f"claims:{kind}_detail", pk=entity.pk)
    context = {"form": form, kind: entity, "conflict": conflict}
    return render(request, template, context, status=409 if conflict else 200)


@require_http_methods(["GET", "POST"])
def source_rate(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_source_for_user(request.user, pk, perm="claims.change_source")
    initial = {"version": source.version, "reliability": source.reliability, "rationale": source.reliability_rationale}
    form = SourceRatingForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            entities.source_rate(
                source=Source.objects.get(pk=source.pk),
                user=request.user,
                reliability=form.cleaned_data["reliability"],
                rationale=form.cleaned_data["rationale"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as exc:
            conflict = conflict_context(form, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rating saved."))
            return redirect("claims:source_detail", pk=source.pk)
    ratings = source.history.filter(history_change_reason="rated").select_related("history_user")
    context = {"form": form, "source": source, "conflict": conflict, "ratings": ratings}
    return render(request, "claims/source_rate.html", context, status=409 if conflict else 200)


@require_POST
def source_alias_add(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_source_for_user(request.user, pk, perm="claims.change_source")
    return _alias_add(request, source, entities.source_alias_add, "source")


@require_POST
def actor_alias_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor_for_user(request.user, pk, perm="claims.change_actor")
    return _alias_add(request, actor, entities.actor_alias_add, "actor")


@require_POST
def source_alias_remove(request: HttpRequest, pk: int, alias_pk: int) -> HttpResponse:
    source = get_source_for_user(request.user, pk, perm="claims.change_source")
    return _alias_remove(request, source, source.aliases.filter(pk=alias_pk).first(), "source")


@require_POST
def actor_alias_remove(request: HttpRequest, pk: int, alias_pk: int) -> HttpResponse:
    actor = get_actor_for_user(request.user, pk, perm="claims.change_actor")
    return _alias_remove(request, actor, actor.aliases.filter(pk=alias_pk).first(), "actor")


def _alias_remove(request: HttpRequest, entity, alias, kind: str) -> HttpResponse:
    if alias is None:
        raise Http404(_("No such alias."))
    entities.alias_remove(alias=alias)
    messages.success(request, _("%(name)s is no longer an alias.") % {"name": alias.name})
    return redirect(f"claims:{kind}_detail", pk=entity.pk)


def _alias_add(request: HttpRequest, entity, add, kind: str) -> HttpResponse:
    form = AliasForm(request.POST)
    if form.is_valid():
        try:
            add(**{kind: entity, "name": form.cleaned_data["name"]})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Alias added."))
    else:
        messages.error(request, _("Give the other name."))
    return redirect(f"claims:{kind}_detail", pk=entity.pk)


@permission_required("claims.view_source", raise_exception=True)
def source_duplicates(request: HttpRequest) -> HttpResponse:
    """Pairs of sources that are probably one, by their names and aliases (verify.lib.names)."""
    sources = {s.pk: s for s in Source.objects.visible_to(request.user).active().prefetch_related("aliases")}
    entries = [(pk, [s.name, *(a.name for a in s.aliases.all())]) for pk, s in sources.items()]
    pairs = [(sources[a], sources[b], score) for a, b, score in likely_duplicates(entries)]
    return render(request, "claims/duplicates.html", {"pairs": pairs, "kind": "source"})


@permission_required("claims.view_actor", raise_exception=True)
def actor_list(request: HttpRequest) -> HttpResponse:
    visible = Claim.objects.visible_to(request.user).values("pk")
    actors = (
        Actor.objects.visible_to(request.user)
        .active()
        .select_related("parent")
        .prefetch_related("aliases")
        .annotate(claim_count=Count("claims_as_perpetrator", filter=Q(claims_as_perpetrator__in=visible)))
        .order_by("name")
    )
    return render(request, "claims/actor_list.html", {"actors": actors})


def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor_for_user(request.user, pk)
    if actor.merged_into_id:
        return redirect("claims:actor_detail", pk=kept_entity(actor).pk)
    children = Actor.objects.visible_to(request.user).active().filter(parent=actor).order_by("name")
    sources = Source.objects.visible_to(request.user).active().filter(affiliation=actor).order_by("name")
    claims = Claim.objects.visible_to(request.user).filter(perpetrator=actor).count()
    context = {"actor": actor, "children": children, "sources": sources, "claim_count": claims}
    context["alias_form"] = AliasForm()
    return render(request, "claims/actor_detail.html", context)


@permission_required("claims.add_actor", raise_exception=True)
@require_http_methods(["GET", "POST"])
def actor_create(request: HttpRequest) -> HttpResponse:
    form = ActorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actor = entities.actor_add(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Actor %(name)s added.") % {"name": actor.name})
            return redirect("claims:actor_detail", pk=actor.pk)
    return render(request, "claims/actor_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def actor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor_for_user(request.user, pk, perm="claims.change_actor")
    form = ActorForm(request.POST or None, instance=actor, user=request.user, initial={"version": actor.version})

    def update(data):
        fresh = Actor.objects.get(pk=actor.pk)
        return entities.actor_update(actor=fresh, user=request.user, data=data, expected_version=data["version"])

    return _versioned_edit(
        request, actor, form, update, saved=_("Actor saved."), template="claims/actor_form.html", kind="actor"
    )


def kept_entity(entity):
    """Where a merged entity's page now lives: the end of its merged_into chain."""
    seen = {entity.pk}
    while entity.merged_into_id and entity.merged_into_id not in seen:
        entity = type(entity).objects.get(pk=entity.merged_into_id)
        seen.add(entity.pk)
    return entity


@require_http_methods(["GET", "POST"])
def source_merge(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_source_for_user(request.user, pk, perm="claims.delete_source")
    candidates = Source.objects.visible_to(request.user).active().exclude(pk=source.pk).order_by("name")
    return _merge(request, source, candidates, merging.source_merge, "source")


@require_http_methods(["GET", "POST"])
def actor_merge(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor_for_user(request.user, pk, perm="claims.change_actor")
    candidates = (
        Actor.objects.visible_to(request.user)
        .active()
        .exclude(pk__in=[actor.pk, *actor.descendant_ids()])
        .order_by("name")
    )
    return _merge(request, actor, candidates, merging.actor_merge, "actor")


def _merge(request: HttpRequest, entity, candidates, merge, kind: str) -> HttpResponse:
    if entity.merged_into_id:
        return redirect(f"claims:{kind}_detail", pk=entity.pk)
    form = MergeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            kept = merge(
                **{kind: entity}, into=form.cleaned_data["into"], user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(merged)s merged into %(kept)s.") % {"merged": entity.name, "kept": kept})
            return redirect(f"claims:{kind}_detail", pk=kept.pk)
    return render(request, "claims/merge_form.html", {"form": form, "entity": entity, "kind": kind})
