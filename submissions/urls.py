"""The refresh's public side: a council's questionnaire, reached through its secure link."""

from django.urls import path

from submissions import proposal_views, views

app_name = "submissions"

urlpatterns = [
    path("q/<str:token>/", views.questionnaire_overview, name="questionnaire"),
    path("q/<str:token>/all/", views.questionnaire_all, name="questionnaire-all"),
    path("q/<str:token>/new/", views.questionnaire_new, name="questionnaire-new"),
    path("q/<str:token>/submit/", views.questionnaire_submit_view, name="questionnaire-submit"),
    path("q/<str:token>/items/<int:item_id>/", views.questionnaire_item, name="questionnaire-item"),
    path(
        "q/<str:token>/items/<int:item_id>/remove/",
        views.questionnaire_item_remove,
        name="questionnaire-item-remove",
    ),
    path("propose/", proposal_views.proposal_new, name="proposal-new"),
    path("propose/thanks/", proposal_views.proposal_thanks, name="proposal-thanks"),
]
