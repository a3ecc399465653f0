"""Optimization Actions and Experiments: what to do now, and which tests have a winner."""

from __future__ import annotations

from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from mops_xl.analysis.decisions.recommendations import AS_BUILT, MONEY_COLUMNS, RECOMMENDATION_COLUMNS
from mops_xl.analysis.engine import Analysis
from mops_xl.analysis.figures.ab_tests.experiment_figures import COMPARISON_FIGURES, VERDICT_FIGURES
from mops_xl.analysis.figures.ab_tests.experiments import COMPARISON_COLUMNS, RESULT_COLUMNS
from mops_xl.outputs.workbook.formulas.excel_formulas import UNDEFINED, cached, name_for, sheet_ref
from mops_xl.outputs.workbook.formulas.experiment_formulas import VariantFormulas
from mops_xl.outputs.workbook.layout.cell_formats import Formats
from mops_xl.outputs.workbook.layout.sheet_writer import SheetWriter
from mops_xl.outputs.workbook.sheets.data_sheets import data_sheet_name, field_column_letter

ACTIONS_SHEET, EXPERIMENTS_SHEET = "Optimization Actions", "Experiments"
THRESHOLDS = (
    "Underperforming threshold",
    "Overspending threshold",
    "High-performer threshold",
    "A/B significance level",
    "Minimum spend before triggers",
)
#: The columns of the actions table: the engine's, its sort key (shown as the Priority) aside, and the due date
#: and review, which are one for every action (the table's title says them once).
ACTION_HEADERS = tuple(c for c in RECOMMENDATION_COLUMNS if c not in ("Money at stake", "Due", "Review"))
#: Left out of the table when no action has one (it would be a column of blanks on a page that must fit).
OMITTED_WHEN_EMPTY = ("Conflict",)
#: The widths (characters) of the actions table's text columns; the money columns take 14.
ACTION_WIDTHS = {
    "Priority": 9,
    "Subject": 20,
    "Action": 20,
    "Evidence": 48,
    "Conflict": 40,
    "Funding": 40,
    "Owner": 16,
    "Money at stake is": 16,
}
#: The plan's columns the Optimization Actions sheet repeats (the Reallocation sheet shows them all).
MOVE_HEADERS = ("From", "To", "Budget to move this period", "Reason")
#: The Experiments sheet's columns: the engine's results, its "Reason" (why a figure is undefined) aside.
EXPERIMENT_HEADERS = tuple(c for c in RESULT_COLUMNS if c != "Reason")
_EXP_KIND = {
    "Visitors": "integer",
    "Conversions": "integer",
    "Rate": "percent",
    "Lift": "percent",
    "Lift low": "percent",
    "Lift high": "percent",
    "Relative lift": "percent",
    "Z": "number",
    "P value": "pvalue",
    "P adjusted": "pvalue",
    "Visitors needed": "integer",
    "SRM p value": "pvalue",
}


