"""The kinds of record a process holds, and their editable fields.

One registry serves every front door: web forms, API schemas, and scenario files all list the
same fields in the same order, so the three cannot drift apart. Kinds are listed parents first,
which is also the order a scenario file is imported in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from parley.processes import models as m

COMMON_FIELDS = ("key", "visibility", "party", "audience", "is_illustrative")


@dataclass(frozen=True)
class RecordKind:
    """A kind of record: its name in URLs and scenario files, its model and fields."""

    name: str
    model: type[m.ProcessRecord]
    fields: tuple[str, ...]
    title_field: str
    parent_field: str | None = None
    append_only: bool = False

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def label_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def editable_fields(self) -> tuple[str, ...]:
        return self.fields + COMMON_FIELDS

    def single_references(self) -> dict[str, type[models.Model]]:
        """Return the reference fields that name one row (all but the many-to-many audience)."""
        return {
            name: model
            for name, model in self.reference_fields().items()
            if not self.model._meta.get_field(name).many_to_many
        }

    def reference_fields(self) -> dict[str, type[models.Model]]:
        """Return each foreign-key field among the editable ones, with the model it names."""
        refs: dict[str, type[models.Model]] = {}
        for name in self.editable_fields:
            field = self.model._meta.get_field(name)
            if field.is_relation and field.related_model is not None:
                refs[name] = field.related_model
        return refs


KINDS: dict[str, RecordKind] = {
    kind.name: kind
    for kind in [
        RecordKind("sources", m.Source, ("title", "kind", "publisher", "author", "url",
                   "published_on", "language", "excerpt"), "title"),
        RecordKind("venues", m.Venue, ("name", "city", "country", "kind"), "name"),
        RecordKind("actors", m.Actor, ("name", "short_name", "kind", "aliases", "description"),
                   "name"),
        RecordKind("people", m.Person, ("display_name", "names", "pseudonym",
                   "consent_to_be_named", "title", "affiliation", "is_placeholder"),
                   "display_name"),
        RecordKind("rounds", m.Round, ("name", "sequence", "status", "venue", "starts_on",
                   "ends_on", "convener_text", "summary"), "name"),
        RecordKind("sessions", m.Session, ("round", "title", "kind", "held_on", "attribution",
                   "summary"), "title", parent_field="round"),
        RecordKind("participations", m.Participation, ("actor", "round", "category", "status",
                   "count_at_least", "note"), "actor"),
        RecordKind("delegations", m.Delegation, ("actor", "round", "mandate_note",
                   "authority_to_sign"), "actor"),
        RecordKind("delegation-members", m.DelegationMember, ("delegation", "person", "role",
                   "order"), "person", parent_field="delegation"),
        RecordKind("role-assignments", m.RoleAssignment, ("role", "status", "person", "actor",
                   "represents", "round", "verbatim_term"), "role"),
        RecordKind("letters", m.Letter, ("kind", "subject", "sent_on", "addressee", "body",
                   "language", "signatory_count"), "subject"),
        RecordKind("letter-signatories", m.LetterSignatory, ("letter", "order", "person",
                   "actor", "capacity"), "order", parent_field="letter"),
        RecordKind("issues", m.Issue, ("title", "description", "is_contentious", "parent",
                   "categories"), "title"),
        RecordKind("positions", m.Position, ("actor", "issue", "stance", "statement", "as_of",
                   "basis"), "stance", append_only=True),
        RecordKind("outcomes", m.Outcome, ("title", "kind", "round", "adopted_on", "summary",
                   "text", "next_round"), "title"),
        RecordKind("endorsements", m.Endorsement, ("outcome", "actor", "act", "capacity",
                   "reason"), "actor", parent_field="outcome"),
    ]
}  # fmt: skip


def kind_of(model: type[models.Model]) -> RecordKind:
    """Return the kind whose model is *model*."""
    for kind in KINDS.values():
        if kind.model is model:
            return kind
    raise LookupError(f"{model.__name__} is not a kind of process record")


def values_of(kind: RecordKind, row: m.ProcessRecord) -> dict[str, object]:
    """Return *row*'s editable fields as plain values; references are given by key.

    The shape is the scenario-file shape, also used in audit events and the API.
    """
    values: dict[str, object] = {}
    for name in kind.editable_fields:
        field = row._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(other.key for other in getattr(row, name).all())
        elif field.is_relation:
            target = getattr(row, name)
            values[name] = target.key if target is not None else None
        else:
            values[name] = getattr(row, name)
    return values
