"""Generate a seeded, Pol.is-like conversation as a compact .npz file (numpy only).

Run: .venv/bin/python bench/synthetic.py --participants 50000 --statements 5000 \
         --votes 5000000 --out /tmp/synthetic-50k.npz [--seed 1]

The shape follows the research note (polis.md §3.6): three latent opinion groups (50/30/20%),
a lognormal number of votes per participant, skewed statement exposure (a few statements are
shown to most people, most to few), and about 20% passes. Agreement depends on the statement's
overall appeal plus a group-specific lean, so the groups are recoverable but overlap.

The file holds `participant` (int32), `statement` (int32) and `vote` (int8, agree = +1) in
arrival order (participant by participant), and `planted` (int8, each participant's latent
group). Participants are generated in chunks straight into preallocated arrays, so 100M votes
need about 1 GB (plus a few hundred MB of scratch), not one Python object per vote.
"""

from __future__ import annotations

import argparse
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

GROUP_SHARES = (0.5, 0.3, 0.2)
PASS_SHARE = 0.2
VOTES_SIGMA = 1.0  # lognormal spread of votes per participant
EXPOSURE_SIGMA = 1.5  # lognormal spread of statement exposure weights
LEAN_SCALE = 1.5  # how far each group's agreement moves away from the statement's appeal
CHUNK = 20_000  # participants per chunk: bounds the scratch memory (~250 MB at 100 votes each)
WRITE_BYTES = 16 * 2**20  # slice size when writing the .npz
OVERDRAW = 1.4  # draws per wanted vote; repeats are dropped, so draw a little more


@dataclass(frozen=True)
class Conversation:
    """A synthetic conversation: the vote events and the planted groups."""

    participant: npt.NDArray[np.int32]
    statement: npt.NDArray[np.int32]
    vote: npt.NDArray[np.int8]
    planted: npt.NDArray[np.int8]
    n_statements: int


@dataclass(frozen=True)
class _Model:
    """Per-statement and per-participant parameters drawn once from the seed."""

    planted: npt.NDArray[np.int8]
    wanted: npt.NDArray[np.int64]  # votes each participant casts
    exposure_cdf: npt.NDArray[np.float64]
    agree_logit: npt.NDArray[np.float64]  # shape (3, m)
    pass_share: npt.NDArray[np.float64]  # per statement


def _model(rng: np.random.Generator, n: int, m: int, votes: int) -> _Model:
    planted = rng.choice(len(GROUP_SHARES), size=n, p=GROUP_SHARES).astype(np.int8)
    mu = np.log(votes / n) - VOTES_SIGMA**2 / 2  # so the mean is votes / n before clipping
    wanted = np.clip(np.rint(rng.lognormal(mu, VOTES_SIGMA, size=n)), 1, m).astype(np.int64)
    exposure = rng.lognormal(0.0, EXPOSURE_SIGMA, size=m)
    appeal = rng.normal(1.3, 1.0, size=m)  # most statements get more agrees than disagrees
    lean = rng.normal(0.0, LEAN_SCALE, size=(len(GROUP_SHARES), m))
    pass_share = rng.beta(2.0, 2.0 * (1 - PASS_SHARE) / PASS_SHARE, size=m)  # mean PASS_SHARE
    return _Model(
        planted=planted,
        wanted=wanted,
        exposure_cdf=np.cumsum(exposure) / exposure.sum(),
        agree_logit=appeal + lean,
        pass_share=pass_share,
    )


