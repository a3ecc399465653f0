"""The pipeline for one intake: read → validate → compute → write, in one place.

``mops-xl build`` on one intake, the local batch pool and the Dask workers all call :func:`build_intake`, so a
build option means the same thing whichever way an intake is built.

May import every layer below it (intake, metrics, outputs); the CLI and the batch import it, never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mops_xl.analysis.engine import Analysis, analyse
from mops_xl.errors import IntakeError, OutputError
from mops_xl.intake.load import read_intake
from mops_xl.intake.problems import ValidationReport
from mops_xl.outputs.framework.text import framework_paths, write_framework_files
from mops_xl.outputs.workbook import build_report, check_output_path, default_report_path, export_board_pack
from mops_xl.outputs.workbook.layout.print_setup import DEFAULT_PAPER, PAPER_SIZES


@dataclass(frozen=True)
class BuildOptions:
    """How to build a report, the same for one intake and for a batch.

    Args:
        values_only: Plain values instead of formulas, without the data sheets.
        pdf: Also write the board pack (the leadership sheets) as PDF through LibreOffice.
        paper: The paper every sheet prints on: "a4" or "letter".
    """

    values_only: bool = False
    pdf: bool = False
    paper: str = DEFAULT_PAPER

    def __post_init__(self) -> None:
        if self.paper not in PAPER_SIZES:
            raise ValueError(f"paper {self.paper!r}: expected one of {', '.join(PAPER_SIZES)}")


@dataclass
class Built:
    """What one build produced.

    Args:
        source: The intake.
        validation: Its validation report (warnings and notices; no errors).
        analysis: The engine's results.
        report: The report workbook written.
        framework: The framework files written (Markdown, text).
        pdf: The PDF written, if asked for.
    """

    source: Path
    validation: ValidationReport
    analysis: Analysis
    report: Path
    framework: tuple[Path, Path]
    pdf: Path | None = None


def report_path(source: Path, out: Path | None = None, out_dir: Path | None = None) -> Path:
    """Where the report of ``source`` goes.

    Args:
        source: The intake.
        out: An explicit report path (wins).
        out_dir: A folder for the report, named ``<stem>-report.xlsx`` (a batch's ``-o``).

    Returns:
        The report path; default ``<stem>-report.xlsx`` beside the intake.
    """
    if out is not None:
        return out
    default = default_report_path(source)
    return default if out_dir is None else out_dir / default.name


def build_intake(
    source: Path, out: Path, options: BuildOptions = BuildOptions(), stage: Callable[[str], None] | None = None
) -> Built:
    """Read, validate, compute and write one intake's report, framework files and (optionally) PDF.

    Args:
        source: The intake workbook.
        out: The report path (see :func:`report_path`).
        options: The build options.
        stage: Called with the name of each stage as it starts (a progress display).

    Returns:
        The :class:`Built` outputs.

    Raises:
        IntakeError: The intake has errors; ``exc.report`` lists them all and nothing is written.
        OutputError: The output path is the intake, or cannot be written.
        LibreOfficeError: ``pdf`` was asked for and LibreOffice failed.
    """
    say = stage or (lambda name: None)
    check_output_path(out, source)
    for other in (*framework_paths(out), *([out.with_suffix(".pdf")] if options.pdf else [])):
        if other.exists() and source.exists() and other.resolve() == source.resolve():
            raise OutputError(f"{other}: an output of this build would replace the intake; choose another -o")
    say("Reading and validating")
    intake, validation = read_intake(source)
    if intake is None:
        raise IntakeError(validation)
    say("Computing")
    analysis = analyse(intake)
    say("Writing the report")
    build_report(intake, out, analysis, values_only=options.values_only, paper=options.paper)
    say("Writing the framework")
    framework = write_framework_files(analysis, out)
    pdf = None
    if options.pdf:
        say("Writing the PDF")
        pdf = export_board_pack(out, analysis, paper=options.paper)
    return Built(source, validation, analysis, out, framework, pdf)
