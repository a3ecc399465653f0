"""The marketing system sheets: Martech Stack, Funnel Coverage, Maturity, Cadence & Team, Data Notes."""

from __future__ import annotations

from typing import Any

import pandas as pd

from mops_xl.analysis.assessment.martech import IN_USE
from mops_xl.analysis.assessment.martech_figures import (
    AUTOMATION_SHARE,
    SERVES,
    STAGE_CHANNELS,
    STAGE_COVERAGE,
    TOTAL_FTE,
)
from mops_xl.analysis.blocks.stack_cost import MONTHLY_STACK_COST
from mops_xl.analysis.blocks.statuses import GAP
from mops_xl.outputs.workbook.formulas.excel_formulas import UNDEFINED, cached
from mops_xl.outputs.workbook.formulas.system_formulas import GRID_TOP, SystemFormulas, count_row, system_formula
from mops_xl.outputs.workbook.layout.board_pack import left_out_of_pack, not_in_pack_line
from mops_xl.outputs.workbook.layout.sheet_writer import SheetWriter


class SystemSheets(SheetWriter):
    """Writes the sheets about the marketing system around the numbers.

    Args:
        wb: The workbook.
        fmt: The report's formats.
        analysis: The engine's results.
    """

    def martech_stack(self) -> None:
        """Tools by stage and category, category coverage with gaps, monthly cost, the integration map."""
        stack, links = self.a.stack, self.a.integrations
        ws = self.titled_sheet(
            "Martech Stack",
            "Active tools by stage. A standard category with no active tool is in use when a running channel "
            "shows it (Email nurture: Email), its tool not listed; otherwise a gap.",
        )
        ws.write_row(3, 0, ["Stage", "Tool", "Category"], self.fmt["header"])
        r = 4
        for stage, tools in stack.by_stage.items():
            for tool, category in tools or [(None, None)]:
                ws.write_string(r, 0, stage)
                if tool is None:
                    ws.write_string(r, 1, "(gap: no active tool)", self.fmt["bad"])
                else:
                    ws.write_string(r, 1, str(tool))
                    ws.write_string(r, 2, str(category))
                r += 1
        ws.write_string(r + 1, 0, "Monthly cost of active tools", self.fmt["bold"])
        ws.write_formula(r + 1, 2, system_formula(MONTHLY_STACK_COST), self.fmt["money"], float(stack.monthly_cost))
        r += 3
        self._categories(ws, r)
        r += len(stack.categories) + 2
        if stack.islands:  # merged across the stack table, so its colour spans the whole line (written as text)
            ws.merge_range(r, 0, r, 2, "", self.fmt["warn"])
            ws.write_string(
                r, 0, "Islands (active tools in no integration): " + ", ".join(stack.islands), self.fmt["warn"]
            )
            r += 2
        ws.write_string(r, 0, "System Integration Map", self.fmt["title"])
        headers = ["System", "Connects To", "Data Flow", "Sync Frequency", "Automated"]
        if links.rows.empty:  # one line, not an empty table
            ws.write_string(
                r + 1, 0, self.empty_note("No integrations", "fill in the Integrations sheet"), self.fmt["note"]
            )
        else:
            ws.write_row(r + 1, 0, headers, self.fmt["header"])
        for i, (_, link) in enumerate(links.rows.iterrows(), start=r + 2):
            for j, column in enumerate(("System", "Connects to", "Data flow", "Sync frequency")):
                if isinstance(link[column], str):
                    ws.write_string(i, j, link[column])
            ws.write_string(i, 4, "Yes" if bool(link["Automated"]) else "No")
        share_row = r + 2 + len(links.rows) + 1
        ws.write_string(share_row, 0, "Automation share", self.fmt["bold"])
        ws.write_formula(
            share_row, 1, system_formula(AUTOMATION_SHARE), self.fmt["percent"], cached(links.automation_share)
        )
        ws.set_column(0, 0, 30)
        ws.set_column(1, 4, 26)

    def _categories(self, ws: Any, r: int) -> None:
        """The standard categories' coverage from row ``r``: Yes (an active tool), In use (a running channel shows
        it, its tool not listed: a warning) or Gap, each a word as well as a colour, and what shows it."""
        stack = self.a.stack
        ws.write_row(r, 0, ["Category", "Covered", "Shown by"], self.fmt["header"])
        for i, category in enumerate(stack.categories, start=1):
            word, look = ("Yes", "good") if category in stack.covered else (IN_USE, "warn")
            if category in stack.gaps:
                word, look = GAP, "bad"
            ws.write_row(r + i, 0, [category, word, stack.shown_by(category)])
            ws.write_string(r + i, 1, word, self.fmt[look])

    def funnel_coverage(self) -> None:
        """Stages × channels: which active channels serve each funnel stage; uncovered stages flagged."""
        funnel, channels = self.a.funnel, self.a.intake.channels
        ws = self.titled_sheet(
            "Funnel Coverage",
            "● = an active channel (spend or volume in the window, or a budget line) "
            "serving the stage; a stage no active channel serves is a gap.",
        )
        stages = list(funnel.by_stage)
        ws.write_row(3, 0, ["Channel", "Active"] + stages, self.fmt["header"])
        for i, (_, ch) in enumerate(channels.iterrows(), start=GRID_TOP):
            name = ch["Channel"]
            active = name in funnel.active
            ws.write_string(i, 0, str(name))
            ws.write_string(i, 1, "Yes" if active else "No")
            for j, stage in enumerate(stages, start=2):
                if name in funnel.by_stage[stage]:
                    ws.write_string(i, j, SERVES)
        counts = count_row(len(channels))
        ws.write_string(counts, 0, "Active channels", self.fmt["total_text"])
        ws.write_string(counts + 1, 0, "Coverage", self.fmt["total_text"])
        for j, stage in enumerate(stages, start=2):
            w = SystemFormulas(len(channels), j)
            count = float(funnel.counts[stage])
            ws.write_formula(counts, j, system_formula(STAGE_CHANNELS, w), self.fmt["total_integer"], count)
            ws.write_formula(counts + 1, j, system_formula(STAGE_COVERAGE, w), None, funnel.coverage[stage])
        self.fmt.colour_statuses(ws, counts + 1, 2, counts + 1, 1 + len(stages))
        if funnel.unstaged:
            ws.write_string(
                counts + 3, 0, "Active channels without a funnel stage: " + ", ".join(funnel.unstaged), self.fmt["warn"]
            )
        ws.set_column(0, 0, 26)
        ws.set_column(1, 1, 10)
        ws.set_column(2, 1 + len(stages), 15)

    def maturity(self) -> None:
        """The maturity level, module scores (self vs evidence), evidence and next steps by workflow phase."""
        m = self.a.maturity
        ws = self.titled_sheet(
            "Maturity",
            "Self-reported scores come from the Assessment sheet alone; the level uses the "
            "evidence-based scores (see docs/metrics.md, Maturity).",
        )
        ws.write_string(3, 0, "Level", self.fmt["bold"])
        ws.write_string(3, 1, m.level, self.fmt["title"])
        ws.write_string(4, 0, "Score (evidence-based)", self.fmt["bold"])
        ws.write_number(4, 1, m.score, self.fmt["percent"])
        ws.write_string(5, 0, "Score (self-reported)", self.fmt["bold"])
        self._maybe(ws, 5, 1, m.self_score)
        ws.write_row(7, 0, ["Module", "Self-reported", "Evidence", "Score"], self.fmt["header"])
        for i, mod in enumerate(m.modules, start=8):
            ws.write_string(i, 0, mod.module)
            self._maybe(ws, i, 1, mod.self_score)
            self._maybe(ws, i, 2, mod.evidence_score)
            ws.write_number(i, 3, mod.score, self.fmt["percent"])
        r = 8 + len(m.modules) + 1
        ws.write_row(r, 0, ["Evidence", "Score"], self.fmt["header"])
        for i, e in enumerate(m.evidence, start=r + 1):
            ws.write_string(i, 0, e.text)
            self._maybe(ws, i, 1, e.value)
        r += len(m.evidence) + 2
        ws.write_row(r, 0, ["Next step", "Phase", "Module", "Because", "Gain"], self.fmt["header"])
        for i, step in enumerate(m.next_steps, start=r + 1):
            ws.write_row(i, 0, [step["action"], step["phase"], step["module"], step["because"]])
            ws.write_number(i, 4, step["gain"], self.fmt["percent"])
        ws.set_column(0, 0, 52)
        ws.set_column(1, 2, 16)
        ws.set_column(3, 3, 40)

    def _maybe(self, ws: Any, r: int, c: int, value: float | None) -> None:
        if value is None or pd.isna(value):
            ws.write_string(r, c, UNDEFINED)
        else:
            ws.write_number(r, c, float(value), self.fmt["percent"])

    def cadence_and_team(self) -> None:
        """The review schedule and the team's roles with the tools they own."""
        team = self.a.team
        ws = self.titled_sheet("Cadence & Team", "The operating rhythm (Cadence sheet) and who runs it (Team sheet).")
        r = self._team(ws, self._cadence(ws))
        ws.write_string(r, 0, "Standard roles missing", self.fmt["bold"])
        ws.write_string(r, 1, ", ".join(team.roles_missing) or "none")
        ws.write_string(r + 1, 0, "Active tools nobody owns", self.fmt["bold"])
        ws.write_string(r + 1, 1, ", ".join(team.unowned_tools) or "none")
        ws.write_string(r + 2, 0, "Total FTE", self.fmt["bold"])
        ws.write_formula(r + 2, 1, system_formula(TOTAL_FTE), self.fmt["number"], float(team.total_fte))
        ws.set_column(0, 0, 26)
        ws.set_column(1, 1, 24)
        ws.set_column(2, 3, 40)

    def _cadence(self, ws: Any) -> int:
        """The reviews of the Cadence sheet from row 3 (a section with nothing to show says so, in one line).

        Returns:
            The row of the team's section.
        """
        cadence = self.a.intake.table("Cadence")
        if cadence.empty:
            ws.write_string(3, 0, self.empty_note("No reviews", "fill in the Cadence sheet"), self.fmt["note"])
        else:
            ws.write_row(3, 0, ["Review", "Frequency", "Focus", "Attendees"], self.fmt["header"])
        for i, (_, rev) in enumerate(cadence.iterrows(), start=4):
            for j, column in enumerate(("Review", "Frequency", "Focus", "Attendees")):
                if isinstance(rev[column], str):
                    ws.write_string(i, j, rev[column])
        return 4 + max(len(cadence), 1) + 1

    def _team(self, ws: Any, top: int) -> int:
        """The Team's people from row ``top`` (or one line saying there are none).

        Returns:
            The row of the summary lines under it.
        """
        people = self.a.team.people
        if people.empty:
            ws.write_string(top, 0, self.empty_note("No team", "fill in the Team sheet"), self.fmt["note"])
        else:
            ws.write_row(top, 0, ["Role", "Name", "Responsibilities", "Tools owned", "FTE"], self.fmt["header"])
        for i, (_, p) in enumerate(people.iterrows(), start=top + 1):
            for j, column in enumerate(("Role", "Name", "Responsibilities")):
                if isinstance(p[column], str):
                    ws.write_string(i, j, p[column])
            ws.write_string(i, 3, ", ".join(p["Tools owned"] or []))
            if not pd.isna(p["FTE"]):
                ws.write_number(i, 4, float(p["FTE"]), self.fmt["number"])
        return top + max(len(people), 1) + 2

    def framework(self) -> None:
        """The text framework, one line per row in a monospace font (the same text as <stem>-framework.txt)."""
        from mops_xl.outputs.framework.text import render_framework

        ws = self.wb.add_worksheet("Framework")
        mono = self.wb.add_format({"font_name": "Consolas", "font_size": 10})
        for r, line in enumerate(render_framework(self.a, "txt").splitlines()):
            if line:
                ws.write_string(r, 0, line, mono)
        ws.set_column(0, 0, 120)

    def data_notes(self) -> None:
        """Every validation warning and notice, and every assumption, with the cell it refers to.

        Alike warnings (one code on one sheet, column and channel) are one line naming the first three cells and
        the count, as `mops-xl validate` prints them; `--json` keeps every one.
        """
        a = self.a
        ws = self.titled_sheet("Data Notes", "What the reader noticed in the intake and what the figures assume.")
        ws.write_row(3, 0, ["Kind", "Where", "Note"], self.fmt["header"])
        r, wrap = 4, self.fmt["wrap"]  # a note wraps within its (wide) column: the sheet prints one page wide
        left_out = left_out_of_pack(a) if self.board_pack else {}
        if left_out:  # the sections with nothing in them, not printed: one line says which
            ws.write_row(r, 0, ["Not printed", ", ".join(left_out), not_in_pack_line(left_out)], wrap)
            r += 1
        for group in a.intake.report.grouped():
            ws.write_row(r, 0, [group.severity.capitalize(), group.place or "(workbook)", group.message], wrap)
            r += 1
        for n in a.notes:
            ws.write_row(r, 0, ["Assumption", n["subject"], n["note"]], wrap)
            r += 1
        for w in a.warnings:
            ws.write_row(r, 0, ["Warning", w["subject"], w["warning"]], wrap)
            r += 1
        for term, definition in a.definitions.items():
            ws.write_row(r, 0, ["Definition", term, definition], wrap)
            r += 1
        ws.set_column(0, 0, 12)
        ws.set_column(1, 1, 36)  # "Actuals!J120, J135, J160 and 480 more"
        ws.set_column(2, 2, 90)
