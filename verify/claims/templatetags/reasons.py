from django import template

from verify.claims.reasons import reason_text as _reason_text

register = template.Library()


@register.filter
def reason_text(reason) -> str:
    """The words of a suggested grade's reason: `{{ reason|reason_text }}`. See verify.claims.reasons."""
    return _reason_text(reason)
