"""Every write to a negotiating text. Web, API and CLI call these, never the ORM.

Each action runs in one transaction: permission guard -> validate -> write -> audit event, so a
refused or failing write leaves nothing half-written. Arguments are keyword-only; the acting
user comes in a TextAccess (texts/access.py).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from parley.audit.record import record_event
from parley.consensus.clauses import Stance
from parley.consultation.access import access_for
from parley.consultation.models import Statement
from parley.core.errors import Conflict, Forbidden, InvalidInput
from parley.core.visibility import Viewer, Visibility
from parley.processes.actions import REQUIRED, _clean, _reject_unknown
from parley.processes.models import Actor, Process, RoleAssignment, Session
from parley.processes.permissions import require, visible
from parley.processes.roles import PARTY_ROLES, Permission, RoleStatus
from parley.texts import format as bracket_format
from parley.texts.access import TextAccess
from parley.texts.document import ClauseDoc, DraftingStatus, TextDoc, options_of
from parley.texts.models import (
    Amendment,
    Clause,
    ClausePosition,
    Comment,
    NegotiatingText,
    Option,
    PartyReview,
    TextVersion,
)
from parley.texts.queries import (
    doc_of,
    doc_of_clause,
    latest_circulated,
    results_record,
    working_draft,
)

TEXT_FIELDS = (
    "key", "title", "kind", "drafting_mode", "description", "visibility", "is_illustrative",
)  # fmt: skip
CLAUSE_FIELDS = ("number", "heading", "body", "status")
MAX_RANK = 99
DECISIONS = frozenset(Amendment.Status) - {Amendment.Status.PROPOSED, Amendment.Status.WITHDRAWN}


# Texts and drafts -------------------------------------------------------------------------------


@transaction.atomic
def create_text(
    *, user: Any, process: Process, viewer: Viewer, data: dict[str, Any], doc: TextDoc | None = None
) -> NegotiatingText:
    """Open a new text with its first working draft (from *doc*, or empty).

    Its parties default to every party holding an accepted delegation role in the process.
    """
    require(viewer, Permission.MANAGE_RECORD)
    _reject_unknown(data, TEXT_FIELDS)
    fields = {"visibility": Visibility.PROCESS.value, **data}
    fields["key"] = fields.get("key") or _free_key(process, slugify(fields.get("title", "")))
    _refuse_reserved(fields["key"])
    text = NegotiatingText(process=process, **fields)
    _clean(text)
    text.save()
    text.parties.set(_delegation_parties(process))
    version = _new_version(text, based_on=None)
    _write_clauses(version, doc.clauses if doc else ())
    record_event(user=user, verb="text.created", target=text, process_id=process.pk,
                 data={"key": text.key, "title": text.title})  # fmt: skip
    return text


# Keys that would read as a page of their own: /texts/new/, /clauses/new/.
RESERVED_KEYS = frozenset({"new"})


def _refuse_reserved(key: str) -> None:
    if key in RESERVED_KEYS:
        raise InvalidInput({"key": [f"'{key}' names a page; choose another key."]})


def _free_key(process: Process, base: str) -> str:
    base = (base or "text")[:60]
    base = f"{base}-text" if base in RESERVED_KEYS else base
    if not NegotiatingText.objects.filter(process=process, key=base).exists():
        return base
    return f"{base}-{secrets.token_hex(2)}"


def _delegation_parties(process: Process) -> models.QuerySet[Actor]:
    held = RoleAssignment.objects.filter(
        process=process, role__in=PARTY_ROLES, status=RoleStatus.ACCEPTED
    ).values("represents_id")
    return Actor.objects.filter(process=process, pk__in=held)


@transaction.atomic
def update_text(*, access: TextAccess, data: dict[str, Any]) -> NegotiatingText:
    """Change a text's title, kind, drafting mode, description or audience."""
    access.require_manage()
    _reject_unknown(data, tuple(f for f in TEXT_FIELDS if f != "key"))
    text = access.text
    for name, value in data.items():
        setattr(text, name, value)
    _clean(text)
    text.save()
    record_event(user=access.user, verb="text.changed", target=text,
                 process_id=text.process_id, data={"fields": sorted(data)})  # fmt: skip
    return text


def set_parties(*, access: TextAccess, parties: list[Actor], refraining: list[Actor]) -> None:
    """Say which parties sign (their positions decide) and which refrain (advisory only)."""
    access.require_manage()
    with transaction.atomic():
        access.text.parties.set(parties)
        access.text.refraining.set(refraining)
        record_event(user=access.user, verb="text.parties-set", target=access.text,
                     process_id=access.process.pk,
                     data={"parties": [p.key for p in parties],
                           "refraining": [p.key for p in refraining]})  # fmt: skip


