"""Choosing among alternative wordings of one bracket (bridging.md §5a(iii)).

Every signatory party rates every alternative ACCEPT / LIVE_WITH / REJECT and may also rank
them (a weak order). The rule, in order:

1. consent filter: keep the alternatives no party rejects;
2. among those, the most ACCEPTs (leximin: with no rejects left, only accepts differ);
3. among alternatives still tied, Schulze over the parties' rankings;
4. a tie that survives goes back to the mediator as a tie. Never random: this is for a signed
   agreement, not a lab study.

If every alternative is rejected by someone, the bracket stays open and the result names the
least-blocked alternatives and who blocks them, with their reasons. The caller should always
offer "omit this clause" (and the status-quo text, if any) among the alternatives.

Options and parties are any hashable ids, so the negotiating text can reuse this.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from parley.consensus.clauses import Level, clause_key
from parley.consensus.rules import OPTION_RULE
from parley.consensus.schulze import schulze_winners

OptionT = TypeVar("OptionT", bound=Hashable)
PartyT = TypeVar("PartyT", bound=Hashable)
Ranking = Sequence[Sequence[OptionT]]  # tiers, best first; options in one tier are tied


class ChoiceStatus(StrEnum):
    """Whether the bracket is settled, tied for the mediator, or open."""

    CHOSEN = "chosen"
    TIE = "tie"
    OPEN = "open"


class DecidedBy(StrEnum):
    """The step of the rule that settled the result."""

    CONSENT_FILTER = "consent-filter"  # only one alternative was rejected by nobody
    MOST_ACCEPTS = "most-accepts"
    SCHULZE = "schulze"
    UNRESOLVED_TIE = "unresolved-tie"
    NO_CONSENT = "no-consent"  # every alternative is rejected by someone: the bracket is open


@dataclass(frozen=True)
class OptionChoice(Generic[OptionT, PartyT]):
    """The outcome for one bracket and why.

    `chosen` is set only when `status` is chosen; `tied` is the set handed to the mediator when
    it is a tie; `least_blocked` the alternatives with the best key (-rejects, accepts) when it
    is open. `blocking` maps every rejected alternative to its rejecting parties and reasons.
    `feasible` is the consent filter's output and `keys` each alternative's (-rejects, accepts).
    """

    status: ChoiceStatus
    chosen: OptionT | None
    tied: frozenset[OptionT]
    least_blocked: frozenset[OptionT]
    blocking: Mapping[OptionT, Mapping[PartyT, str]]
    rule: str
    decided_by: DecidedBy
    feasible: frozenset[OptionT]
    keys: Mapping[OptionT, tuple[int, int]]


def choose_option(
    ratings: Mapping[OptionT, Mapping[PartyT, Level | int]],
    rankings: Mapping[PartyT, Ranking[OptionT]] | None = None,
    *,
    reasons: Mapping[OptionT, Mapping[PartyT, str]] | None = None,
) -> OptionChoice[OptionT, PartyT]:
    """Choose one alternative of a bracket, or say why none can be chosen (bridging.md §5a(iii)).

    `ratings[option][party]` is the party's level; every party rates every option. A party's
    ranking lists tiers best first (unlisted options come last) and must agree with its ratings:
    it may order options within a level but not against it. A party without a ranking is
    taken to rank by its ratings alone. `reasons[option][party]` explains a REJECT.
    """
    levels = _levels(ratings)
    ballots = _ballots(levels, rankings or {})
    keys = {option: clause_key(by_party.values()) for option, by_party in levels.items()}
    feasible = frozenset(option for option, key in keys.items() if key[0] == 0)
    outcome = _Outcome(keys, feasible, _blocking(levels, reasons or {}))
    if not feasible:
        return outcome.open()
    most = max(keys[option][1] for option in feasible)
    top = [option for option in levels if option in feasible and keys[option][1] == most]
    if len(top) == 1:
        decided = DecidedBy.CONSENT_FILTER if len(feasible) == 1 else DecidedBy.MOST_ACCEPTS
        return outcome.chosen(top[0], decided)
    winners = schulze_winners(top, ballots)
    if len(winners) == 1:
        return outcome.chosen(next(iter(winners)), DecidedBy.SCHULZE)
    return outcome.tie(winners)


@dataclass(frozen=True)
class _Outcome(Generic[OptionT, PartyT]):
    keys: Mapping[OptionT, tuple[int, int]]
    feasible: frozenset[OptionT]
    blocking: Mapping[OptionT, Mapping[PartyT, str]]

    def chosen(self, option: OptionT, decided_by: DecidedBy) -> OptionChoice[OptionT, PartyT]:
        return self._build(ChoiceStatus.CHOSEN, decided_by, chosen=option)

    def tie(self, tied: frozenset[OptionT]) -> OptionChoice[OptionT, PartyT]:
        return self._build(ChoiceStatus.TIE, DecidedBy.UNRESOLVED_TIE, tied=tied)

    def open(self) -> OptionChoice[OptionT, PartyT]:
        best = max(self.keys.values())
        least = frozenset(option for option, key in self.keys.items() if key == best)
        return self._build(ChoiceStatus.OPEN, DecidedBy.NO_CONSENT, least_blocked=least)

    def _build(
        self,
        status: ChoiceStatus,
        decided_by: DecidedBy,
        *,
        chosen: OptionT | None = None,
        tied: frozenset[OptionT] = frozenset(),
        least_blocked: frozenset[OptionT] = frozenset(),
    ) -> OptionChoice[OptionT, PartyT]:
        return OptionChoice(
            status=status,
            chosen=chosen,
            tied=tied,
            least_blocked=least_blocked,
            blocking=self.blocking,
            rule=OPTION_RULE,
            decided_by=decided_by,
            feasible=self.feasible,
            keys=self.keys,
        )


def _levels(
    ratings: Mapping[OptionT, Mapping[PartyT, Level | int]],
) -> dict[OptionT, dict[PartyT, Level]]:
    if not ratings:
        raise ValueError("a bracket needs at least one alternative (offer 'omit this clause')")
    parties = set(next(iter(ratings.values())))
    if not parties:
        raise ValueError("no party has rated the alternatives")
    for option, by_party in ratings.items():
        if set(by_party) != parties:
            # A missing rating is not a silent REJECT or ACCEPT: every party rates everything.
            raise ValueError(f"alternative {option!r} is not rated by exactly the same parties")
    return {
        option: {party: Level(level) for party, level in by_party.items()}
        for option, by_party in ratings.items()
    }


def _blocking(
    levels: Mapping[OptionT, Mapping[PartyT, Level]],
    reasons: Mapping[OptionT, Mapping[PartyT, str]],
) -> dict[OptionT, dict[PartyT, str]]:
    blocking: dict[OptionT, dict[PartyT, str]] = {}
    for option, by_party in levels.items():
        rejecting = [party for party, level in by_party.items() if level is Level.REJECT]
        if rejecting:
            given = reasons.get(option, {})
            blocking[option] = {party: given.get(party, "") for party in rejecting}
    return blocking


def _ballots(
    levels: Mapping[OptionT, Mapping[PartyT, Level]],
    rankings: Mapping[PartyT, Ranking[OptionT]],
) -> list[dict[OptionT, int]]:
    parties = next(iter(levels.values())).keys()
    unknown = [party for party in rankings if party not in parties]
    if unknown:
        raise ValueError(f"rankings from parties that rated nothing: {unknown!r}")
    ballots = []
    for party in parties:
        own = {option: by_party[party] for option, by_party in levels.items()}
        ranking = rankings.get(party)
        # Without a ranking, a party's ratings are its weak order: ACCEPT above LIVE_WITH above
        # REJECT.
        tiers = _tiers(party, ranking, own) if ranking is not None else _by_level(own)
        ballots.append(tiers)
    return ballots


def _by_level(own: Mapping[OptionT, Level]) -> dict[OptionT, int]:
    return {option: Level.ACCEPT - level for option, level in own.items()}


def _tiers(
    party: Hashable, ranking: Ranking[OptionT], own: Mapping[OptionT, Level]
) -> dict[OptionT, int]:
    tiers: dict[OptionT, int] = {}
    for index, tier in enumerate(ranking):
        for option in tier:
            if option not in own or option in tiers:
                raise ValueError(f"party {party!r} ranks {option!r} twice or it is unknown")
            tiers[option] = index
    bottom = len(ranking)
    full = {option: tiers.get(option, bottom) for option in own}
    _check_agrees(party, full, own)
    return full


def _check_agrees(
    party: Hashable, tiers: Mapping[OptionT, int], own: Mapping[OptionT, Level]
) -> None:
    # A ranking refines the ratings; one that contradicts them would let Schulze overturn
    # what the party said it can and cannot accept.
    for better, better_level in own.items():
        for worse, worse_level in own.items():
            if better_level > worse_level and tiers[better] >= tiers[worse]:
                raise ValueError(
                    f"party {party!r} rates {better!r} above {worse!r} but does not rank it higher"
                )
