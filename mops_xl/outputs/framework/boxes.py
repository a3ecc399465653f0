"""Box-drawing text layout that stays aligned with wide characters: boxes and tables for the framework.

Widths are display widths (``wcwidth``), measured by grapheme cluster: a CJK character or an emoji takes two
columns (an emoji sequence with a variation selector, a zero-width joiner, a skin tone or a flag's two letters
too), a combining accent, a variation selector and a direction mark none. Text too long for its column continues
on the next line of the box or the table row, broken at word boundaries (``wcwidth.wrap``; a word wider than the
column, such as a run of CJK text, is broken where it must); text cut to a width is cut between grapheme clusters,
never inside one.

Text with right-to-left letters (Hebrew, Arabic) is put between FIRST STRONG ISOLATE and POP DIRECTIONAL
ISOLATE (both zero-width): a terminal that lays out bidirectional text keeps it, and its padding, inside its cell,
and the box borders stay where they are.
"""

from __future__ import annotations

import unicodedata

import wcwidth as wc
from wcwidth import wcswidth, wcwidth

#: FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: text between them takes the direction of its first strong
#: letter without reordering what is around it (Unicode's bidirectional algorithm, UAX #9).
FSI, PDI = "\u2068", "\u2069"
#: The bidirectional classes of right-to-left letters.
RIGHT_TO_LEFT = frozenset({"R", "AL"})


def display_width(text: str) -> int:
    """The number of terminal columns ``text`` takes.

    Args:
        text: One line of text.

    Returns:
        Its display width (control characters count as one column).
    """
    w = wcswidth(text)
    if w >= 0:
        return w
    return sum(max(wcwidth(ch), 1) if ch.isprintable() else 1 for ch in text)


def isolated(text: str) -> str:
    """Text as a cell of a box shows it: between FSI and PDI when it holds a right-to-left letter (so that a
    terminal's bidirectional layout cannot move the box's border or the padding), else as it is.

    Args:
        text: One line of a cell, without its padding.

    Returns:
        The text, of the same display width.
    """
    if any(unicodedata.bidirectional(ch) in RIGHT_TO_LEFT for ch in text):
        return FSI + text + PDI
    return text


def _padded(text: str, width: int) -> str:
    """One line of a cell: the text (isolated when right-to-left) and the spaces that make it ``width`` wide."""
    return isolated(text) + " " * (width - display_width(text))


def fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` columns (ending in "…" when cut, between grapheme clusters: an emoji with its
    variation selector or joiner stays whole) and pad it with spaces to exactly ``width``.

    Args:
        text: The text (newlines and tabs become spaces).
        width: The display width wanted.

    Returns:
        A string of display width ``width``.
    """
    text = _clean(text)
    if display_width(text) > width:
        # clip measures grapheme clusters; a wide one that does not fit becomes a space, dropped before the "…"
        text = wc.clip(text, 0, max(width - 1, 0)).rstrip(" ") + "…"
    return _padded(text, width)


def _clean(text: object) -> str:
    """One line of printable text: newlines and tabs become spaces, control characters "?" (format characters such
    as a zero-width joiner or a right-to-left mark are kept: they belong to the name)."""
    text = " ".join(str(text).split())
    return "".join(ch if ch.isprintable() or unicodedata.category(ch) == "Cf" else "?" for ch in text)


def wrap(text: object, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` display columns, at word boundaries, each padded to
    exactly ``width``.

    Args:
        text: The text (newlines and tabs become spaces).
        width: The display width of the column.

    Returns:
        One or more lines, each of display width ``width``.
    """
    text = _clean(text)
    lines = wc.wrap(text, width) if display_width(text) > width else [text]
    return [_padded(line, width) for line in lines or [""]]


def box(title: str, lines: list[str], width: int = 96) -> str:
    """A titled box of total display width ``width``.

    Args:
        title: Shown in the top border.
        lines: The content lines (each padded to the box, or wrapped onto more lines when too long).
        width: Total width including the borders.

    Returns:
        The box, lines joined with newlines.
    """
    inner = width - 4
    name = fit(title, min(display_width(" ".join(str(title).split())), width - 6)).rstrip()
    head = f" {name} "
    top = "┌─" + head + "─" * (width - 3 - display_width(head)) + "┐"
    body = [f"│ {piece} │" for line in (lines or [""]) for piece in wrap(line, inner)]
    return "\n".join([top, *body, "└" + "─" * (width - 2) + "┘"])


def side_by_side(blocks: list[str], gap: int = 2) -> str:
    """Lay blocks of text (e.g. boxes) next to each other, top-aligned.

    Args:
        blocks: Multi-line texts; each is padded to its widest line.
        gap: Spaces between blocks.

    Returns:
        The joined lines.
    """
    if not blocks:
        return ""
    split = [b.split("\n") for b in blocks]
    widths = [max(display_width(line) for line in lines) for lines in split]
    height = max(len(lines) for lines in split)
    rows = []
    for i in range(height):
        cells = []
        for lines, w in zip(split, widths, strict=False):
            line = lines[i] if i < len(lines) else ""
            cells.append(line + " " * (w - display_width(line)))
        rows.append((" " * gap).join(cells))  # padded, so every line has the same width
    return "\n".join(rows)


def table(headers: list[str], rows: list[list[str]], width: int = 96, weights: list[int] | None = None) -> str:
    """A table with box-drawing borders whose columns share ``width``.

    Args:
        headers: Column headers.
        rows: Cell texts.
        width: Total display width.
        weights: Relative column widths (default: from the content).

    Returns:
        The table, lines joined with newlines.
    """
    n = len(headers)
    if weights is None:
        weights = [max([display_width(h)] + [display_width(str(r[i])) for r in rows]) for i, h in enumerate(headers)]
    weights = [max(w, 1) for w in weights]
    room = width - (3 * n + 1)
    widths = [max(3, room * w // sum(weights)) for w in weights]
    widths[-1] += room - sum(widths)
    if widths[-1] < 3:  # very narrow: take from the widest column
        widest = widths.index(max(widths))
        widths[widest] -= 3 - widths[-1]
        widths[-1] = 3
    _fit_longest_words(widths, [headers, *rows])

    def line(cells: list[str]) -> str:
        """One table row: every cell wrapped in its column, the row as tall as its tallest cell."""
        pieces = [wrap(c, w) for c, w in zip(cells, widths, strict=False)]
        height = max(len(p) for p in pieces)
        rows = []
        for i in range(height):
            row = [p[i] if i < len(p) else " " * w for p, w in zip(pieces, widths, strict=False)]
            rows.append("│ " + " │ ".join(row) + " │")
        return "\n".join(rows)

    def rule(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * (w + 2) for w in widths) + right

    out = [rule("┌", "┬", "┐"), line(headers), rule("├", "┼", "┤")]
    out += [line(r) for r in rows] if rows else [line(["(none)"] + [""] * (n - 1))]
    out.append(rule("└", "┴", "┘"))
    return "\n".join(out)


def _fit_longest_words(widths: list[int], rows: list[list[str]], cap: int = 16) -> None:
    """Widen each column to its longest word (up to ``cap`` columns), taking the room from the columns with the
    most to spare, so that wrapping breaks between words rather than inside them."""
    need = [
        min(max([1] + [display_width(w) for r in rows if i < len(r) for w in _clean(r[i]).split()]), cap)
        for i in range(len(widths))
    ]
    for i, want in enumerate(need):
        while widths[i] < want:
            spare = [widths[j] - max(need[j], 3) for j in range(len(widths))]
            donor = max(range(len(widths)), key=lambda j: spare[j])
            if spare[donor] <= 0:
                return
            widths[donor] -= 1
            widths[i] += 1


def md_cell(text: object) -> str:
    """Text safe inside a Markdown table cell.

    Args:
        text: The cell value.

    Returns:
        One line, pipes escaped.
    """
    return " ".join(str(text).split()).replace("|", "\\|")


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table.

    Args:
        headers: Column headers.
        rows: Cell texts.

    Returns:
        The table.
    """
    out = ["| " + " | ".join(md_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(md_cell(c) for c in r) + " |" for r in rows] or ["| (none) |" + " |" * (len(headers) - 1)]
    return "\n".join(out)
