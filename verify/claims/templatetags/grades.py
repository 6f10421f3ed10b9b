"""`{{ code|grade_label }}`: the display label of a grade code, in the reader's language."""

from django import template

from verify.incidents.models import Grade

register = template.Library()


@register.filter
def grade_label(code) -> str:
    return Grade(code).label if code in Grade.values else str(code)
