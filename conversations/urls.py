from django.urls import path

from conversations import views

app_name = "conversations"
urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("new/", views.conversation_new, name="new"),
    path("new/customer-search/", views.customer_search, name="customer_search"),
    path("new/duplicate-check/", views.duplicate_check, name="duplicate_check"),
    path("new/<uuid:customer_id>/", views.conversation_new_for_customer, name="new_for_customer"),
    path("<uuid:log_id>/", views.conversation_resume, name="resume"),
    path("<uuid:log_id>/summary/", views.conversation_summary, name="summary"),
    path("<uuid:log_id>/rooms/add/", views.room_add, name="room_add"),
    path("<uuid:log_id>/rooms/<uuid:room_id>/", views.room_edit, name="room_edit"),
    path("<uuid:log_id>/rooms/<uuid:room_id>/delete/", views.room_delete, name="room_delete"),
    path("<uuid:log_id>/rooms/<uuid:room_id>/surfaces/add/", views.surface_add, name="surface_add"),
    path("<uuid:log_id>/surfaces/<uuid:surface_id>/", views.surface_edit, name="surface_edit"),
    path("<uuid:log_id>/surfaces/<uuid:surface_id>/delete/", views.surface_delete, name="surface_delete"),
    path("<uuid:log_id>/products/", views.product_search, name="product_search"),
    path("<uuid:log_id>/waste-default/", views.waste_default, name="waste_default"),
    path("<uuid:log_id>/surfaces/<uuid:surface_id>/kit/", views.surface_kit, name="surface_kit"),
    path("<uuid:log_id>/surfaces/<uuid:surface_id>/design/", views.design_surface, name="design_surface"),
    path("<uuid:log_id>/surfaces/<uuid:surface_id>/selections/add/", views.selection_add, name="selection_add"),
    path("<uuid:log_id>/selections/<uuid:selection_id>/", views.selection_edit, name="selection_edit"),
    path("<uuid:log_id>/selections/<uuid:selection_id>/delete/", views.selection_delete, name="selection_delete"),
    path("<uuid:log_id>/close/moments/", views.close_moment, name="close_moment"),
    path("<uuid:log_id>/<slug:phase>/", views.conversation_phase, name="phase"),
]
