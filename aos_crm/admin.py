from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from aos_crm.models import User


@admin.register(User)
class StoreUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "group_names", "is_active", "is_staff")
    list_filter = ("groups", "is_active", "is_staff")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def group_names(self, obj):
        return ", ".join(group.name for group in obj.groups.all())
