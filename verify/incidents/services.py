"""Writes to incidents. Every function here is the one place its change happens."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext

from verify.incidents import workflow
from verify.incidents.duplicates import MATCHED_FIELDS, duplicates_refresh
from verify.incidents.models import Incident, Label, Status

# Changing one of these changes what the record asserts; a verified record so changed must be reviewed again.
SUBSTANTIVE_FIELDS = (
    "title",
    "summary",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "location_name",
    "latitude",
    "longitude",
    "location_precision",
    "attack_type",
    "target_type",
)
# external_id is set by imports (issue 7), never by the forms.
EDITABLE_FIELDS = (*SUBSTANTIVE_FIELDS, "restricted", "external_id")


def next_reference(*, year: int, prefix: str | None = None) -> str:
    prefix = prefix or settings.VERIFY_REFERENCE_PREFIX
    stem = f"{prefix}-{year}-"
    last = (
        Incident.objects.filter(reference__startswith=stem)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
    ).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{number:04d}"


def incident_create(
    *, user, data: dict[str, Any], allowed_groups: list[Group] | None = None, labels: list[Label] | None = None
) -> Incident:
    """Create a draft incident with a fresh reference code such as SYR-2015-0007."""
    fields = {name: data[name] for name in EDITABLE_FIELDS if name in data}
    for attempt in range(5):
        try:
            with transaction.atomic():
                incident = Incident(**fields, created_by=user, last_edited_by=user, status=Status.DRAFT)
                incident._history_user = user
                year = (incident.date_start or timezone.localdate()).year
                incident.reference = next_reference(year=year)
                incident.full_clean()
                incident.save()
                _set_groups(incident, allowed_groups)
                if labels:
                    incident.labels.set(labels)
                duplicates_refresh([incident.pk])
                return incident
        except IntegrityError:
            # Someone else took this reference in the meantime; the next attempt picks the next number.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def incident_update(
    *,
    incident: Incident,
    user,
    data: dict[str, Any],
    expected_version: int,
    allowed_groups: list[Group] | None = None,
    labels: list[Label] | None = None,
) -> list[str]:
    """Apply an edit based on `expected_version`. Raises ConflictError if someone saved in between.

    Returns the names of the fields that changed. A save that changes nothing writes nothing: no version, no
    history row, so nobody with the record open is told it changed. A substantive change goes through the
    workflow (a verified incident goes back to review). Labels (`labels`, None to leave them) are not substantive:
    they are kept in the history under their own reason code (see label_change_reason), and change no status.
    """
    with transaction.atomic():
        changed = [name for name in EDITABLE_FIELDS if name in data and getattr(incident, name) != data[name]]
        groups_changed = allowed_groups is not None and set(incident.allowed_groups.values_list("pk", flat=True)) != {
            g.pk for g in allowed_groups
        }
        labels_reason = ""
        if labels is not None:
            labels_reason = label_change_reason(
                before=set(incident.labels.values_list("pk", flat=True)), after={label.pk for label in labels}
            )
        if not changed and not groups_changed and not labels_reason:
            return []
        for name in changed:
            setattr(incident, name, data[name])
        substantive = [name for name in changed if name in SUBSTANTIVE_FIELDS]
        if substantive:
            incident.last_edited_by = user
        incident.full_clean()
        incident._history_user = user
        if changed or groups_changed:
            incident._change_reason = "edited:" + ",".join(changed) if changed else "edited:allowed_groups"
        else:
            incident._change_reason = labels_reason
        incident.save_versioned(expected_version=expected_version)
        if any(name in MATCHED_FIELDS for name in changed):
            duplicates_refresh([incident.pk])
        if groups_changed:
            _set_groups(incident, allowed_groups)
            changed.append("allowed_groups")
        if labels_reason:
            assert labels is not None
            incident.labels.set(labels)
            if incident._change_reason != labels_reason:
                # The edit's history row names its fields; the labels get a row of their own, in the same
                # transaction (the version was already moved on by this save).
                incident._change_reason = labels_reason
                incident.save()
            changed.append("labels")
        if substantive:
            workflow.record_change(
                incident=incident, by=user, change=workflow.Change.INCIDENT_EDITED, bumped=True, fields=substantive
            )
        return changed


def incident_add_label(*, incident: Incident, user, label: Label) -> bool:
    """Tag the incident with `label` (the bulk action of the list). Returns False if it already had it.

    Not a substantive change: no status moves, the history gets a `labels:+id` row (as incident_update does). The
    row is locked so that a concurrent edit is neither lost nor overwritten.
    """
    if not user.has_perm("incidents.change_incident"):
        raise PermissionDenied(gettext("Only researchers can label incidents."))
    with transaction.atomic():
        incident = workflow.lock(incident)
        labels = list(incident.labels.all())
        if label in labels:
            return False
        incident_update(
            incident=incident, user=user, data={}, expected_version=incident.version, labels=[*labels, label]
        )
        return True


def _set_groups(incident: Incident, groups: list[Group] | None) -> None:
    if groups is not None:
        incident.allowed_groups.set(groups)


# history_change_reason holds 100 characters.
REASON_LENGTH = 100


def label_change_reason(*, before: set[int], after: set[int]) -> str:
    """The history reason code for a change of labels: `labels:+3,+7,-2` (label ids, so that a renamed label shows
    its current name), or just `labels:` when the list would not fit. Empty when nothing changed."""
    if before == after:
        return ""
    changes = [f"+{pk}" for pk in sorted(after - before)] + [f"-{pk}" for pk in sorted(before - after)]
    reason = "labels:" + ",".join(changes)
    return reason if len(reason) <= REASON_LENGTH else "labels:"


def label_create(*, user, name: str, parent: Label | None = None, description: str = "") -> Label:
    with transaction.atomic():
        label = Label(name=name, parent=parent, description=description)
        label._history_user = user
        label.full_clean()
        label.save()
        return label


def label_update(*, label: Label, user, name: str, parent: Label | None, description: str = "") -> Label:
    """Rename or move a label. Moving it under itself or its own sub-labels is refused (no cycles)."""
    with transaction.atomic():
        # Every label is locked, so two moves at once (A under B, B under A) cannot together make a cycle.
        list(Label.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
        label = Label.objects.get(pk=label.pk)
        label.name, label.parent, label.description = name, parent, description
        label._history_user = user
        label.full_clean()
        label.save()
        return label


# Paging is not part of a search: a saved search opens at its first page.
_NOT_SAVED = {"page", "after", "before", "csrfmiddlewaretoken"}


def saved_search_save(*, user, name: str, query: str, group: Group | None = None):
    """Save the list's filter `query` (a query string) under `name`, private or shared with one of the owner's
    groups. Empty and paging parameters are dropped. A name the owner already uses is replaced (saved again)."""
    from urllib.parse import parse_qsl, urlencode

    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from verify.incidents.models import SavedSearch

    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the search a name.")})
    if group is not None and not user.groups.filter(pk=group.pk).exists():
        raise ValidationError({"group": _("You can share a search only with a group you belong to.")})
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if v != "" and k not in _NOT_SAVED]
    with transaction.atomic():
        search = SavedSearch.objects.filter(owner=user, name__iexact=name).select_for_update().first()
        search = search or SavedSearch(owner=user)
        search.name, search.group, search.query = name, group, urlencode(kept)
        search.full_clean(validate_constraints=False)
        search.save()
        return search


def saved_search_delete(*, user, search) -> None:
    """Only its owner deletes a saved search."""
    from django.core.exceptions import PermissionDenied

    if search.owner_id != user.pk:
        raise PermissionDenied
    search.delete()
