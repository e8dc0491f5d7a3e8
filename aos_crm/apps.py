from django.apps import AppConfig


class AosCrmConfig(AppConfig):
    name = "aos_crm"
    verbose_name = "Store staff"
