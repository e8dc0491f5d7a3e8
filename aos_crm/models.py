from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A store employee. Kept as our own model so staff fields (store, employee number) can be
    added without a painful swap later; roles are the groups Associate, Manager, Catalog staff."""

    class Meta:
        db_table = "users"
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)
