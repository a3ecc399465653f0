"""A count with its noun in the right number, for every message of every layer ("1 error", "3 warnings")."""

from __future__ import annotations


def count(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun in the right number.

    Args:
        n: The count.
        singular: The noun for one ("campaign").
        plural: The noun for other counts (default: ``singular`` + "s").

    Returns:
        e.g. "1 campaign", "3 campaigns", "0 touches".
    """
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def and_list(names: list[str]) -> str:
    """Names as a sentence lists them.

    Args:
        names: One name or more, in the order said.

    Returns:
        e.g. "Meta Ads", "Meta Ads and TikTok Ads", "Bing Ads, Meta Ads and TikTok Ads".
    """
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
