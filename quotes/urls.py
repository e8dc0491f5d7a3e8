from django.urls import path

from quotes import views

app_name = "quotes"
urlpatterns = [
    path("new/<uuid:project_id>/", views.quote_new, name="new"),
    path("<uuid:quote_id>/", views.quote_detail, name="detail"),
    path("<uuid:quote_id>/pdf/", views.quote_pdf, name="pdf"),
    path("<uuid:quote_id>/status/", views.quote_transition, name="transition"),
]
