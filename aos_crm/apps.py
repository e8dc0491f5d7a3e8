from django.apps import AppConfig


class AosCrmConfig(AppConfig):
    name = "aos_crm"
    verbose_name = "Store staff"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from aos_crm.middleware import mark_login

        user_logged_in.connect(mark_login, dispatch_uid="aos_crm.idle_timeout.mark_login")
