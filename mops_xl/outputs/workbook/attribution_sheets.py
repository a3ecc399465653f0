"""Reallocation and Attribution: where the next dollar should go, and which channels really drive customers."""

from __future__ import annotations

from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from mops_xl.metrics.attribution import MODELS, SETTING_NAMES
from mops_xl.metrics.reallocation import DIMINISHING_RETURNS, PLAN_COLUMNS, WHAT_IF_COLUMNS
from mops_xl.outputs.framework.text import MODEL_USE_CASES
from mops_xl.outputs.workbook.formats import SheetWriter
from mops_xl.outputs.workbook.formulas import UNDEFINED, cached

REALLOCATION, ATTRIBUTION = "Reallocation", "Attribution"
WHAT_IF = ("Channel", *WHAT_IF_COLUMNS)


class AttributionSheets(SheetWriter):
    """Writes the Reallocation and Attribution sheets.

    Args:
        wb: The workbook.
        fmt: The report's formats.
        analysis: The engine's results.
    """

    def reallocation(self) -> None:
        """A what-if over the proposed budgets (editable; the expected effect follows by formula), then the plan."""
        a = self.a
        ws = self.titled_sheet(
            REALLOCATION,
            f"Proposed budget cells are inputs: change them and the expected effect "
            f"follows. Extra budget is assumed to work at {DIMINISHING_RETURNS:.0%} of "
            "the channel's attributed efficiency, budget taken away at 100 %.",
            f"The proposed budgets and their expected effect. Extra budget is assumed to work at "
            f"{DIMINISHING_RETURNS:.0%} of the channel's attributed efficiency, budget taken away at 100 %.",
        )
        if a.attribution is None:
            ws.write_string(
                3,
                0,
                "No journey data: fill in the Touchpoints or Paths sheet to attribute conversions "
                "and get a reallocation plan.",
                self.fmt["note"],
            )
            return
        ws.write_row(3, 0, list(WHAT_IF), self.fmt["header"])
        plan = a.reallocation
        for i, (channel, w) in enumerate(a.what_if.iterrows(), start=4):
            B, C, D, E, F = (xl_rowcol_to_cell(i, k) for k in range(1, 6))
            ws.write_string(i, 0, str(channel))
            ws.write_number(i, 1, float(w["Budget for period"]), self.fmt["money"])
            ws.write_number(i, 2, float(w["Proposed budget"]), self.fmt["input_money"])  # an input: yellow
            ws.write_formula(i, 3, f"={C}-{B}", self.fmt["money"], cached(w["Change"]))
            for col, value in ((4, w["Attributed CAC"]), (5, w["Attributed ROAS"])):
                if pd.isna(value):
                    ws.write_string(i, col, UNDEFINED)
                else:
                    ws.write_number(i, col, float(value), self.fmt["money" if col == 4 else "ratio"])
            ws.write_formula(
                i,
                6,
                f'=IF(ISNUMBER({E}),IF({D}>0,{DIMINISHING_RETURNS},1)*{D}/{E},"{UNDEFINED}")',
                self.fmt["number"],
                cached(w["Expected extra customers"]),
            )
            ws.write_formula(
                i,
                7,
                f'=IF(ISNUMBER({F}),IF({D}>0,{DIMINISHING_RETURNS},1)*{D}*{F},"{UNDEFINED}")',
                self.fmt["money"],
                cached(w["Expected extra revenue"]),
            )
        r = 6 + len(a.channels)
        ws.write_string(
            r, 0, f"Plan (the {a.attribution_model} model; values computed by the engine)", self.fmt["title"]
        )
        ws.write_row(r + 1, 0, list(PLAN_COLUMNS), self.fmt["header"])
        for j, (_, move) in enumerate(plan.iterrows(), start=r + 2):
            for k, col in enumerate(PLAN_COLUMNS):
                value = move[col]
                if isinstance(value, str):
                    ws.write_string(j, k, value)
                else:
                    ws.write_number(j, k, float(value), self.fmt["number" if "customers" in col else "money"])
        ws.set_column(0, 1, 22)
        ws.set_column(2, 3, 16)
        ws.set_column(4, 7, 16)

    def attribution(self) -> None:
        """Credited conversions and value per channel under every model, the chosen one marked."""
        a = self.a
        ws = self.titled_sheet(
            ATTRIBUTION,
            "Conversions credited to each channel by each model (values computed by the "
            "engine from the journeys); every column sums to the total.",
        )
        if a.attribution is None:
            ws.write_string(
                3,
                0,
                "No journey data: fill in the Touchpoints or Paths sheet to compare attribution models.",
                self.fmt["note"],
            )
            return
        chosen = a.attribution_model
        r = self._model_table(ws, 3, a.attribution.conversions, "number", chosen)
        ws.write_string(r + 1, 0, "Conversion value credited", self.fmt["title"])
        r = self._model_table(ws, r + 2, a.attribution.value, "money", chosen)
        ws.write_string(r + 1, 0, f"Under the chosen model ({chosen})", self.fmt["title"])
        ws.write_row(
            r + 2, 0, ["Channel", "Attributed conversions", "Attributed CAC", "Attributed ROAS"], self.fmt["header"]
        )
        for i, (channel, e) in enumerate(a.attributed.iterrows(), start=r + 3):
            ws.write_string(i, 0, str(channel))
            for j, (col, kind) in enumerate(
                (("Attributed conversions", "number"), ("Attributed CAC", "money"), ("Attributed ROAS", "ratio")),
                start=1,
            ):
                if pd.isna(e[col]):
                    ws.write_string(i, j, UNDEFINED)
                else:
                    ws.write_number(i, j, float(e[col]), self.fmt[kind])
        r += len(a.attributed) + 3
        ws.write_string(r + 1, 0, "Models", self.fmt["title"])
        ws.write_row(r + 2, 0, ["Model", "Use case", "Channels affected"], self.fmt["header"])
        for i, (setting, model) in enumerate(SETTING_NAMES.items(), start=r + 3):
            ws.write_string(
                i, 0, model + (" (chosen)" if model == chosen else ""), self.fmt["bold"] if model == chosen else None
            )
            ws.write_string(i, 1, MODEL_USE_CASES[setting])
            ws.write_string(i, 2, ", ".join(a.affected_by_model.get(model, [])) or "none")
        r += 3 + len(SETTING_NAMES)
        moving = ", ".join(f"{ch} ({spread:.0%})" for ch, spread in a.affected.items()) or "none"
        ws.write_string(
            r, 0, f"Channels whose share moves 5 points or more between the models: {moving}", self.fmt["note"]
        )
        for note in a.attribution.notes:
            r += 1
            ws.write_string(r, 0, note, self.fmt["note"])
        ws.set_column(0, 0, 24)
        ws.set_column(1, len(MODELS), 14)

    def _model_table(self, ws: Any, top: int, table: pd.DataFrame, kind: str, chosen: str) -> int:
        ws.write_row(top, 0, ["Channel", *MODELS], self.fmt["header"])
        for i, (channel, row) in enumerate(table.iterrows(), start=top + 1):
            ws.write_string(i, 0, str(channel))
            for j, model in enumerate(MODELS, start=1):
                if pd.isna(row[model]):
                    ws.write_string(i, j, UNDEFINED)
                else:
                    ws.write_number(i, j, float(row[model]), self.fmt[kind])
        col = 1 + MODELS.index(chosen)
        ws.conditional_format(top + 1, col, top + len(table), col, {"type": "no_blanks", "format": self.fmt["good"]})
        return top + len(table) + 1
