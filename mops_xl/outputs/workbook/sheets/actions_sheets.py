"""Optimization Actions and Experiments: what to do now, and which tests have a winner."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from mops_xl.analysis.blocks.glossary import gloss
from mops_xl.analysis.blocks.wording import count, day, money
from mops_xl.analysis.decisions.period_plan import EPSILON, PeriodPlan
from mops_xl.analysis.decisions.recommendations import AS_BUILT, MONEY_COLUMNS, RECOMMENDATION_COLUMNS
from mops_xl.analysis.engine import Analysis
from mops_xl.analysis.figures.ab_tests.experiment_figures import COMPARISON_FIGURES, VERDICT_FIGURES
from mops_xl.analysis.figures.ab_tests.experiments import COMPARISON_COLUMNS, RESULT_COLUMNS
from mops_xl.intake.currencies import symbol
from mops_xl.outputs.workbook.formulas.excel_formulas import UNDEFINED, cached, name_for, sheet_ref
from mops_xl.outputs.workbook.formulas.experiment_formulas import VariantFormulas
from mops_xl.outputs.workbook.layout.cell_formats import Formats
from mops_xl.outputs.workbook.layout.print_blocks import print_in_blocks
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
#: The columns of the actions table each threshold spans at the foot of the sheet (the first block's, whatever the
#: table's optional columns): the first over the narrow Priority and the Subject.
THRESHOLD_SPANS = ((0, 1), (2, 2), (3, 3), (4, 4), (5, 5))
#: The thresholds' title in the values-only copy, which has no Settings sheet.
THRESHOLDS_AS_SET = "Thresholds as the team set them"
#: A threshold's label as a reader thinks of it, where it differs from its Settings name (which stays the intake's).
THRESHOLD_LABELS = {"A/B significance level": "A/B confidence"}
#: The columns of the actions table: the engine's, less what the page says otherwise: the sort key and what it
#: is (the Priority ranks by it; the Dashboard's top actions show it), the due date and review (one for every
#: action: the table's title says them once) and the budget for the period (the Remaining budget and the plan's
#: columns say what is left of it; the line above the table gives the period's total).
ACTION_HEADERS = tuple(
    c
    for c in RECOMMENDATION_COLUMNS
    if c not in ("Budget for period", "Money at stake", "Money at stake is", "Due", "Review")
)
#: Left out of the table when no action has one (it would be a column of blanks on a page that must fit).
OMITTED_WHEN_EMPTY = ("Conflict",)
#: The widths (characters) of the actions table's text columns, the cap their text wraps in; the figure
#: columns are as wide as their figures and headers need.
ACTION_WIDTHS = {
    "Priority": 8,
    "Subject": 18,
    "Action": 14,
    "Evidence": 46,
    "Conflict": 34,
    "Funding": 30,
    "Owner": 14,
}
#: The number format of each figure column of the actions table (the money columns, the customers with one
#: decimal).
ACTION_FORMATS = {**{c: "money" for c in MONEY_COLUMNS}, "Expected customers change": "number"}
#: The last column of the actions table printed with the rest of the sheet; its columns after it print as a block
#: of their own.
PRINTED_FIRST_UP_TO = "Budget to move this period"
#: The moves of the plan under the actions, each column under the actions table's columns it spans (first,
#: last): every amount taken from a channel and where it goes.
MOVE_SPANS = (
    ("From", ("Priority", "Subject")),
    ("To", ("Action", "Action")),
    ("Reason", ("Evidence", "Planned rest of period")),
    ("Budget to move this period", ("Budget to move this period", "Budget to move this period")),
)
#: The decisions for leadership under the actions, laid out the same way.
DECISION_SPANS = (
    ("Subject", ("Priority", "Subject")),
    ("Decision", ("Action", "Evidence")),
    ("Money at stake", ("Remaining budget", "Remaining budget")),
    ("Owner", ("Current daily spend", "Planned daily spend")),
    ("Why", ("Planned rest of period", "Budget to move this period")),  # within the sheet's first printed block
)
#: What the sheet (and the Dashboard) says when the team needs no decision from leadership.
NO_DECISION = "No decision for leadership: the team can act on the plan itself."
#: The Experiments sheet's first printed block: each variant, its result and the decision, read on one page.
EXPERIMENT_FIRST = (
    "Experiment",
    "Variant",
    "Is control",
    "Visitors",
    "Conversions",
    "Rate",
    "Lift",
    "Lift low",
    "Lift high",
    "Significant",
    "Decision",
)
#: The Experiments sheet's columns: the first block, then the statistics behind it (printed as a second block), the
#: engine's "Reason" (why a figure is undefined) aside.
EXPERIMENT_HEADERS = EXPERIMENT_FIRST + tuple(c for c in RESULT_COLUMNS if c not in (*EXPERIMENT_FIRST, "Reason"))
_EXP_KIND = {
    "Is control": "flag",
    "Significant": "flag",
    "SRM flag": "flag",
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
        """Write every subject's one action by priority (values, labelled as built) under the plan's totals, the
        plan's moves, the decisions for leadership, the warnings, and at the foot the thresholds (formulas reading
        Settings): the actions table starts the page, so it prints whole under its header."""
        a, s = self.a, self.a.intake.settings
        ws = self.titled_sheet(
            ACTIONS_SHEET,
            "Each channel's one action is read off the plan for the rest of the period; the plan, the evidence, "
            f"money, owner and due date are the engine's values, {AS_BUILT}. The thresholds at the foot of the sheet "
            "read the Settings sheet — the one place to edit them.",
            "Each channel's one action, read off the plan for the rest of the period, by the money at stake, and at "
            "the foot the thresholds the team set (values as built: rebuild the report after editing Settings, "
            "Targets or Budget).",
        )
        top = 5
        ws.write_string(top - 2, 0, f"Actions{self._due()} ({AS_BUILT})", self.fmt["bold"])
        ws.write_string(top - 1, 0, plan_line(a.plan, a.window.end, symbol(a.intake.business["Currency"])))
        recs = a.recommendations
        headers = [h for h in ACTION_HEADERS if h not in OMITTED_WHEN_EMPTY or (recs[h].astype(str) != "").any()]
        ws.write_row(top, 0, headers, self.fmt["header"])
        for r, (_, rec) in enumerate(recs.iterrows(), start=top + 1):
            for c, column in enumerate(headers):
                self._action_cell(ws, r, c, column, rec[column])
        r = self._decisions(ws, self._moves(ws, top + len(recs) + 2, headers), headers)
        ws.write_string(r, 0, "Warnings (not actions)", self.fmt["bold"])
        for i, w in enumerate(a.warnings, start=1):
            ws.write_string(r + i, 0, f"{w['subject']}: {w['warning']}")  # a sentence: laid out across the table
        self._thresholds(ws, r + len(a.warnings) + 2, s)
        # each column's width (the cap its wrapped text fits in), found by its header: the table's columns vary
        for c, header in enumerate(headers):
            ws.set_column(c, c, ACTION_WIDTHS.get(header, 12))
        ws.freeze_panes(top + 1, 2)
        # the sheet to the money to move, then the actions' expected change, funding and owner, each row headed by
        # its priority and subject: the wide actions table does not shrink the page
        moved = headers.index(PRINTED_FIRST_UP_TO)
        if moved < len(headers) - 1:
            print_in_blocks(ws, moved, (top, moved + 1, top + len(recs), len(headers) - 1), 2)

    def _thresholds(self, ws: Any, r: int, settings: Any) -> None:
        """The thresholds under their title at row ``r``: a row of names over a row of values (formulas reading the
        Settings data sheet), across the actions table's first columns, so they take three lines at the foot."""
        title = THRESHOLDS_AS_SET if self.values_only else "Thresholds (edit them on the Settings sheet)"
        ws.write_string(r, 0, title, self.fmt["bold"])
        for name, (first, last) in zip(THRESHOLDS, THRESHOLD_SPANS, strict=True):
            self._put(ws, r + 1, first, last, THRESHOLD_LABELS.get(name, name), self.fmt["header"])
            fmt = self.fmt["money" if name.startswith("Minimum") else "percent"]
            if last > first:
                ws.merge_range(r + 2, first, r + 2, last, "", fmt)
            ws.write_formula(r + 2, first, f"={name_for(name)}", fmt, float(settings[name]))

    def _decisions(self, ws: Any, r: int, headers: Sequence[str]) -> int:
        """The decisions for leadership under their title at row ``r``, or one line saying there are none.

        Returns:
            The row after them and an empty one.
        """
        decisions = self.a.decisions_needed
        ws.write_string(r, 0, f"Decisions for leadership ({AS_BUILT})", self.fmt["bold"])
        if decisions.empty:
            ws.write_string(r + 1, 0, NO_DECISION, self.fmt["note"])
            return r + 3
        self._spanned_table(ws, r + 1, _spans(DECISION_SPANS, headers), decisions, money_columns=("Money at stake",))
        return r + len(decisions) + 3

    def _moves(self, ws: Any, r: int, headers: Sequence[str]) -> int:
        """The plan's moves under their title at row ``r``: every amount taken from a channel and where it goes.

        Returns:
            The row after them and an empty one.
        """
        moves = self.a.reallocation
        title = "Where the money taken from a channel goes (the Reallocation sheet prices each move)"
        ws.write_string(r, 0, title, self.fmt["bold"])
        if moves.empty:  # a section with nothing to show says so, in one line
            ws.write_string(r + 1, 0, "No budget moves: every channel keeps its remaining budget.", self.fmt["note"])
            return r + 3
        self._spanned_table(
            ws, r + 1, _spans(MOVE_SPANS, headers), moves, money_columns=("Budget to move this period",)
        )
        return r + len(moves) + 3

    def _spanned_table(
        self, ws: Any, top: int, spans: dict[str, tuple[int, int]], table: pd.DataFrame, money_columns: tuple[str, ...]
    ) -> None:
        """A table under the actions whose columns each span some of the actions table's columns (merged), so
        its text wraps in their widths and no column of the actions table widens for it.

        Args:
            ws: The worksheet.
            top: The row of its header.
            spans: Column → the first and last sheet column it spans.
            table: Its rows.
            money_columns: The columns written as money.
        """
        for header, (first, last) in spans.items():
            self._put(ws, top, first, last, header, self.fmt["header"])
        for r, (_, row) in enumerate(table.iterrows(), start=top + 1):
            for header, (first, last) in spans.items():
                value = row[header]
                if header in money_columns:
                    self._put(ws, r, first, last, float(value), self.fmt["money"])
                else:  # an empty text (no owner) shows "–", as on the Dashboard
                    self._put(ws, r, first, last, str(value) or UNDEFINED, self.fmt["wrap"])

    @staticmethod
    def _put(ws: Any, r: int, first: int, last: int, value: Any, fmt: Any) -> None:
        """Write a value in one cell, or merged over several."""
        if first == last:
            ws.write(r, first, value, fmt)
        else:
            ws.merge_range(r, first, r, last, value, fmt)

    def _due(self) -> str:
        """When every action is due: the next review on the Cadence sheet after Report as of, or why none."""
        review = self.a.review
        return f" — due {review.text}" if review is not None else ""

    def _action_cell(self, ws: Any, r: int, c: int, column: str, value: Any) -> None:
        """One cell of the actions table: a figure in its format ("–" where it does not apply), the priority as a
        rank, text wrapped."""
        if column in ACTION_FORMATS:
            if pd.isna(value):
                ws.write_string(r, c, UNDEFINED)
            else:
                ws.write_number(r, c, float(value), self.fmt[ACTION_FORMATS[column]])
        elif column == "Priority":
            ws.write_number(r, c, int(value), self.fmt["rank"])
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
            note = self.empty_note("No experiments in the intake", "fill in the Experiments sheet to test variants")
            ws.write_string(3, 0, note, self.fmt["note"])
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
        for j, term in enumerate(("Holm", "SRM"), start=5 + len(results)):  # the terms' first place in the pack
            ws.write_string(j, 0, gloss(term), self.fmt["note"])
        ws.set_column(0, 1, 24)
        ws.set_column(2, len(EXPERIMENT_HEADERS) - 1, 12)
        decision = EXPERIMENT_HEADERS.index("Decision")
        ws.set_column(decision, decision, 46)
        # the statistics behind each decision print after it, each row named by its experiment and variant
        print_in_blocks(ws, decision, (3, decision + 1, 3 + len(results), len(EXPERIMENT_HEADERS) - 1), 2)
        ws.freeze_panes(4, 2)

    def _variant(self, ws: Any, r: int, k: int, v: pd.Series, ctrl: int) -> None:
        """A variant's row: the counts read the data sheet; each figure's formula comes from its definition, the
        engine's value cached; P adjusted and the sample-ratio check are values."""
        at = EXPERIMENT_HEADERS.index
        control = {h: xl_rowcol_to_cell(ctrl, at(h)) for h in ("Visitors", "Conversions", "Rate")}
        w = VariantFormulas({h: xl_rowcol_to_cell(r, at(h)) for h in EXPERIMENT_HEADERS}, control)
        ws.write_string(r, 0, str(v["Experiment"]))
        ws.write_string(r, 1, str(v["Variant"]))
        ws.write_string(r, 2, "Yes" if v["Is control"] else "No", self.fmt["flag"])
        put = self._putter(ws, r, v)
        data = data_sheet_name("Experiments")
        for h in ("Visitors", "Conversions"):
            put(h, "=" + sheet_ref(data, f"${field_column_letter('Experiments', h)}${k}"))
        put("Rate", w.formula("Rate"))
        if v["Is control"]:
            for h in COMPARISON_COLUMNS:
                ws.write_string(r, at(h), UNDEFINED)
            ws.write_string(r, at("Significant"), "–", self.fmt["flag"])
            ws.write_string(r, at("Decision"), str(v["Decision"]))
        else:
            shown = {"Significant": "Yes" if v["Significant"] else "No"}
            for figure in (*COMPARISON_FIGURES, *VERDICT_FIGURES):
                put(figure.name, w.formula(figure.name), shown.get(figure.name))
            self._value(ws, r, "P adjusted", v["P adjusted"])
        self._value(ws, r, "SRM p value", v["SRM p value"])
        ws.write_string(r, at("SRM flag"), "Yes" if v["SRM flag"] else "No", self.fmt["flag"])

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


