from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from aos_crm import bench, views
from projects import views as project_views

admin.site.site_header = "AOS CRM administration"
admin.site.site_title = "AOS CRM admin"
admin.site.index_title = "Catalog, quotes and records"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/locked/", views.lockouts, name="lockouts"),
    path("customers/", include("customers.urls")),
    path("projects/", include("projects.urls")),
    path("estimate/", project_views.quick_estimate, name="quick_estimate"),
    path("estimate.json", project_views.quick_estimate_json, name="quick_estimate_json"),
    path("conversations/", include("conversations.urls")),
    path("reviews/", include("conversations.review_urls")),
    path("quotes/", include("quotes.urls")),
    path("archive/", include("archive.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_FLOOR_VIEW:
    urlpatterns.append(path(bench.FLOOR_PATH, bench.floor, name="bench_floor"))
