"""Names and versions of the consensus rules, stored with every status they decide.

Every result records the rule that produced it ("decided by rule X vN", bridging.md §5a(iii),
implementation notes, after Community Notes' `decidedBy`). Bump a version whenever a change
could alter any stored status, so old and new results are never compared as if alike.
"""

from __future__ import annotations

from typing import Final

STATEMENT_RULE: Final = "bridging-wilson-min/v1"
"""§5a(i): min over groups of the Wilson lower bound of the agree share, with status rules."""

CLAUSE_UNANIMITY_RULE: Final = "clause-consent-leximin/v1"
"""§5a(ii): one reasoned REJECT blocks; clauses ordered by (-rejects, accepts)."""

CLAUSE_PARALLEL_CONSENT_RULE: Final = "clause-parallel-consent/v1"
"""§5a(ii) sufficient consensus: support >= 50% overall and >= 50% in every bloc."""

CLAUSE_WEIGHTED_MAJORITY_RULE: Final = "clause-weighted-majority/v1"
"""§5a(ii) sufficient consensus: support >= 60% overall and >= 40% in every bloc."""

DOCUMENT_RULE: Final = "document-weakest-clause/v1"
"""§5a(ii) document level: the weakest clause binds; a blocking party cannot sign."""

OPTION_RULE: Final = "options-consent-leximin-schulze/v1"
"""§5a(iii): consent filter, then most ACCEPTs, then Schulze, then a tie for the mediator."""
