import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from verify.review.models import Notification
from verify.review.services import MENTION

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in user's unread notifications about incidents they can see; one query, once per page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = Notification.objects.for_user(user).unread().count()
    return request._unread_notifications


@register.filter
def with_mentions(text: str) -> SafeString:
    """Escape a comment, keep its line breaks, and mark its @mentions."""
    escaped = str(conditional_escape(text))
    marked = MENTION.sub(lambda m: f'<strong class="mention">@{m.group(1)}</strong>', escaped)
    paragraphs = re.split(r"\n{2,}", marked.replace("\r\n", "\n").strip())
    # Safe: every character of the user's text went through conditional_escape above; only our tags are added.
    return mark_safe("".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs))  # noqa: S308
