from django import forms
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _

from verify.accounts import roles
from verify.accounts.models import AuditAction

ROLE_CHOICES = [("", _("No role"))] + [(name, roles.ROLE_LABELS[name]) for name in roles.ROLES]


def restricted_groups():
    """The groups that open restricted incidents: every group that is not a role."""
    return Group.objects.exclude(name__in=list(roles.ROLES)).order_by("name")


class UserAccessForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)
    groups = forms.ModelMultipleChoiceField(
        label=_("Restricted groups"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members see the restricted incidents shared with these groups."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = restricted_groups()


class InviteForm(UserAccessForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    field_order = ["username", "first_name", "last_name", "role", "groups"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("A user with this username already exists."))
        return username


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False)
    action = forms.ChoiceField(label=_("Action"), choices=[("", _("Any")), *AuditAction.choices], required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["user"]:
            queryset = queryset.filter(actor_name__iexact=data["user"].strip())
        if data["action"]:
            queryset = queryset.filter(action=data["action"])
        if data["date_from"]:
            queryset = queryset.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            queryset = queryset.filter(at__date__lte=data["date_to"])
        return queryset


class GroupsField(forms.ModelMultipleChoiceField):
    """Groups to choose from, the roles by their name in the reader's language (the group names stay English)."""

    def label_from_instance(self, obj) -> str:
        return str(roles.ROLE_LABELS.get(obj.name, obj.name))
