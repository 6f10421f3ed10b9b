from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from verify.claims.models import Claim
from verify.evidence.models import ClaimEvidence, EvidenceItem, Sensitivity, VerificationCheck


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class EvidenceUploadForm(forms.ModelForm):
    """What is recorded with each uploaded file. The files themselves are read by the streaming handler."""

    incident = forms.CharField(
        required=False,
        label=_("Incident reference"),
        max_length=32,
        help_text=_("Optional: link the files to this incident, e.g. SYR-2015-0007."),
    )

    class Meta:
        model = EvidenceItem
        fields = ["title", "kind", "source_url", "acquisition_notes", "sensitivity"]
        labels = {"source_url": _("Source URL"), "acquisition_notes": _("Acquisition notes")}
        help_texts = {
            "title": _("Leave blank to use each file's name."),
            "source_url": _("Where the file was found or received from."),
            "acquisition_notes": _("How, when and from whom it was obtained."),
        }
        widgets = {"acquisition_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False

    def metadata_for(self, filename: str) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["title"] = (data["title"] or filename)[:200]
        return data


class EvidenceEditForm(forms.ModelForm):
    """The description of an item; the file and everything extracted from it never change."""

    class Meta:
        model = EvidenceItem
        fields = ["title", "kind", "source_url", "acquisition_notes", "sensitivity"]
        labels = EvidenceUploadForm.Meta.labels
        help_texts = EvidenceUploadForm.Meta.help_texts | {"title": ""}
        widgets = EvidenceUploadForm.Meta.widgets


class IncidentLinkForm(forms.Form):
    incident = forms.CharField(label=_("Incident reference"), max_length=32, help_text=_("e.g. SYR-2015-0007"))


class VerificationCheckForm(forms.ModelForm):
    class Meta:
        model = VerificationCheck
        fields = ["kind", "result", "note"]
        labels = {"kind": _("Check")}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ClaimLinkForm(forms.ModelForm):
    class Meta:
        model = ClaimEvidence
        fields = ["claim", "relation"]

    def __init__(self, *args, claims, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].queryset = claims
        self.fields["claim"].label_from_instance = claim_label

    def validate_unique(self) -> None:
        """Linking again changes the relation; the service handles it."""


def claim_label(claim: Claim) -> str:
    return f"{claim.incident.reference}: {claim.source} ({claim.get_stance_display()})"


def linkable_claims(item: EvidenceItem):
    return (
        Claim.objects.filter(incident__evidence_links__evidence=item)
        .select_related("incident", "source")
        .order_by("incident__reference", "pk")
    )


class WebCaptureForm(forms.Form):
    """One or more URLs to capture, one a line."""

    urls = forms.CharField(
        label=_("Web pages to capture"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr", "placeholder": "https://"}),
        help_text=_(
            "One URL a line. Each page is opened in a browser and kept as a screenshot, a PDF, its HTML, a WARC "
            "and the media it embeds."
        ),
    )
    incident = forms.CharField(required=False, label=_("Incident reference"), max_length=32)

    def clean_urls(self) -> list[str]:
        urls = list(dict.fromkeys(line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()))
        if not urls:
            raise forms.ValidationError(_("Paste at least one URL."))
        limit = settings.CAPTURE_MAX_URLS
        if len(urls) > limit:
            raise forms.ValidationError(
                _("At most %(limit)d URLs at a time; you pasted %(count)d.") % {"limit": limit, "count": len(urls)}
            )
        too_long = [u for u in urls if len(u) > 2000]
        if too_long:
            raise forms.ValidationError(_("A URL is longer than 2,000 characters."))
        return urls


class RedactionForm(forms.Form):
    regions = forms.CharField(
        label=_("Rectangles"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
        help_text=_('Drawn on the image above, or typed: one "x,y,width,height" a line, as fractions of the image.'),
    )
    method = forms.ChoiceField(label=_("Cover with"), choices=[("blur", _("Blur")), ("black", _("Black box"))])
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity of the copy"), choices=Sensitivity.choices, initial=Sensitivity.NONE
    )

    def clean_regions(self):
        from verify.evidence.workcopy import BadRegions, parse_regions

        try:
            return parse_regions(self.cleaned_data["regions"])
        except BadRegions as exc:
            raise forms.ValidationError(str(exc)) from exc