class ActionSheets(SheetWriter):
    """Writes the Optimization Actions and Experiments sheets.

    Args:
        wb: The workbook.
        fmt: The report's formats.
        analysis: The engine's results.
        data_row: Intake sheet and row → the row of that record in the report's data sheet.
    """

    def __init__(self, wb: Any, fmt: Formats, analysis: Analysis, data_row: Any):
        super().__init__(wb, fmt, analysis)
        self.data_row = data_row

    def optimization_actions(self) -> None:
        """Write the thresholds (formulas reading Settings), every subject's one action by priority (values,
        labelled as built), the warnings and the plan's moves."""
        a, s = self.a, self.a.intake.settings
        ws = self.titled_sheet(
            ACTIONS_SHEET,
            "Thresholds below read the Settings sheet — the one place to edit them. Each channel's one action, its "
            f"evidence, money, owner and due date are the engine's values, {AS_BUILT}.",
            "The thresholds the team set, then each channel's one action, by the money at stake (values as built: "
            "rebuild the report after editing Settings, Targets or Budget).",
        )
        # the names span the narrow Priority and the Subject columns, so neither widens for them
        ws.merge_range(3, 0, 3, 1, "Threshold", self.fmt["header"])
        ws.write_string(3, 2, "Value", self.fmt["header"])
        for i, name in enumerate(THRESHOLDS):
            ws.merge_range(4 + i, 0, 4 + i, 1, name)
            kind = "money" if name.startswith("Minimum") else "percent"
            ws.write_formula(4 + i, 2, f"={name_for(name)}", self.fmt[kind], float(s[name]))
        top = 4 + len(THRESHOLDS) + 2
        ws.write_string(top - 1, 0, f"Actions{self._due()} ({AS_BUILT})", self.fmt["bold"])
        recs = a.recommendations
        headers = [h for h in ACTION_HEADERS if h not in OMITTED_WHEN_EMPTY or (recs[h].astype(str) != "").any()]
        ws.write_row(top, 0, headers, self.fmt["header"])
        for r, (_, rec) in enumerate(recs.iterrows(), start=top + 1):
            for c, column in enumerate(headers):
                self._action_cell(ws, r, c, column, rec[column])
        r = top + len(a.recommendations) + 2
        ws.write_string(r, 0, "Warnings (not actions)", self.fmt["bold"])
        for i, w in enumerate(a.warnings, start=1):
            ws.write_string(r + i, 0, f"{w['subject']}: {w['warning']}")  # a sentence: laid out across the table
        r += len(a.warnings) + 2
        ws.write_string(
            r, 0, f"Budget moves of the plan, priced on {a.plan_basis} (see the Reallocation sheet)", self.fmt["bold"]
        )
        if a.reallocation.empty:  # a section with nothing to show says so, in one line
            ws.write_string(
                r + 1, 0, "No budget moves: no channel frees budget that another can use.", self.fmt["note"]
            )
        else:
            ws.write_row(r + 1, 0, list(MOVE_HEADERS), self.fmt["header"])
        for i, (_, move) in enumerate(a.reallocation.iterrows(), start=r + 2):
            ws.write_string(i, 0, str(move["From"]))
            ws.write_string(i, 1, str(move["To"]))
            ws.write_number(i, 2, float(move["Budget to move this period"]), self.fmt["money"])
            ws.write_string(i, 3, str(move["Reason"]))
        # each column's width (the cap its wrapped text fits in), found by its header: the table's columns vary
        for c, header in enumerate(headers):
            ws.set_column(c, c, ACTION_WIDTHS.get(header, 14))
        ws.freeze_panes(top + 1, 2)

    def _due(self) -> str:
        """When every action is due: the next review on the Cadence sheet after Report as of, or why none."""
        review = self.a.review
        return f" — due {review.text}" if review is not None else ""

    def _action_cell(self, ws: Any, r: int, c: int, column: str, value: Any) -> None:
        """One cell of the actions table: money as money ("–" where it does not apply), the due date as a date."""
        if column in MONEY_COLUMNS:
            if pd.isna(value):
                ws.write_string(r, c, UNDEFINED)
            else:
                ws.write_number(r, c, float(value), self.fmt["money"])
        elif column == "Priority":
            ws.write_number(r, c, int(value), self.fmt["rank"])
        elif column == "Due":
            if pd.isna(value):
                ws.write_string(r, c, UNDEFINED)
            else:
                ws.write_datetime(r, c, value.to_pydatetime(), self.fmt["date"])
        else:
            ws.write_string(r, c, str(value), self.fmt["wrap"])

    def experiments(self) -> None:
        """Write one row per variant: rates, lift with interval, z and p as formulas; Holm and SRM as values."""
        a = self.a
        ws = self.titled_sheet(
            EXPERIMENTS_SHEET,
            "Visitors and conversions read the Experiments data sheet. P adjusted (Holm, across "
            "the variants of an experiment) and the sample-ratio check are the engine's values.",
            "Visitors and conversions per variant, with P adjusted (Holm, across the variants of an experiment), "
            "the sample-ratio check and the decision.",
        )
        results = a.experiments
        table = a.intake.table("Experiments")
        if results.empty:  # one line, not an empty table
            ws.write_string(
                3, 0, "No experiments in the intake: fill in the Experiments sheet to test variants.", self.fmt["note"]
            )
            return
        ws.write_row(3, 0, list(EXPERIMENT_HEADERS), self.fmt["header"])
        control_row: dict[str, int] = {}
        for i, (_, v) in enumerate(results.iterrows()):
            if v["Is control"]:
                control_row[v["Experiment"]] = 4 + i
        keys = zip(table.index, table["Experiment"], table["Variant"], strict=True)
        intake_row = {(e, var): row for row, e, var in keys}
        for i, (_, v) in enumerate(results.iterrows()):
            k = self.data_row("Experiments", intake_row[(v["Experiment"], v["Variant"])])
            self._variant(ws, 4 + i, k, v, control_row[v["Experiment"]])
        ws.set_column(0, 1, 24)
        ws.set_column(2, len(EXPERIMENT_HEADERS) - 1, 12)
        ws.set_column(EXPERIMENT_HEADERS.index("Decision"), EXPERIMENT_HEADERS.index("Decision"), 28)
        ws.freeze_panes(4, 2)

    def _variant(self, ws: Any, r: int, k: int, v: pd.Series, ctrl: int) -> None:
        """A variant's row: the counts read the data sheet; each figure's formula comes from its definition, the
        engine's value cached; P adjusted and the sample-ratio check are values."""
        at = EXPERIMENT_HEADERS.index
        control = {h: xl_rowcol_to_cell(ctrl, at(h)) for h in ("Visitors", "Conversions", "Rate")}
        w = VariantFormulas({h: xl_rowcol_to_cell(r, at(h)) for h in EXPERIMENT_HEADERS}, control)
        ws.write_string(r, 0, str(v["Experiment"]))
        ws.write_string(r, 1, str(v["Variant"]))
        ws.write_string(r, 2, "Yes" if v["Is control"] else "No")
        put = self._putter(ws, r, v)
        data = data_sheet_name("Experiments")
        for h in ("Visitors", "Conversions"):
            put(h, "=" + sheet_ref(data, f"${field_column_letter('Experiments', h)}${k}"))
        put("Rate", w.formula("Rate"))
        if v["Is control"]:
            for h in COMPARISON_COLUMNS:
                ws.write_string(r, at(h), UNDEFINED)
            ws.write_string(r, at("Significant"), "–")
            ws.write_string(r, at("Decision"), str(v["Decision"]))
        else:
            shown = {"Significant": "Yes" if v["Significant"] else "No"}
            for figure in (*COMPARISON_FIGURES, *VERDICT_FIGURES):
                put(figure.name, w.formula(figure.name), shown.get(figure.name))
            self._value(ws, r, "P adjusted", v["P adjusted"])
        self._value(ws, r, "SRM p value", v["SRM p value"])
        ws.write_string(r, at("SRM flag"), "Yes" if v["SRM flag"] else "No")

    def _putter(self, ws: Any, r: int, v: pd.Series) -> Any:
        def put(header: str, formula: str, value: Any = None) -> None:
            c = EXPERIMENT_HEADERS.index(header)
            ws.write_formula(
                r, c, formula, self.fmt.get(_EXP_KIND.get(header)), cached(v[header] if value is None else value)
            )

        return put

    def _value(self, ws: Any, r: int, header: str, value: Any) -> None:
        c = EXPERIMENT_HEADERS.index(header)
        if value is None or pd.isna(value):
            ws.write_string(r, c, UNDEFINED)
        else:
            ws.write_number(r, c, float(value), self.fmt.get(_EXP_KIND.get(header)))