@transaction.atomic
def start_draft(*, access: TextAccess) -> TextVersion:
    """Open the next working draft as a copy of the latest circulated one."""
    access.require_manage()
    text = _locked(access.text)
    if working_draft(text) is not None:
        raise Forbidden("A working draft is already open; circulate it first.")
    previous = latest_circulated(text)
    version = _new_version(text, based_on=previous)
    if previous is not None:
        _copy_clauses(previous, version)
    record_event(user=access.user, verb="text.draft-started", target=version,
                 process_id=text.process_id, data={"number": version.number})  # fmt: skip
    return version


@transaction.atomic
def import_draft(*, access: TextAccess, doc: TextDoc) -> TextVersion:
    """Make *doc* the text's next working draft (a mediator's file, imported)."""
    access.require_manage()
    text = _locked(access.text)
    if working_draft(text) is not None:
        raise Forbidden("A working draft is already open; circulate it first.")
    version = _new_version(text, based_on=latest_circulated(text))
    _write_clauses(version, doc.clauses)
    record_event(user=access.user, verb="text.draft-imported", target=version,
                 process_id=text.process_id, data={"clauses": len(doc.clauses)})  # fmt: skip
    return version


def _locked(text: NegotiatingText) -> NegotiatingText:
    # Two mediators starting a draft at once must not both get number N + 1.
    return NegotiatingText.objects.select_for_update().get(pk=text.pk)


def _new_version(text: NegotiatingText, based_on: TextVersion | None) -> TextVersion:
    number = (based_on.number if based_on else 0) + 1
    last = TextVersion.objects.filter(text=text).order_by("-number").first()
    number = max(number, last.number + 1 if last else 1)
    return TextVersion.objects.create(
        process_id=text.process_id, key=f"{text.key}-v{number}"[:80], text=text, number=number,
        based_on=based_on, visibility=Visibility.MEDIATION.value,
        is_illustrative=text.is_illustrative,
    )  # fmt: skip


def _write_clauses(version: TextVersion, clauses: tuple[ClauseDoc, ...] | list[ClauseDoc]) -> None:
    """Store *clauses* in *version*, with their options, in two bulk inserts."""
    parents = TextDoc("", tuple(clauses)).parent_keys()
    rows = [
        Clause(version=version, key=c.key, number=c.number, heading=c.heading, body=c.body,
               depth=c.depth, order=index, status=c.status.value)
        for index, c in enumerate(clauses)
    ]  # fmt: skip
    Clause.objects.bulk_create(rows)
    saved = {row.key: row for row in Clause.objects.filter(version=version)}
    for row in saved.values():
        parent = parents.get(row.key)
        row.parent = saved[parent] if parent else None
    Clause.objects.bulk_update(saved.values(), ["parent"])
    Option.objects.bulk_create([option for row in saved.values() for option in _options_for(row)])


def _options_for(clause: Clause) -> list[Option]:
    segments = bracket_format.parse_body(clause.body)
    return [
        Option(clause=clause, bracket=o.bracket, label=o.label, text=o.text, is_omit=o.is_omit,
               order=index)
        for index, o in enumerate(options_of(segments))
    ]  # fmt: skip


def _copy_clauses(source: TextVersion, target: TextVersion) -> None:
    clauses = list(Clause.objects.filter(version=source).prefetch_related("cites"))
    _write_clauses(target, [doc_of_clause(c) for c in clauses])
    copies = {c.key: c for c in Clause.objects.filter(version=target)}
    links = Clause.cites.through
    links.objects.bulk_create([
        links(clause_id=copies[c.key].pk, statement_id=s.pk) for c in clauses for s in c.cites.all()
    ])  # fmt: skip


# Editing the working draft ----------------------------------------------------------------------


def require_working(version: TextVersion) -> None:
    """Raise Forbidden unless *version* is the working draft (circulated drafts are frozen)."""
    if not version.is_working:
        raise Forbidden("This draft has been circulated and can no longer change.")


