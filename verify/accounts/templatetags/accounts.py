from django import template

from verify.accounts import lockout, roles

register = template.Library()


@register.filter
def group_label(name: str) -> str:
    """A group's name as the reader sees it: the roles in the reader's language, other groups as named."""
    return str(roles.ROLE_LABELS.get(name, name))


@register.simple_tag(takes_context=True)
def sign_in_attempts_left(context) -> int | None:
    """Failed sign-ins this address may still make before it is locked (the sign-in page warns at the last)."""
    return lockout.attempts_left(context["request"])
