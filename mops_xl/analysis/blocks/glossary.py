"""The one-line gloss of each statistical term the report uses, defined once.

A sheet prints the gloss of a term where the term first appears in the board pack (Holm and SRM on Experiments;
Markov's removal effect and Shapley on Attribution), so a reader who has not met the term reads what it means
in plain words, on the same page.
"""

from __future__ import annotations

__all__ = ["GLOSSARY", "gloss"]

#: Term → its gloss: one sentence in plain words, starting with the term as the report prints it.
GLOSSARY = {
    "Holm": (
        "Holm: when an experiment tests several variants, each p value is raised (P adjusted) so that the chance "
        "of any false winner across them stays within the significance level."
    ),
    "SRM": (
        "SRM (sample ratio mismatch): the variants got a different share of visitors than planned; a low SRM p "
        "value means the split itself is broken, so the result is not trusted."
    ),
    "removal effect": (
        "Removal effect (Markov): the share of conversions the journeys would lose if a channel were taken out of "
        "them; the Markov model credits each channel in proportion to it."
    ),
    "Shapley": (
        "Shapley: each channel's average extra conversions when it joins every combination of the other "
        "channels, a fair share of what they convert together."
    ),
}


def gloss(term: str) -> str:
    """The gloss of a term of :data:`GLOSSARY`.

    Args:
        term: The term, as a key of :data:`GLOSSARY`.

    Returns:
        The one-line gloss.

    Raises:
        KeyError: The term has no gloss.
    """
    return GLOSSARY[term]