@transaction.atomic
def edit_clause(
    *, access: TextAccess, clause: Clause, data: dict[str, Any], revision: int
) -> Clause:
    """Save a clause of the working draft, unless someone saved it since *revision*.

    The check and the write are one UPDATE … WHERE revision = *revision*: of two people saving
    the same clause, the second gets a Conflict carrying both texts, and nothing is lost.
    """
    access.require_manage()
    require_working(clause.version)
    _reject_unknown(data, CLAUSE_FIELDS)
    fields = _valid_clause_fields(clause, data)
    updated = Clause.objects.filter(pk=clause.pk, revision=revision).update(
        **fields, revision=F("revision") + 1
    )
    if not updated:
        current = Clause.objects.get(pk=clause.pk)
        raise Conflict("clause", yours={k: "" if v is None else str(v) for k, v in data.items()},
                       current={k: str(getattr(current, k)) for k in CLAUSE_FIELDS},
                       revision=current.revision)  # fmt: skip
    clause.refresh_from_db()
    if "body" in fields:
        Option.objects.filter(clause=clause).delete()
        Option.objects.bulk_create(_options_for(clause))
    record_event(user=access.user, verb="clause.changed", target=clause,
                 process_id=access.process.pk,
                 data={"key": clause.key, "fields": sorted(fields)})  # fmt: skip
    return clause


def _valid_clause_fields(clause: Clause, data: dict[str, Any]) -> dict[str, Any]:
    fields = {name: ("" if value is None else value) for name, value in data.items()}
    candidate = Clause(**{**{f: getattr(clause, f) for f in CLAUSE_FIELDS}, **fields},
                       version=clause.version, key=clause.key, order=clause.order)  # fmt: skip
    _clean(candidate, exclude=["version", "parent", "cites"])
    _check_body(candidate.body)
    return fields


def _check_body(body: str) -> None:
    try:
        bracket_format.parse_body(body, name="body")
    except bracket_format.TextFormatError as error:
        raise InvalidInput({"body": [f"Line {p.line}, column {p.column}: {p.message}"
                                     for p in error.problems]}) from None  # fmt: skip


@transaction.atomic
def add_clause(
    *, access: TextAccess, version: TextVersion, data: dict[str, Any], after: Clause | None = None
) -> Clause:
    """Add a clause to the working draft, after *after* (at the end without one)."""
    access.require_manage()
    require_working(version)
    _reject_unknown(data, (*CLAUSE_FIELDS, "key"))
    # Heading before number, as the bracket format derives a missing key.
    key = data.get("key") or _free_clause_key(version, data.get("heading") or data.get("number"))
    _refuse_reserved(key)
    if Clause.objects.filter(version=version, key=key).exists():
        raise InvalidInput({"key": ["Another clause of this draft has this key."]})
    order = _make_room(version, after)
    clause = Clause(version=version, key=key, order=order, depth=after.depth if after else 1,
                    parent=after.parent if after else None,
                    **{k: v for k, v in data.items() if k != "key"})  # fmt: skip
    _clean(clause, exclude=["cites"])
    _check_body(clause.body)
    clause.save()
    Option.objects.bulk_create(_options_for(clause))
    record_event(user=access.user, verb="clause.added", target=clause,
                 process_id=access.process.pk, data={"key": clause.key})  # fmt: skip
    return clause


