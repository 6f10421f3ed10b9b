"""Saved searches of the incident list (issue 20, item 12): name the list's filter, private or shared with one of
your groups, and find it again on the list. A search keeps only its query string: whoever opens it sees only the
incidents they may see."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from verify.claims.filters import IncidentFilter
from verify.incidents import services
from verify.incidents.models import Incident, SavedSearch


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    group = forms.ModelChoiceField(
        label=gettext_lazy("Share with"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=gettext_lazy("Only me"),
    )
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = user.groups.order_by("name")
        self.user = user

    def clean_query(self) -> str:
        query = self.cleaned_data["query"]
        check = IncidentFilter(QueryDict(query), queryset=Incident.objects.none(), user=self.user)
        if not check.is_valid():
            raise ValidationError(_("This filter has a value that is not valid: fix it on the list first."))
        return query


def _page_url(query: str) -> str:
    return reverse("incidents:searches") + ("?" + urlencode({"query": query}) if query else "")


@permission_required("incidents.view_incident", raise_exception=True)
@require_GET
def saved_search_list(request: HttpRequest) -> HttpResponse:
    """The user's searches and those shared with them, and the form to save `?query=` (the list's current filter).
    On a page of its own so that the list itself pays nothing for it."""
    query = request.GET.get("query", "")[:2000]
    context = {
        "saved_searches": SavedSearch.objects.for_user(request.user),
        "save_form": SavedSearchForm(user=request.user, initial={"query": query}),
        "query": query,
    }
    return render(request, "incidents/saved_searches.html", context)


@permission_required("incidents.view_incident", raise_exception=True)
@require_POST
def saved_search_save(request: HttpRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            search = services.saved_search_save(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Search “%(name)s” saved.") % {"name": search.name})
            return redirect(search.get_absolute_url())
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(_page_url(form.data.get("query", "")))


@permission_required("incidents.view_incident", raise_exception=True)
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch, pk=pk, owner=request.user)  # another's search: 404, as if absent
    services.saved_search_delete(user=request.user, search=search)
    messages.success(request, _("Search “%(name)s” deleted.") % {"name": search.name})
    return redirect("incidents:searches")
