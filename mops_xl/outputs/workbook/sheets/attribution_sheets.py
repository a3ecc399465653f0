"""Reallocation and Attribution: where the next dollar should go, and which channels really drive customers."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from mops_xl.analysis.blocks.glossary import gloss
from mops_xl.analysis.blocks.wording import days, percent, threshold
from mops_xl.analysis.decisions.reallocation import PLAN_COLUMNS
from mops_xl.analysis.decisions.recommendations import AS_BUILT
from mops_xl.analysis.decisions.what_if_figures import DIMINISHING_RETURNS, WHAT_IF_COLUMNS
from mops_xl.analysis.figures.attribution import (
    CANNOT_RUN,
    COVERAGE_HIGH,
    COVERAGE_LOW,
    MODELS,
    SETTING_NAMES,
    AttributionCoverage,
)
from mops_xl.outputs.framework.text import MODEL_USE_CASES
from mops_xl.outputs.workbook.formulas.excel_formulas import UNDEFINED, cached
from mops_xl.outputs.workbook.formulas.what_if_formulas import WHAT_IF_HEADER, what_if_column, what_if_formula
from mops_xl.outputs.workbook.layout.sheet_writer import SheetWriter

REALLOCATION, ATTRIBUTION = "Reallocation", "Attribution"


def fix_for_coverage(coverage: AttributionCoverage) -> str:
    """What to fix when the journeys do not represent Actuals, by which way their coverage is off.

    Args:
        coverage: The journeys' coverage of Actuals (its warning fires).

    Returns:
        One sentence, without the leading "What to fix".
    """
    conversions = coverage.conversions_coverage
    if math.isnan(conversions):
        return "track customers on the Actuals sheet, so the journeys can be checked against them."
    if conversions > COVERAGE_HIGH:
        return (
            "the journeys count more conversions than Actuals has customers: count a journey's conversion only "
            "when it is a new customer (not a lead or a sign-up), once per customer, within the window."
        )
    if conversions < COVERAGE_LOW:
        return (
            "the journeys hold a small part of Actuals' customers: export every converting journey of the window, "
            "from every channel, not a sample or one channel's."
        )
    return "the journeys' conversion value is off Actuals' revenue: give each journey the revenue of its customer."


#: The number format of each what-if column (the proposed budget is an input: yellow).
_WHAT_IF_FORMATS = {
    "Budget for period": "money",
    "Proposed budget": "input_money",
    "Change": "money",
    "CAC used": "money",
    "ROAS used": "ratio",
    "Expected extra customers": "number",
    "Expected extra revenue": "money",
}


class AttributionSheets(SheetWriter):
    """Writes the Reallocation and Attribution sheets.

    Args:
        wb: The workbook.
        fmt: The report's formats.
        analysis: The engine's results.
    """

    def reallocation(self) -> None:
        """A what-if over the proposed budgets (editable; the expected effect follows by formula), then the plan's
        moves: every amount taken from a channel's remaining budget and where it goes (values, as built)."""
        a = self.a
        moves = (
            "The plan for the rest of the period takes money from a channel's remaining budget only to give it to a "
            "channel at or above target that can spend more, to cover the overspend to date, or to return it "
            f"unspent; each move is priced on {a.plan_basis}."
        )
        effect = (
            f"Extra budget is assumed to work at {threshold(DIMINISHING_RETURNS)} of the channel's efficiency, budget "
            "taken away at 100%."
        )
        ws = self.titled_sheet(
            REALLOCATION,
            f"{moves} The what-if starts from each channel's change in the plan (planned rest of period − remaining "
            "budget): Proposed budget cells are inputs: change them and the expected effect follows. " + effect,
            f"{moves} The what-if gives each channel's change in the plan (planned rest of period − remaining "
            "budget) and its expected effect. " + effect,
        )
        ws.write_row(3, 0, list(WHAT_IF_HEADER), self.fmt["header"])
        for i, (channel, w) in enumerate(a.what_if.iterrows(), start=4):
            ws.write_string(i, 0, str(channel))
            for column in WHAT_IF_COLUMNS:
                self._what_if_cell(ws, i, column, w[column])
        r = 6 + len(a.channels)
        ws.write_string(r, 0, f"The plan's moves this period ({AS_BUILT})", self.fmt["title"])
        self._plan(ws, r)
        if a.reallocation.empty:
            ws.write_string(
                r + 1, 0, "No budget moves: every channel keeps its remaining budget in the plan.", self.fmt["note"]
            )
        ws.set_column(0, 1, 22)
        ws.set_column(2, 3, 16)
        ws.set_column(4, 7, 16)

    def _what_if_cell(self, ws: Any, i: int, column: str, value: Any) -> None:
        """One cell of a channel's what-if row ``i``: the figure's formula caching the engine's value, or the value."""
        k, fmt = what_if_column(column), self.fmt[_WHAT_IF_FORMATS[column]]
        formula = what_if_formula(column, i)
        if formula is not None:
            ws.write_formula(i, k, formula, fmt, cached(value))
        elif pd.isna(value):
            ws.write_string(i, k, UNDEFINED)
        else:
            ws.write_number(i, k, float(value), fmt)

    def _plan(self, ws: Any, r: int) -> None:
        """The plan's moves under the title at row ``r``; the Reason spans three of the what-if's figure columns,
        so it wraps in a width fit for a sentence."""
        a = self.a
        at = {h: k + (2 if k > PLAN_COLUMNS.index("Reason") else 0) for k, h in enumerate(PLAN_COLUMNS)}
        reason = at["Reason"]
        if not a.reallocation.empty:  # else one line says so, below
            for header, k in at.items():
                if header == "Reason":
                    ws.merge_range(r + 1, k, r + 1, k + 2, header, self.fmt["header"])
                else:
                    ws.write_string(r + 1, k, header, self.fmt["header"])
        for j, (_, move) in enumerate(a.reallocation.iterrows(), start=r + 2):
            ws.merge_range(j, reason, j, reason + 2, str(move["Reason"]), self.fmt["wrap"])
            for header, k in at.items():
                value = move[header]
                if header == "Reason":
                    continue
                if isinstance(value, str):
                    ws.write_string(j, k, value)
                elif pd.isna(value):
                    ws.write_string(j, k, UNDEFINED)
                else:
                    ws.write_number(j, k, float(value), self.fmt["number" if "customers" in header else "money"])

    def attribution(self) -> None:
        """The journeys' coverage of Actuals, the credit per channel under every model (the chosen one marked),
        Actuals' customers split by each model, and attributed CAC and ROAS under the chosen model."""
        a = self.a
        ws = self.titled_sheet(
            ATTRIBUTION,
            "Conversions credited to each channel by each model (values computed by the engine from the "
            "journeys); attributed CAC and ROAS apply the model's shares to Actuals' customers and revenue in "
            "the window, so they compare with the blended figures.",
        )
        if a.attribution is None:
            note = self.empty_note("No journey data", "fill in the Touchpoints or Paths sheet to compare models")
            ws.write_string(3, 0, note, self.fmt["note"])
            return
        r = self._coverage_section(ws)
        short = r - 2  # the short section's last row, when it is what prints
        r = self._credit_tables(ws, r)
        r = self._outside_channels(ws, r)
        r = self._models(ws, r + 1)
        moving = ", ".join(f"{ch} ({percent(spread)})" for ch, spread in a.affected.items()) or "none"
        ws.write_string(
            r, 0, f"Channels whose share moves 5 points or more between the models: {moving}", self.fmt["note"]
        )
        for note in a.attribution.notes:
            r += 1
            ws.write_string(r, 0, note, self.fmt["note"])
        ws.set_column(0, 0, 24)
        ws.set_column(1, len(MODELS), 14)
        if not a.attribution_coverage.reliable:  # the model tables stay in the workbook, off the printed page
            ws.print_area(0, 0, short, ws.dim_colmax)

    def _coverage_section(self, ws: Any) -> int:
        """The journeys' coverage of Actuals from row 3; when the journeys do not represent Actuals, the short
        section the pack prints (what to fix), else the glosses of the models' terms (their first place in the
        pack).

        Returns:
            The row of the first model table's title.
        """
        if self.a.attribution_coverage.reliable:
            r = self._coverage(ws, 3)
            for term in ("removal effect", "Shapley"):
                ws.write_string(r - 1, 0, gloss(term), self.fmt["note"])
                r += 1
            return r
        why = "How much of Actuals the journeys cover, and why the attribution models do not apply here."
        ws.write_string(1, 0, why, self.fmt["note"])
        return self._short_section(ws, self._coverage(ws, 3) - 1)

    def _credit_tables(self, ws: Any, r: int) -> int:
        """The credit per channel under every model from the title at row ``r``, then attributed CAC and ROAS
        under the chosen model.

        Returns:
            The row after the last table.
        """
        a, chosen = self.a, self.a.attribution_model
        assert a.attribution is not None
        ws.write_string(r, 0, "Conversions credited by the journeys", self.fmt["title"])
        r = self._model_table(ws, r + 1, a.attribution.conversions, "number", chosen)
        ws.write_string(r + 1, 0, "Conversion value credited by the journeys", self.fmt["title"])
        r = self._model_table(ws, r + 2, a.attribution.value, "money", chosen)
        ws.write_string(r + 1, 0, "Actuals' customers in the window, split by each model's shares", self.fmt["title"])
        r = self._model_table(ws, r + 2, a.attribution.actual_conversions, "number", chosen)
        ws.write_string(r + 1, 0, f"Under the {self._chosen_label()} model ({chosen}), on Actuals", self.fmt["title"])
        columns = (
            ("Attributed conversions", "number"),
            ("Attributed value", "money"),
            ("Attributed CAC", "money"),
            ("Attributed ROAS", "ratio"),
        )
        ws.write_row(r + 2, 0, ["Channel", *(c for c, _ in columns)], self.fmt["header"])
        for i, (channel, e) in enumerate(a.attributed.iterrows(), start=r + 3):
            ws.write_string(i, 0, str(channel))
            for j, (col, kind) in enumerate(columns, start=1):
                if pd.isna(e[col]):
                    ws.write_string(i, j, UNDEFINED)
                else:
                    ws.write_number(i, j, float(e[col]), self.fmt[kind])
        return r + len(a.attributed) + 3

    def _outside_channels(self, ws: Any, r: int) -> int:
        """One line for the journeys' channels that are not in Channels (no spend), when there are any.

        Returns:
            The row before the next section's title.
        """
        a = self.a
        assert a.attribution is not None
        outside = [ch for ch in a.attribution.actual_conversions.index if ch not in a.attributed.index]
        if not outside:
            return r
        credit = a.attribution.actual_conversions[a.attribution_model]
        listed = ", ".join(f"{ch} ({credit[ch]:,.1f})" for ch in outside)
        ws.write_string(
            r + 1,
            0,
            f"Not in Channels, so no spend and no attributed CAC or ROAS: {listed} attributed customers.",
            self.fmt["note"],
        )
        return r + 2  # an empty row between the note and the next section's title

    def _models(self, ws: Any, top: int) -> int:
        """The models under their title at row ``top``: each one's use case and the channels it moves (or why it
        cannot run), the chosen one in bold.

        Returns:
            The row after the table and an empty one.
        """
        a, chosen = self.a, self.a.attribution_model
        assert a.attribution is not None
        ws.write_string(top, 0, "Models", self.fmt["title"])
        ws.write_row(top + 1, 0, ["Model", "Use case", "Channels affected"], self.fmt["header"])
        for i, (setting, model) in enumerate(SETTING_NAMES.items(), start=top + 2):
            label = model + (f" ({self._chosen_label()})" if model == chosen else "")
            ws.write_string(i, 0, label, self.fmt["bold"] if model == chosen else None)
            ws.write_string(i, 1, MODEL_USE_CASES[setting])
            if not a.attribution.runnable(model):
                affected = f"{CANNOT_RUN}: {a.attribution.cannot_run[model]}"
            else:
                affected = ", ".join(a.affected_by_model.get(model, [])) or "moves no channel by 1 point or more"
            ws.write_string(i, 2, affected)
        return top + 2 + len(SETTING_NAMES)

    def _chosen_label(self) -> str:
        """How the model the Business sheet sets is marked: "chosen", or "set, unreliable here" when the journeys'
        coverage warning says its figures are not to be used."""
        return "chosen" if self.a.attribution_coverage.reliable else "set, unreliable here"

    def _short_section(self, ws: Any, top: int) -> int:
        """What prints of the sheet when the journeys do not represent Actuals: the coverage (above), why (its
        warning), what to fix, and where the model tables are (the sheet's print area ends with it).

        Args:
            ws: The worksheet.
            top: The row after the coverage warning.

        Returns:
            The next free row (after a blank one).
        """
        ws.write_string(top, 0, "What to fix: " + fix_for_coverage(self.a.attribution_coverage), self.fmt["note"])
        ws.write_string(
            top + 1,
            0,
            "The attribution model tables are in the report workbook, below this section: they do not "
            "print while the journeys do not represent Actuals.",
            self.fmt["note"],
        )
        return top + 3

    def _coverage(self, ws: Any, top: int) -> int:
        """The journeys against Actuals in the window (conversions and value), the coverage, and its warning.

        Returns:
            The next free row (after a blank one).
        """
        cov, w = self.a.attribution_coverage, self.a.window
        ws.write_string(top, 0, "Journeys' coverage of Actuals", self.fmt["title"])
        ws.write_row(top + 1, 0, ["", "Conversions", "Value"], self.fmt["header"])
        rows = (
            (f"Journeys: {cov.journeys_text}", cov.journey_conversions, cov.journey_value, ("number", "money")),
            (
                f"Actuals, {days(w.start, w.as_of)} (customers, revenue)",
                cov.customers,
                cov.revenue,
                ("number", "money"),
            ),
            ("Coverage (journeys ÷ Actuals)", cov.conversions_coverage, cov.value_coverage, ("percent", "percent")),
        )
        for i, (label, conv, value, kinds) in enumerate(rows, start=top + 2):
            ws.write_string(i, 0, label)
            for j, (v, kind) in enumerate(zip((conv, value), kinds, strict=True), start=1):
                if pd.isna(v):
                    ws.write_string(i, j, UNDEFINED)
                else:
                    ws.write_number(i, j, float(v), self.fmt[kind])
        warning = cov.warning()
        ws.write_string(
            top + 5,
            0,
            warning
            or f"Coverage is within {threshold(COVERAGE_LOW)} to {threshold(COVERAGE_HIGH)}: the journeys represent "
            "Actuals.",
            self.fmt["bad" if warning else "note"],
        )
        return top + 7

    def _model_table(self, ws: Any, top: int, table: pd.DataFrame, kind: str, chosen: str) -> int:
        ws.write_row(top, 0, ["Channel", *MODELS], self.fmt["header"])
        for i, (channel, row) in enumerate(table.iterrows(), start=top + 1):
            ws.write_string(i, 0, str(channel))
            for j, model in enumerate(MODELS, start=1):
                if not self.a.attribution.runnable(model):
                    ws.write_string(i, j, CANNOT_RUN)
                elif pd.isna(row[model]):
                    ws.write_string(i, j, UNDEFINED)
                else:
                    ws.write_number(i, j, float(row[model]), self.fmt[kind])
        col = 1 + MODELS.index(chosen)
        ws.conditional_format(top + 1, col, top + len(table), col, {"type": "no_blanks", "format": self.fmt["good"]})
        return top + len(table) + 1
