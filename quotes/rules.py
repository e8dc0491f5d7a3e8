"""The two rules that outgrow a unique index once `quotes` is partitioned by date (PostgreSQL).

A unique index on a partitioned table must include the partition key, `quote_date`, so:

- `quote_number` UNIQUE (the seed's) would only be unique per date, and
- `quotes_one_accepted_per_project` (project_id WHERE accepted) would only be one per project per
  date.

Each rule moves to a small table keyed by what must be unique, kept by a row trigger on `quotes` on
every insert, delete and change of the columns involved, whoever writes the quote:

- `quote_numbers` (quote_number PRIMARY KEY `quotes_quote_number_unique`): every quote's number;
- `project_accepted_quote` (project_id PRIMARY KEY `quotes_one_accepted_per_project`, the rule's
  own name): the project's accepted quote.

A second writer of the same key fails as it did against the index: at once, or under concurrency
after waiting for the first writer's transaction (the key's row lock), with an IntegrityError that
names the rule. Numbers are still handed out by the per-year counter (`quote_counters`), and
`quotes` keeps a unique constraint on (quote_number, quote_date) for the partitions' own lookups.

On SQLite `quotes` is not partitioned and keeps its unique indexes; both tables stay empty."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeptKey:
    name: str  # the trigger, its function and the key table's primary key constraint
    table: str
    key: str  # the column of `quotes` that is unique in `table`
    when: str  # which quotes the table holds ("true": all of them)
    columns: tuple[str, ...]  # the UPDATE OF columns that can change membership or key

    def statements(self) -> list[str]:
        old, new = self.when.replace("$", "OLD."), self.when.replace("$", "NEW.")
        return [
            f"""
CREATE OR REPLACE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND {old} THEN
        DELETE FROM {self.table} WHERE {self.key} = OLD.{self.key} AND quote_id = OLD.quote_id;
    END IF;
    IF TG_OP <> 'DELETE' AND {new} THEN
        INSERT INTO {self.table} ({self.key}, quote_id, quote_date)
        VALUES (NEW.{self.key}, NEW.quote_id, NEW.quote_date);
    END IF;
    RETURN NULL;
END
$$
""",  # noqa: S608 - constants of this module
            f"DROP TRIGGER IF EXISTS {self.name} ON quotes",
            f"CREATE TRIGGER {self.name} AFTER INSERT OR DELETE OR UPDATE OF {', '.join(self.columns)} ON quotes"
            f" FOR EACH ROW EXECUTE FUNCTION {self.name}()",
            f"DELETE FROM {self.table}",  # noqa: S608 - constant
            f"INSERT INTO {self.table} ({self.key}, quote_id, quote_date)"  # noqa: S608 - constant
            f" SELECT {self.key}, quote_id, quote_date FROM quotes WHERE {self.when.replace('$', '')}",
        ]


NUMBERS = KeptKey(
    name="quotes_quote_number_unique",
    table="quote_numbers",
    key="quote_number",
    when="true",
    columns=("quote_number", "quote_id", "quote_date"),
)
ACCEPTED = KeptKey(
    name="quotes_one_accepted_per_project",
    table="project_accepted_quote",
    key="project_id",
    when="$quote_status = 'accepted'",
    columns=("quote_status", "project_id", "quote_id", "quote_date"),
)
RULES = (NUMBERS, ACCEPTED)


def install(schema_editor):
    """The triggers and the rows of today's quotes (PostgreSQL); each key table's primary key takes
    the rule's name (the partial index of that name went with the unpartitioned table)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for rule in RULES:
        schema_editor.execute(f"ALTER TABLE {rule.table} RENAME CONSTRAINT {rule.table}_pkey TO {rule.name}")
        for statement in rule.statements():
            schema_editor.execute(statement)


def uninstall(schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for rule in RULES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {rule.name} ON quotes")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {rule.name}()")
        schema_editor.execute(f"DELETE FROM {rule.table}")  # noqa: S608 - constant
        schema_editor.execute(f"ALTER TABLE {rule.table} RENAME CONSTRAINT {rule.name} TO {rule.table}_pkey")


def installed(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = ANY(%s) AND NOT tgisinternal AND tgparentid = 0",
            [[r.name for r in RULES]],
        )
        return cursor.fetchone()[0] == len(RULES)
