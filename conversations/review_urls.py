from django.urls import path

from conversations import review_views

app_name = "reviews"
urlpatterns = [
    path("team/", review_views.team_dashboard, name="team"),
    path("team.csv", review_views.team_csv, name="team_csv"),
    path("associates/<int:user_id>/", review_views.associate_detail, name="associate"),
    path("conversations/<uuid:log_id>/score/", review_views.score_conversation, name="score"),
    path("mine/", review_views.my_scores, name="mine"),
    path("followups/", review_views.my_followups, name="followups"),
]