def _spans(layout: tuple[tuple[str, tuple[str, str]], ...], headers: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Where each column of a table under the actions goes: the sheet columns of the actions table's headers it
    spans."""
    return {column: (headers.index(first), headers.index(last)) for column, (first, last) in layout}


def plan_line(plan: PeriodPlan, end: pd.Timestamp, prefix: str) -> str:
    """The plan's totals in one line (the line above the actions table).

    Args:
        plan: The plan for the rest of the period.
        end: Period end.
        prefix: The currency prefix.

    Returns:
        E.g. "The plan for the rest of the period (20 days left, to 30 Sep 2026): budget for the period $119,500;
        spend to date $101,429; left to spend $18,071; planned rest of period $18,071; returned unspent $0."
    """
    totals = "; ".join(
        f"{name} {money(value, prefix)}"
        for name, value in (
            ("budget for the period", plan.budget),
            ("spend to date", plan.spend),
            ("left to spend", plan.left),
            ("planned rest of period", plan.planned),
            ("returned unspent", plan.returned_unspent),
        )
    )
    if plan.days_left <= 0:
        return f"The period has ended (to {day(end)}): {totals}; nothing left to plan."
    line = f"The plan for the rest of the period ({count(plan.days_left, 'day')} left, to {day(end)}): {totals}"
    if plan.budget_increase > EPSILON:
        line += f"; it needs {money(plan.budget_increase, prefix)} more than is left (a decision for leadership)"
    return line + "."
