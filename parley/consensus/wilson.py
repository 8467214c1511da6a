"""Wilson score bounds of a binomial proportion (bridging.md §5a(i), "Lower confidence bound").

The bound has a closed form, so it needs no dependency and is deterministic. The default
z = 1.2816 is a one-sided 90% bound, the significance level Pol.is uses.
"""

from __future__ import annotations

import math
from typing import Final

Z_90: Final = 1.2816


def wilson_lower(successes: int, trials: int, z: float = Z_90) -> float:
    """Return the Wilson lower bound of successes/trials; 0 when there are no trials."""
    _check(successes, trials, z)
    if successes == 0:
        # Exactly 0 (the formula cancels to 0 only up to rounding): no free credit (property 4).
        return 0.0
    centre, half_width = _centre_and_half_width(successes, trials, z)
    return max(0.0, centre - half_width)


def wilson_upper(successes: int, trials: int, z: float = Z_90) -> float:
    """Return the Wilson upper bound of successes/trials; 1 when there are no trials."""
    _check(successes, trials, z)
    if successes == trials:
        # Covers trials == 0 too: with no evidence every share up to 1 stays plausible.
        return 1.0
    centre, half_width = _centre_and_half_width(successes, trials, z)
    return min(1.0, centre + half_width)


def _centre_and_half_width(successes: int, trials: int, z: float) -> tuple[float, float]:
    share = successes / trials
    z2_n = z * z / trials
    denominator = 1.0 + z2_n
    centre = (share + z2_n / 2.0) / denominator
    half_width = z * math.sqrt(share * (1.0 - share) / trials + z2_n / (4.0 * trials)) / denominator
    return centre, half_width


def _check(successes: int, trials: int, z: float) -> None:
    if not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials, got {successes} of {trials}")
    if not z > 0.0:
        raise ValueError(f"z must be positive, got {z}")
