from django.urls import path

from benefits import views

app_name = "benefits"

urlpatterns = [
    path("", views.tracker_start, name="start"),
    path("new/link/", views.tracker_created, name="tracker-created"),
    path("t/<str:token>/", views.tracker_results, name="tracker-results"),
    path("t/<str:token>/figures/", views.tracker_figures, name="tracker-figures"),
    path("t/<str:token>/download.csv", views.tracker_csv, name="tracker-csv"),
    path("t/<str:token>/download.xlsx", views.tracker_xlsx, name="tracker-xlsx"),
    path("t/<str:token>/submit/", views.tracker_submit, name="tracker-submit"),
]
