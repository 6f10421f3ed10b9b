from django import template

from verify.evidence.panels import incident_evidence_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def evidence_panel(context, incident) -> dict:
    """The incident page's evidence panel data, so the incident view needs no evidence code."""
    return incident_evidence_panel(incident, context["request"].user)
