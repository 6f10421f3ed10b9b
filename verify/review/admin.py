from django.contrib import admin

from verify.core.admin_site import WorkflowAdmin
from verify.incidents.models import Incident, StatusTransition
from verify.review.models import Comment, Notification, ReviewDecision

# All view-only: the review workflow writes these (with the signed-in user as reviewer or author), and each is
# shown only for incidents the user can see.


class ByIncidentAdmin(WorkflowAdmin):
    def get_queryset(self, request):
        return self.model._default_manager.filter(incident__in=Incident.objects.visible_to(request.user))


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ByIncidentAdmin):
    list_display = ["incident", "reviewer", "verdict", "grade", "created_at"]
    list_filter = ["verdict", "grade"]


@admin.register(StatusTransition)
class StatusTransitionAdmin(ByIncidentAdmin):
    list_display = ["incident", "from_status", "to_status", "by", "at"]


@admin.register(Comment)
class CommentAdmin(ByIncidentAdmin):
    list_display = ["incident", "author", "created_at"]


@admin.register(Notification)
class NotificationAdmin(ByIncidentAdmin):
    list_display = ["recipient", "kind", "incident", "created_at", "read_at"]
    list_filter = ["kind"]
