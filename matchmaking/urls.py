from django.urls import path

from matchmaking import views

app_name = "matchmaking"

urlpatterns = [
    path("", views.start, name="start"),
    path("request/", views.request_new, name="request-new"),
    path("request/sent/", views.request_sent, name="request-sent"),
    path("requests/<str:token>/", views.request_page, name="request-page"),
    path("expert-programme/", views.programme_start, name="programme"),
    path("expert-programme/apply/", views.application_new, name="application-new"),
    path("expert-programme/sent/", views.application_sent, name="application-sent"),
    path(
        "expert-programme/applications/<str:token>/",
        views.application_page,
        name="application-page",
    ),
]
