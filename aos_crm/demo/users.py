"""The demo logins: four associates, a manager and a catalog staff member (invented people)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group

from aos_crm import roles
from aos_crm.models import User

DEFAULT_PASSWORD = "tile-demo-2026"  # noqa: S105 - the documented demo password, overridable by DEMO_PASSWORD


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    group: str
    is_staff: bool = False

    @property
    def email(self) -> str:
        return f"{self.first_name}.{self.last_name}@example.com".lower()


DEMO_USERS = (
    DemoUser("associate", "Alex", "Rivera", roles.ASSOCIATE),
    DemoUser("associate2", "Jordan", "Kim", roles.ASSOCIATE),
    DemoUser("associate3", "Sam", "Okafor", roles.ASSOCIATE),
    DemoUser("associate4", "Taylor", "Brooks", roles.ASSOCIATE),
    DemoUser("manager", "Morgan", "Hayes", roles.MANAGER),
    DemoUser("catalog", "Casey", "Lindqvist", roles.CATALOG_STAFF, is_staff=True),
)
ASSOCIATE_USERNAMES = tuple(u.username for u in DEMO_USERS if u.group == roles.ASSOCIATE)


def ensure_users(*, password: str, reset_passwords: bool = False) -> tuple[dict[str, User], list[str]]:
    """Create the demo users that are missing (with ``password``) and make sure each is in its group.

    Existing users keep their names and password unless ``reset_passwords``. Returns the users by
    username and one line per user saying what was done.
    """
    groups = {g.name: g for g in Group.objects.filter(name__in={u.group for u in DEMO_USERS})}
    missing = {u.group for u in DEMO_USERS} - set(groups)
    if missing:
        raise LookupError(f"Groups {sorted(missing)} do not exist yet: run `manage.py migrate` first.")

    users, report = {}, []
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": spec.email,
                "is_staff": spec.is_staff,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
            action = "created"
        elif reset_passwords:
            user.set_password(password)
            user.save(update_fields=["password"])
            action = "password reset"
        else:
            action = "exists, password kept"
        if not user.groups.filter(pk=groups[spec.group].pk).exists():
            user.groups.add(groups[spec.group])
        users[spec.username] = user
        report.append(f"{spec.username} ({user.get_full_name() or spec.username}, {spec.group}): {action}")
    return users, report
