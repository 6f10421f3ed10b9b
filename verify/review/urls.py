from django.urls import path

from verify.review import views

urlpatterns = [
    path("", views.queue, name="queue"),
    path("take-next/", views.take_next, name="take_next"),
    path("mine/", views.mine, name="mine"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("claims/<int:pk>/history/", views.claim_history, name="claim_history"),
    path("<str:reference>/submit/", views.submit, name="submit"),
    path("<str:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:reference>/take/", views.take, name="take"),
    path("<str:reference>/release/", views.release, name="release"),
    path("<str:reference>/assign/", views.assign, name="assign"),
]
