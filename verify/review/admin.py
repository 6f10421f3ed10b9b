from django.contrib import admin

from verify.incidents.models import StatusTransition
from verify.review.models import Comment, Notification, ReviewDecision


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    list_display = ["incident", "reviewer", "verdict", "grade", "created_at"]
    list_filter = ["verdict", "grade"]
    raw_id_fields = ["incident"]


@admin.register(StatusTransition)
class StatusTransitionAdmin(admin.ModelAdmin):
    list_display = ["incident", "from_status", "to_status", "by", "at"]
    raw_id_fields = ["incident"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["incident", "author", "created_at"]
    raw_id_fields = ["incident"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "incident", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["incident", "comment"]
