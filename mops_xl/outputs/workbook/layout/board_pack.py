"""What the PDF board pack prints: the sections with something in them, and one line naming those left out.

A section with nothing in it (no journeys, no experiments, no martech tools) keeps its sheet in the workbook, the
living model, but is hidden in the copy the PDF is printed from (LibreOffice prints only visible sheets), and the
Data Notes sheet says in one line what is not in the pack. The board pack prints no instruction to fill in the
intake: an empty part of a printed sheet is one line saying what is not there.
"""

from __future__ import annotations

from typing import Any

from mops_xl.outputs.workbook.layout.values_only import ValuesWorkbook

__all__ = ["BoardPackWorkbook", "left_out_of_pack", "not_in_pack_line"]


class BoardPackWorkbook(ValuesWorkbook):
    """The values-only copy the PDF board pack is printed from (the sheet writers read :attr:`board_pack`)."""

    #: The sheet writers leave instructions out and the writer hides the empty sections.
    board_pack = True


def left_out_of_pack(analysis: Any) -> dict[str, str]:
    """The sheets with nothing to show, left out of the board pack, and what each lacks.

    Args:
        analysis: The engine's results.

    Returns:
        Sheet name → what is not there ("no journeys"), in the report's order.
    """
    out = {}
    if analysis.attribution is None:
        out["Attribution"] = "no journeys"
    if analysis.experiments.empty:
        out["Experiments"] = "no experiments"
    if not any(analysis.stack.by_stage.values()) and analysis.integrations.rows.empty:
        out["Martech Stack"] = "no martech tools"
    return out


def not_in_pack_line(left_out: dict[str, str]) -> str:
    """The Data Notes line naming what the board pack leaves out.

    Args:
        left_out: As :func:`left_out_of_pack` returns.

    Returns:
        e.g. "Not in this pack: no journeys, no experiments"; "" when nothing is left out.
    """
    return "Not in this pack: " + ", ".join(left_out.values()) if left_out else ""