def _free_clause_key(version: TextVersion, hint: str | None) -> str:
    base = slugify(hint or "")[:70] or "clause"
    base = base if base[0].isalpha() and base not in RESERVED_KEYS else f"c-{base}"
    taken = set(Clause.objects.filter(version=version).values_list("key", flat=True))
    taken |= set(Clause.objects.filter(version__text=version.text).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _make_room(version: TextVersion, after: Clause | None) -> int:
    rows = Clause.objects.filter(version=version)
    if after is None:
        last = rows.order_by("-order").first()
        return last.order + 1 if last else 0
    rows.filter(order__gt=after.order).update(order=F("order") + 1)
    return after.order + 1


@transaction.atomic
def remove_clause(*, access: TextAccess, clause: Clause) -> None:
    """Take a clause (and its sub-clauses) out of the working draft."""
    access.require_manage()
    require_working(clause.version)
    record_event(user=access.user, verb="clause.removed", target=clause,
                 process_id=access.process.pk, data={"key": clause.key})  # fmt: skip
    clause.delete()


# Who a draft may be circulated to: the team-only levels are for working drafts.
_AUDIENCES = tuple(
    level.value for level in Visibility if level not in (Visibility.MEDIATION, Visibility.LEAD)
)


@transaction.atomic
def circulate(
    *,
    access: TextAccess,
    version: TextVersion,
    label: str = "",
    visibility: str = Visibility.PROCESS.value,
    audience: list[Actor] | None = None,
    note: str = "",
) -> TextVersion:
    """Issue the working draft: freeze it, fingerprint it, and show it to its audience.

    The previous circulated draft keeps a record of where its board stood, with the rules that
    decided each result (mediation-team data).
    """
    access.require_manage()
    require_working(version)
    doc = doc_of(version)
    if not doc.clauses:
        raise InvalidInput({"clauses": ["A draft needs at least one clause."]})
    if visibility not in _AUDIENCES:
        raise InvalidInput({"visibility": [f"Circulate to one of: {', '.join(_AUDIENCES)}."]})
    previous = latest_circulated(access.text)
    version.label = label or f"Draft {version.number}"
    version.visibility, version.note = visibility, note
    version.state, version.circulated_at = TextVersion.State.CIRCULATED, timezone.now()
    version.fingerprint = bracket_format.fingerprint(doc)
    _clean(version)
    version.save()
    version.audience.set(audience or [])
    if previous is not None:
        _close(previous)
    record_event(user=access.user, verb="text.circulated", target=version,
                 process_id=access.process.pk,
                 data={"number": version.number, "label": version.label,
                       "fingerprint": version.fingerprint})  # fmt: skip
    return version


def _close(version: TextVersion) -> None:
    version.closing_results = results_record(version)
    version.save(update_fields=["closing_results"])


# Positions, comments, reviews -------------------------------------------------------------------


@transaction.atomic
def record_position(
    *,
    access: TextAccess,
    clause: Clause,
    party: Actor,
    stance: str,
    option: Option | None = None,
    reason: str = "",
    reservation: str = "",
    counter_wording: str = "",
    rank: int | None = None,
) -> ClausePosition:
    """Record *party*'s position on a clause of the current draft, or on one alternative.

    The party's authorised delegate records its position; a member of its delegation records
    an advisory view. The position is confidential to the party and the mediation team.
    """
    _require_current(access, clause.version)
    advisory = _speaker_kind(access, party)
    stance = _valid_stance(stance, reason)
    if rank is not None and not 1 <= rank <= MAX_RANK:
        raise InvalidInput({"rank": [f"A rank runs from 1 (best) to {MAX_RANK}."]})
    if option is not None and option.clause_id != clause.pk:
        raise InvalidInput({"option": ["No such alternative in this clause."]})
    position = ClausePosition.objects.create(
        process=access.process, key=f"pos-{secrets.token_hex(8)}",
        visibility=Visibility.PARTY.value, party=party, clause=clause, option=option,
        stance=stance, reason=reason.strip(),
        reservation=reservation.strip(), counter_wording=counter_wording.strip(), rank=rank,
        is_advisory=advisory, author=access.user,
        is_illustrative=access.text.is_illustrative,
    )  # fmt: skip
    record_event(user=access.user, verb="clause.position-recorded", target=position,
                 process_id=access.process.pk,
                 data={"clause": clause.key, "party": party.key,
                       "option": option.label if option else None,
                       "advisory": advisory})  # fmt: skip
    return position


def _require_current(access: TextAccess, version: TextVersion) -> None:
    latest = latest_circulated(access.text)
    if latest is None or version.pk != latest.pk:
        raise Forbidden(
            f"Positions are recorded on the current draft{_named(access, latest)}; "
            f"{version.display_label} is no longer open for positions."
        )


def _named(access: TextAccess, version: TextVersion | None) -> str:
    """Return " (Draft N)" if the user may read *version*: a draft circulated to a subgroup
    is not named to anyone outside it."""
    if (
        version is None
        or not visible(access.viewer, TextVersion, access.process).filter(pk=version.pk).exists()
    ):
        return ""
    return f" ({version.display_label})"


def _speaker_kind(access: TextAccess, party: Actor) -> bool:
    """Return whether the user's view of *party*'s position is advisory; refuse outsiders."""
    if not access.text.parties.filter(pk=party.pk).exists() and not (
        access.text.refraining.filter(pk=party.pk).exists()
    ):
        raise InvalidInput({"party": [f"{party.name} is not a party to this text."]})
    if access.speaks_for(party):
        return False
    if access.is_member_of(party):
        return True
    raise Forbidden(f"Only {party.name}'s authorised delegate may record its position.")


def _valid_stance(stance: str, reason: str) -> str:
    try:
        value = Stance(stance)
    except ValueError:
        raise InvalidInput(
            {"stance": ["Choose accept, live_with, reject or stand_aside."]}
        ) from None
    if value is Stance.PENDING:
        raise InvalidInput({"stance": ["Choose accept, live_with, reject or stand_aside."]})
    if value is Stance.REJECT and not reason.strip():
        raise InvalidInput({"reason": ["A rejection needs a reason, so it can be answered."]})
    return value.value


@transaction.atomic
def add_comment(
    *,
    access: TextAccess,
    version: TextVersion,
    body: str,
    kind: str = Comment.Kind.CRITICISM,
    clause: Clause | None = None,
    party: Actor | None = None,
) -> Comment:
    """Add a criticism, question, reservation or support, seen by the party and the team.

    A party member writes for their party (party level); the mediation team writes notes only
    the team reads.
    """
    if not body.strip():
        raise InvalidInput({"body": [REQUIRED]})
    if party is not None and not access.is_member_of(party):
        raise Forbidden(f"You do not speak for {party.name}.")
    if party is None and not access.can_manage:
        raise Forbidden("Only the parties and the mediation team comment on drafts.")
    level = Visibility.PARTY if party is not None else Visibility.MEDIATION
    comment = Comment(process=access.process, key=f"comment-{secrets.token_hex(8)}",
                      visibility=level.value, party=party, version=version, clause=clause,
                      kind=kind, body=body.strip(), author=access.user,
                      is_illustrative=access.text.is_illustrative)  # fmt: skip
    _clean(comment, exclude=["audience"])
    comment.save()
    record_event(user=access.user, verb="text.commented", target=comment,
                 process_id=access.process.pk,
                 data={"version": version.number, "kind": kind})  # fmt: skip
    return comment


@transaction.atomic
def mark_reviewed(*, access: TextAccess, version: TextVersion, party: Actor) -> PartyReview:
    """Note that *party* has reviewed *version*: its next diff starts from here."""
    if not access.is_member_of(party):
        raise Forbidden(f"You do not speak for {party.name}.")
    if version.is_working:
        raise Forbidden("Only circulated drafts are reviewed.")
    review, _ = PartyReview.objects.update_or_create(
        text=access.text, party=party,
        defaults={"version": version, "reviewed_by": access.user},
    )  # fmt: skip
    record_event(user=access.user, verb="text.reviewed", target=version,
                 process_id=access.process.pk, data={"party": party.key})  # fmt: skip
    return review


# Amendments ------------------------------------------------------------------------------------


@transaction.atomic
def propose_amendment(
    *,
    access: TextAccess,
    clause_key: str,
    op: str = Amendment.Op.REPLACE,
    proposed_text: str = "",
    rationale: str = "",
    party: Actor | None = None,
    visibility: str | None = None,
) -> Amendment:
    """Table an amendment to the current draft, coded by its proposer ("B-3").

    Under a one-text procedure only the mediation team amends; parties criticise instead.
    A party's amendment is confidential to it and the team until it chooses a wider audience.
    """
    version = latest_circulated(access.text)
    if version is None:
        raise Forbidden("Nothing has been circulated yet to amend.")
    check_proposer(access, party)
    if not Clause.objects.filter(version=version, key=clause_key).exists():
        raise InvalidInput({"clause": [f"No clause {clause_key!r} in {version.display_label}."]})
    if op != Amendment.Op.DELETE and op != Amendment.Op.MOVE and not proposed_text.strip():
        raise InvalidInput({"proposed_text": [REQUIRED]})
    level = visibility or (Visibility.PARTY.value if party else Visibility.PROCESS.value)
    amendment = Amendment(
        process=access.process, key=f"amendment-{secrets.token_hex(6)}", visibility=level,
        party=party, text=access.text, version=version, code=_next_code(access.text, party),
        clause_key=clause_key, op=op, proposed_text=proposed_text.strip(),
        rationale=rationale.strip(), proposer=party, author=access.user,
        is_illustrative=access.text.is_illustrative,
    )  # fmt: skip
    _clean(amendment, exclude=["audience"])
    if proposed_text.strip():
        _check_body(proposed_text)
    amendment.save()
    record_event(user=access.user, verb="amendment.proposed", target=amendment,
                 process_id=access.process.pk, data={"code": amendment.code})  # fmt: skip
    return amendment


def check_proposer(access: TextAccess, party: Actor | None) -> None:
    """Raise Forbidden unless the user may table amendments for *party* (None: the team)."""
    if party is None:
        access.require_manage()
        return
    if access.text.drafting_mode != NegotiatingText.DraftingMode.OPEN:
        raise Forbidden("Under the one-text procedure parties comment; only the mediator drafts.")
    if not access.speaks_for(party):
        raise Forbidden(f"Only {party.name}'s authorised delegate may table its amendments.")


def proposer_prefix(party: Actor | None) -> str:
    """Return the code prefix of *party*'s amendments: its short name, else its initials."""
    if party is None:
        return "M"
    if party.short_name:
        return slugify(party.short_name).upper().replace("-", "")[:8] or "P"
    words = [w for w in party.name.split() if w[:1].isalnum()]
    return "".join(w[0] for w in words).upper()[:8] or "P"


def _next_code(text: NegotiatingText, party: Actor | None) -> str:
    prefix = proposer_prefix(party)
    taken = Amendment.objects.filter(text=text, code__startswith=f"{prefix}-").count()
    return f"{prefix}-{taken + 1}"


@transaction.atomic
def decide_amendment(
    *,
    access: TextAccess,
    amendment: Amendment,
    status: str,
    session: Session | None = None,
    note: str = "",
) -> Amendment:
    """Record the mediator's decision on an amendment, and where it was taken.

    An adopted amendment is written into the open working draft, if there is one.
    """
    access.require_manage()
    if status not in DECISIONS:
        choices = ", ".join(sorted(DECISIONS))
        raise InvalidInput({"status": [f"Choose one of: {choices}."]})
    if (
        session is not None
        and not visible(access.viewer, Session, access.process).filter(pk=session.pk).exists()
    ):
        raise InvalidInput({"session": ["No such session in this process."]})
    amendment.status, amendment.decided_in, amendment.decision_note = status, session, note
    amendment.decided_at = timezone.now()
    draft = working_draft(access.text)
    if status == Amendment.Status.ADOPTED and draft is not None:
        _apply(amendment, draft)
    amendment.save()
    record_event(user=access.user, verb="amendment.decided", target=amendment,
                 process_id=access.process.pk,
                 data={"code": amendment.code, "status": status})  # fmt: skip
    return amendment


def _apply(amendment: Amendment, draft: TextVersion) -> None:
    clause = Clause.objects.filter(version=draft, key=amendment.clause_key).first()
    if clause is None:
        return
    if amendment.op == Amendment.Op.REPLACE:
        Clause.objects.filter(pk=clause.pk).update(
            body=amendment.proposed_text, revision=F("revision") + 1
        )
        clause.refresh_from_db()
        Option.objects.filter(clause=clause).delete()
        Option.objects.bulk_create(_options_for(clause))
    elif amendment.op == Amendment.Op.DELETE:
        Clause.objects.filter(pk=clause.pk).update(
            status=DraftingStatus.AGREED_DELETION.value, revision=F("revision") + 1
        )
    elif amendment.op == Amendment.Op.INSERT:
        key = _free_clause_key(draft, slugify(amendment.code))
        new = Clause(version=draft, key=key, order=_make_room(draft, clause), depth=clause.depth,
                     parent=clause.parent, body=amendment.proposed_text)  # fmt: skip
        new.save()
        Option.objects.bulk_create(_options_for(new))
    else:
        return  # a move needs the mediator to place the clause by hand
    amendment.applied_to = draft


# Links to the consultation ---------------------------------------------------------------------


@transaction.atomic
def cite_statement(*, access: TextAccess, clause: Clause, statement: Statement) -> None:
    """Note that a consultation statement informed *clause* (working draft only)."""
    access.require_manage()
    require_working(clause.version)
    _require_statement_visible(access, statement)
    clause.cites.add(statement)
    record_event(user=access.user, verb="clause.cited", target=clause,
                 process_id=access.process.pk,
                 data={"key": clause.key, "statement": statement.pk})  # fmt: skip


@transaction.atomic
def uncite_statement(*, access: TextAccess, clause: Clause, statement: Statement) -> None:
    access.require_manage()
    require_working(clause.version)
    clause.cites.remove(statement)
    record_event(user=access.user, verb="clause.uncited", target=clause,
                 process_id=access.process.pk,
                 data={"key": clause.key, "statement": statement.pk})  # fmt: skip


def _require_statement_visible(access: TextAccess, statement: Statement) -> None:
    conversation = statement.conversation
    reader = access_for(access.user, conversation)
    if (
        reader is None
        or conversation.process_id != access.process.pk
        or statement.status != Statement.Status.ACCEPTED
    ):
        raise InvalidInput({"statement": ["No such statement in this process's consultations."]})
