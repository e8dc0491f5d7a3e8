"""Read models of the archive tables (archive.tables): unmanaged, with the live models' fields, so
an archived project's page shows its rooms, surfaces, selections, quotes and conversation notes
with the same labels and choices as a live one. The tables are made by migrations, never by these
models; nothing writes through them (archive.services moves rows with INSERT … SELECT)."""

from django.db import models

from archive.tables import archive_table
from conversations.models import ConversationLog
from projects.models import ProjectRoom, SelectedProduct, Surface
from quotes.models import Quote


def _twin(live, name: str, *, parents: dict, related: dict, permissions=()):
    """An unmanaged model with `live`'s concrete fields on the archive table. A foreign key to a
    moved table points at that table's twin (`parents`), any other at the live model; none is a
    database constraint."""
    attrs = {"__module__": __name__, "__doc__": f"An archived row of `{live._meta.db_table}`."}
    for field in live._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):
            target = parents.get(field.remote_field.model, field.remote_field.model)
            attrs[field.name] = models.ForeignKey(
                target,
                on_delete=models.DO_NOTHING,
                db_constraint=False,
                db_column=field.column,
                null=field.null,
                blank=field.blank,
                related_name=related.get(field.name, "+"),
                verbose_name=field.verbose_name,
            )
        else:
            attrs[field.name] = field.clone()
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "managed": False,
            "db_table": archive_table(live._meta.db_table),
            "ordering": live._meta.ordering,
            "verbose_name": f"archived {live._meta.verbose_name}",
            **({"permissions": list(permissions)} if permissions else {}),
        },
    )
    attrs["__str__"] = live.__dict__["__str__"]
    return type(name, (models.Model,), attrs)


# The permission to bring a project back from its archived page (managers, aos_crm.roles) sits on
# the archived rooms' model: a project's archive starts with its rooms.
ArchivedRoom = _twin(
    ProjectRoom,
    "ArchivedRoom",
    parents={},
    related={},
    permissions=[("unarchive_project", "Can bring an archived project back")],
)
ArchivedSurface = _twin(Surface, "ArchivedSurface", parents={ProjectRoom: ArchivedRoom}, related={"room": "surfaces"})
ArchivedSelection = _twin(
    SelectedProduct, "ArchivedSelection", parents={Surface: ArchivedSurface}, related={"surface": "selections"}
)
ArchivedQuote = _twin(Quote, "ArchivedQuote", parents={}, related={})
ArchivedConversation = _twin(ConversationLog, "ArchivedConversation", parents={}, related={})

# The live model of each twin, and the reverse.
TWIN_OF = {
    ProjectRoom: ArchivedRoom,
    Surface: ArchivedSurface,
    SelectedProduct: ArchivedSelection,
    Quote: ArchivedQuote,
    ConversationLog: ArchivedConversation,
}
