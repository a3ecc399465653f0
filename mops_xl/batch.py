"""Building many intakes at once (an agency's Monday): in parallel, one failure never stopping the others,
and a roll-up workbook with one row per business.
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import xlsxwriter

from .atomic import atomic_output

ROLLUP_HEADERS = ("File", "Business", "Status", "Period", "Report as of", "Spend", "Customers", "CAC", "ROAS",
                  "Pace", "Spend status", "MQLs status", "SQLs status", "CAC status", "ROAS status",
                  "Triggers fired", "Top trigger", "Report")


@dataclass
class BatchResult:
    """The outcome of one intake of a batch.

    Args:
        source: The intake.
        status: "built", "invalid" (the intake has errors) or "failed" (an unexpected error).
        report: The report written, if any.
        problems: Number of errors (invalid) or warnings (built).
        message: A one-line reason for a failure, or the first errors.
        row: The roll-up row (built intakes only).
        document: The JSON document of the intake (built) or its validation report (invalid).
    """

    source: Path
    status: str
    report: Path | None = None
    problems: int = 0
    message: str = ""
    row: dict[str, Any] = field(default_factory=dict)
    document: dict[str, Any] = field(default_factory=dict)


def find_intakes(paths: list[Path]) -> list[Path]:
    """Expand folders into the .xlsx intakes they hold (not reports, not Excel's lock files).

    Args:
        paths: Files and folders.

    Returns:
        The intake files, folders expanded in name order.
    """
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found += sorted(f for f in p.iterdir() if f.suffix.lower() in (".xlsx", ".xlsm") and
                            not f.name.startswith("~$") and not f.stem.endswith("-report"))
        else:
            found.append(p)
    return found


def build_one(source: Path, out_dir: Path | None, values_only: bool = False) -> BatchResult:
    """Validate, compute and write one intake's report and framework; never raises.

    Args:
        source: The intake.
        out_dir: The folder for the outputs (None: beside the intake).
        values_only: Write a values-only report.

    Returns:
        The :class:`BatchResult`.
    """
    from .analysis import analyse
    from .export import to_dict
    from .framework import write_framework_files
    from .intake import read_intake
    from .report import build_report, default_report_path

    try:
        intake, report = read_intake(source)
        if intake is None:
            first = "; ".join(str(p) for p in report.errors[:3])
            return BatchResult(source, "invalid", problems=len(report.errors), message=first,
                               document=report.to_dict())
        out = default_report_path(source) if out_dir is None else out_dir / default_report_path(source).name
        a = analyse(intake)
        build_report(intake, out, a, values_only=values_only)
        write_framework_files(a, out)
        return BatchResult(source, "built", out, len(report.warnings), row=rollup_row(a, source, out),
                           document=to_dict(a))
    except Exception as exc:  # one bad file must never stop the batch
        return BatchResult(source, "failed", message=f"{type(exc).__name__}: {exc}",
                           document={"error": traceback.format_exc(limit=3)})


def build_many(sources: list[Path], out_dir: Path | None, jobs: int | None = None,
               values_only: bool = False, scheduler: str | None = None,
               progress: Callable[[str], None] | None = None) -> list[BatchResult]:
    """Build every intake, ``jobs`` at a time (default: the number of cores), or on a Dask cluster.

    Args:
        sources: The intakes.
        out_dir: The folder for the outputs (None: beside each intake).
        jobs: Parallel processes (1 builds in this process); ignored with ``scheduler``.
        values_only: Write values-only reports.
        scheduler: A Dask scheduler's address (e.g. ``tcp://host:8786``): one task per intake on its workers,
            which must see the intakes and ``out_dir`` at the same paths (see :mod:`mops_xl.cluster`).
        progress: With ``scheduler``, called with one line of text as the batch advances.

    Returns:
        One result per intake, in the order given.

    Raises:
        mops_xl.cluster.ClusterError: With ``scheduler``: Dask is missing, or the cluster cannot be used.
    """
    if scheduler is not None:
        from .cluster import build_on_cluster

        return build_on_cluster(sources, out_dir, scheduler, values_only, progress=progress)
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(sources) == 1:
        return [build_one(s, out_dir, values_only) for s in sources]
    with ProcessPoolExecutor(max_workers=min(jobs, len(sources))) as pool:
        return list(pool.map(build_one, sources, [out_dir] * len(sources), [values_only] * len(sources)))


def rollup_row(a: Any, source: Path, report: Path) -> dict[str, Any]:
    """One business's line of the roll-up.

    Args:
        a: The analysis.
        source: The intake.
        report: Its report.

    Returns:
        Header → value.
    """
    k, b = a.kpis, a.intake.business
    started = a.pacing_lines[a.pacing_lines["Status"] != "Not started"]
    expected = float(started["Expected to date"].sum())
    return {
        "File": source.name, "Business": b["Business name"], "Status": "built",
        "Period": f"{a.window.start:%Y-%m-%d} to {a.window.end:%Y-%m-%d}", "Report as of": f"{a.window.as_of:%Y-%m-%d}",
        "Spend": k.loc["Spend", "Actual"], "Customers": k.loc["Customers", "Actual"], "CAC": k.loc["CAC", "Actual"],
        "ROAS": k.loc["ROAS", "Actual"], "Pace": float(started["Actual"].sum()) / expected if expected > 0 else None,
        "Spend status": k.loc["Spend", "Status"], "MQLs status": k.loc["MQLs", "Status"],
        "SQLs status": k.loc["SQLs", "Status"], "CAC status": k.loc["CAC", "Status"],
        "ROAS status": k.loc["ROAS", "Status"], "Triggers fired": len(a.triggers),
        "Top trigger": "" if a.triggers.empty else f"{a.triggers.iloc[0]['Trigger']}: {a.triggers.iloc[0]['Subject']}",
        "Report": str(report),
    }


def write_rollup(results: list[BatchResult], path: Path) -> Path:
    """Write the roll-up workbook: one row per intake (failed ones with their reason).

    Args:
        results: The batch results.
        path: Where to write it (atomically).

    Returns:
        The path.
    """
    import math

    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"title": "mops-xl roll-up", "created": dt.datetime.now()})
        header = wb.add_format({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1})
        money, number, pct = (wb.add_format({"num_format": f}) for f in ("#,##0.00", "#,##0", "0%"))
        ratio = wb.add_format({"num_format": '0.0":1"'})
        ws = wb.add_worksheet("Roll-up")
        ws.write_row(0, 0, list(ROLLUP_HEADERS), header)
        kinds = {"Spend": money, "CAC": money, "Customers": number, "ROAS": ratio, "Pace": pct}
        for r, res in enumerate(results, start=1):
            row = res.row or {"File": res.source.name, "Status": res.status, "Top trigger": res.message}
            for c, h in enumerate(ROLLUP_HEADERS):
                value = row.get(h)
                if isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)):
                    ws.write_number(r, c, float(value), kinds.get(h))
                elif value is not None and not (isinstance(value, float) and math.isnan(value)):
                    ws.write_string(r, c, str(value))
                else:
                    ws.write_string(r, c, "–")
        ws.add_table(0, 0, max(len(results), 1), len(ROLLUP_HEADERS) - 1,
                     {"columns": [{"header": h} for h in ROLLUP_HEADERS], "style": "Table Style Light 9"})
        ws.freeze_panes(1, 2)
        ws.set_column(0, 1, 24)
        ws.set_column(2, len(ROLLUP_HEADERS) - 1, 14)
        wb.close()
    return path
