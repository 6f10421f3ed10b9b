from django import template

from verify.accounts import roles

register = template.Library()


@register.filter
def group_label(name: str) -> str:
    """A group's name as the reader sees it: the roles in the reader's language, other groups as named."""
    return str(roles.ROLE_LABELS.get(name, name))