def _chunk_pairs(
    rng: np.random.Generator, model: _Model, first: int, last: int, m: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return distinct (participant, statement) pairs for participants first..last-1.

    Each participant draws statements by exposure with replacement; repeats are dropped and
    the rest cut, at random, to the number of votes the participant wants.
    """
    wanted = model.wanted[first:last]
    draws = np.minimum(np.ceil(wanted * OVERDRAW).astype(np.int64), 4 * m)
    who = np.repeat(np.arange(first, last, dtype=np.int64), draws)
    what = np.searchsorted(model.exposure_cdf, rng.random(len(who)), side="right")
    what = np.minimum(what, m - 1)
    key = np.sort(who * m + what)
    key = key[np.append(True, key[1:] != key[:-1])]  # distinct pairs, sorted by participant
    who, what = key // m, key % m
    shuffle = np.lexsort((rng.random(len(key)), who))  # random order within each participant
    who, what = who[shuffle], what[shuffle]
    starts = np.searchsorted(who, np.arange(first, last))
    rank = np.arange(len(who)) - np.repeat(starts, np.diff(np.append(starts, len(who))))
    keep = rank < model.wanted[who]
    return who[keep], what[keep]


def _votes(
    rng: np.random.Generator, model: _Model, who: npt.NDArray[np.int64], what: npt.NDArray[np.int64]
) -> npt.NDArray[np.int8]:
    logit = model.agree_logit[model.planted[who], what]
    agree = rng.random(len(who)) < 1.0 / (1.0 + np.exp(-logit))
    passed = rng.random(len(who)) < model.pass_share[what]
    return np.where(passed, 0, np.where(agree, 1, -1)).astype(np.int8)


def generate(n: int, m: int, votes: int, seed: int = 1) -> Conversation:
    """Generate about *votes* votes by *n* participants on *m* statements, reproducibly."""
    rng = np.random.default_rng(seed)
    model = _model(rng, n, m, votes)
    capacity = int(model.wanted.sum())  # an upper bound: nobody votes more than they want
    participant = np.empty(capacity, dtype=np.int32)
    statement = np.empty(capacity, dtype=np.int32)
    vote = np.empty(capacity, dtype=np.int8)
    filled = 0
    for first in range(0, n, CHUNK):
        who, what = _chunk_pairs(rng, model, first, min(n, first + CHUNK), m)
        stop = filled + len(who)
        participant[filled:stop], statement[filled:stop] = who, what
        vote[filled:stop] = _votes(rng, model, who, what)
        filled = stop
    return Conversation(
        participant[:filled], statement[:filled], vote[:filled], model.planted, n_statements=m
    )


def save(conversation: Conversation, path: Path) -> None:
    """Write the conversation as an uncompressed .npz that np.load reads.

    np.savez turns each contiguous array into one bytes copy before writing it, which doubles
    the memory at 100M votes; this streams each array into the zip in 16 MB slices instead.
    """
    arrays: dict[str, npt.NDArray[np.generic]] = {
        "participant": conversation.participant,
        "statement": conversation.statement,
        "vote": conversation.vote,
        "planted": conversation.planted,
        "n_statements": np.asarray(conversation.n_statements, dtype=np.int64),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as entry:
                header = np.lib.format.header_data_from_array_1_0(array)
                np.lib.format.write_array_header_2_0(entry, header)
                flat = array.reshape(-1)
                step = max(1, WRITE_BYTES // max(array.itemsize, 1))
                for start in range(0, len(flat), step):
                    entry.write(flat[start : start + step].tobytes())


def load(path: Path) -> Conversation:
    """Read a file written by `save`."""
    with np.load(path) as data:
        return Conversation(
            participant=data["participant"],
            statement=data["statement"],
            vote=data["vote"],
            planted=data["planted"],
            n_statements=int(data["n_statements"]),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, required=True)
    parser.add_argument("--statements", type=int, required=True)
    parser.add_argument("--votes", type=int, required=True, help="about this many votes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="the .npz file to write")
    args = parser.parse_args()
    started = time.perf_counter()
    conversation = generate(args.participants, args.statements, args.votes, args.seed)
    save(conversation, args.out)
    # Counted value by value: np.bincount would widen 100M int8 votes to 800 MB of int64.
    counts = [np.count_nonzero(conversation.vote == value) for value in (-1, 0, 1)]
    shares = np.array(counts) / max(len(conversation.vote), 1)
    print(
        f"{args.out}: {args.participants} participants x {args.statements} statements, "
        f"{len(conversation.vote)} votes (disagree/pass/agree {shares.round(3).tolist()}), "
        f"{time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
