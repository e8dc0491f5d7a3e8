"""Load the demo data: catalog, logins and twelve weeks of activity, in one transaction.

Safe to run again: products are upserted by SKU (a row is written only when it differs), users are
created only when missing, and the activity is generated only while there are no customers yet
(``flush_activity`` deletes it first to regenerate it).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from aos_crm.demo import activity
from aos_crm.demo.catalog import demo_products
from aos_crm.demo.users import ASSOCIATE_USERNAMES, DEMO_USERS, ensure_users
from catalog.models import ProductCatalog
from customers.models import Customer

SEED = 2026


@dataclass
class LoadReport:
    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, line: str) -> None:
        self.lines.append(line)


def upsert_products() -> tuple[dict[str, ProductCatalog], str]:
    """Create missing demo products and update those whose fields differ from the demo data."""
    wanted = demo_products()
    existing = ProductCatalog.objects.in_bulk([p.sku for p in wanted])
    to_create, to_update, changed_fields = [], [], set()
    now = timezone.now()
    for demo in wanted:
        current = existing.get(demo.sku)
        if current is None:
            to_create.append(ProductCatalog(**demo.fields))
            continue
        diff = [name for name, value in demo.fields.items() if getattr(current, name) != value]
        if diff:
            for name in diff:
                setattr(current, name, demo.fields[name])
            current.updated_at = now
            changed_fields.update(diff)
            to_update.append(current)
    ProductCatalog.objects.bulk_create(to_create)
    if to_update:
        ProductCatalog.objects.bulk_update(to_update, [*sorted(changed_fields), "updated_at"])
    unchanged = len(wanted) - len(to_create) - len(to_update)
    summary = (
        f"Catalog: {len(wanted)} demo products ({len(to_create)} created, {len(to_update)} updated, "
        f"{unchanged} unchanged)."
    )
    products = ProductCatalog.objects.in_bulk([p.sku for p in wanted])
    return products, summary


def load_demo_data(*, password: str, reset_passwords: bool = False, flush_activity: bool = False) -> LoadReport:
    """Load everything; returns what was done, line by line."""
    started = time.perf_counter()
    report = LoadReport()
    with transaction.atomic():
        products, summary = upsert_products()
        report.add(summary)

        users, user_lines = ensure_users(password=password, reset_passwords=reset_passwords)
        report.add("Users:")
        report.lines += [f"  {line}" for line in user_lines]

        if flush_activity:
            deleted = activity.flush()
            report.add("Flushed activity: " + ", ".join(f"{n} {name}" for name, n in deleted.items()) + ".")
        existing = Customer.objects.count()
        if existing:
            report.add(
                f"Activity: skipped, the database already has {existing} customers "
                "(use --flush-activity to regenerate it)."
            )
        else:
            generated = activity.generate(
                associates=[users[name] for name in ASSOCIATE_USERNAMES],
                products=products,
                demo_products=demo_products(),
                today=timezone.localdate(),
                now=timezone.localtime(),
                seed=SEED,
            )
            activity.save(generated)
            counts = ", ".join(f"{n} {name}" for name, n in generated.counts().items())
            report.add(f"Activity: created {counts} over the last {activity.WEEKS} weeks.")
    report.seconds = time.perf_counter() - started
    return report


__all__ = ["DEMO_USERS", "LoadReport", "load_demo_data", "upsert_products"]
