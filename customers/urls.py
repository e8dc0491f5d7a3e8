from django.urls import path

from customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("<uuid:customer_id>/", views.customer_detail, name="detail"),
]
