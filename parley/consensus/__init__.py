"""Pure consensus scoring: bridging scores of statements, acceptability of clauses, choice of options.

No Django, no numpy: closed-form counts, so every rule can be checked by hand and by Hypothesis.
"""  # noqa: E501 (the package summary reads best on one line)
