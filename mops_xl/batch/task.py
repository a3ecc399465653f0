"""One intake of a batch: build it through the pipeline and never raise (a bad file fails alone)."""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mops_xl.errors import IntakeError
from mops_xl.intake.problems import ValidationReport
from mops_xl.pipeline import BuildOptions, build_intake, report_path


@dataclass
class BatchResult:
    """The outcome of one intake of a batch.

    Args:
        source: The intake.
        status: "built", "invalid" (the intake has errors) or "failed" (an unexpected error).
        report: The report written, if any.
        errors: Number of errors: the intake's (invalid), 1 for a build that failed, 0 for a built one.
        warnings: Number of the intake's warnings (built or invalid), counted apart from the errors.
        message: A one-line reason for a failure, or the first errors; for a built intake of a ``--previous`` folder
            build that found no earlier report of its business, that it was built without a comparison.
        row: The roll-up row (built intakes only).
        document: The JSON document of the intake (built) or its validation report (invalid).
        pdf: The PDF board pack written, if asked for.
        validation: The validation report of a built intake (its warnings and notices).
        removed_pdf: The board pack PDF of the previous build, removed because this build wrote none.
    """

    source: Path
    status: str
    report: Path | None = None
    errors: int = 0
    warnings: int = 0
    message: str = ""
    row: dict[str, Any] = field(default_factory=dict)
    document: dict[str, Any] = field(default_factory=dict)
    pdf: Path | None = None
    validation: ValidationReport | None = None
    removed_pdf: Path | None = None


def folder_name(source: Path) -> str:
    """The name of the folder an intake is in (the absolute path's, so ``intake.xlsx`` alone names the current
    folder).

    Args:
        source: The intake.

    Returns:
        The folder's name ("" for the root).
    """
    return Path(os.path.abspath(source)).parent.name


def batch_report_path(source: Path, out_dir: Path | None, options: BuildOptions) -> Path:
    """Where a batch writes an intake's report: ``<stem>-report.xlsx`` in ``out_dir`` (beside the intake without
    one), or ``<folder>-<stem>-report.xlsx`` when intakes of different folders share that name
    (``options.clashing``): an agency's ``acme/intake.xlsx`` and ``globex/intake.xlsx`` give
    ``acme-intake-report.xlsx`` and ``globex-intake-report.xlsx``.

    Args:
        source: The intake.
        out_dir: The batch's output folder (None: beside each intake).
        options: The build options.

    Returns:
        The report path.
    """
    path = report_path(source, out_dir=out_dir)
    if out_dir is None or path.name.casefold() not in options.clashing:
        return path
    return path.with_name(f"{folder_name(source)}-{path.name}")


def build_one(source: Path, out_dir: Path | None, options: BuildOptions | None = None) -> BatchResult:
    """Validate, compute and write one intake's outputs through the pipeline; never raises.

    Args:
        source: The intake.
        out_dir: The folder for the outputs (None: beside the intake).
        options: The build options, the same as for a single build.

    Returns:
        The :class:`BatchResult`.
    """
    from mops_xl.batch.rollup import rollup_row
    from mops_xl.outputs.json_output import to_dict

    options = options or BuildOptions()
    try:
        built = build_intake(source, batch_report_path(source, out_dir, options), options)
    except IntakeError as exc:
        report = exc.report
        first = "; ".join(str(p) for p in report.errors[:3])
        return BatchResult(
            source,
            "invalid",
            errors=len(report.errors),
            warnings=len(report.warnings),
            message=first,
            document=report.to_dict(),
        )
    except Exception as exc:  # one bad file must never stop the batch
        return BatchResult(
            source,
            "failed",
            errors=1,
            message=f"{type(exc).__name__}: {exc}",
            document={"error": traceback.format_exc(limit=3)},
        )
    row = rollup_row(built.analysis, source, built.report)
    if built.report.name != report_path(source, out_dir=out_dir).name:  # a name two folders share: say which
        row["File"] = f"{folder_name(source)}/{source.name}"
    return BatchResult(
        source,
        "built",
        built.report,
        warnings=len(built.validation.warnings),
        row=row,
        document=to_dict(built.analysis),
        pdf=built.pdf,
        validation=built.validation,
        message=built.previous_note,
        removed_pdf=built.removed_pdf,
    )
