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
from mops_xl.analysis.review import identity_problem
from mops_xl.analysis.review.snapshot import Snapshot, SnapshotError
from mops_xl.atomic import all_or_nothing
from mops_xl.errors import IntakeError, MopsXLError, OutputError
from mops_xl.intake.file import output_kind
from mops_xl.intake.load import read_intake
from mops_xl.intake.model import Intake
from mops_xl.intake.problems import ValidationReport
from mops_xl.outputs.framework.text import framework_paths, rendered_once, write_framework_files
from mops_xl.outputs.own_files import check_replaceable, remove_stale_pdf
from mops_xl.outputs.workbook import build_report, check_output_path, default_report_path, export_board_pack
from mops_xl.outputs.workbook.layout.print_setup import PAPER_SIZES
from mops_xl.outputs.workbook.snapshot_sheet import read_snapshot

#: What a report built before mops-xl kept snapshots needs.
NO_SNAPSHOT = "built before mops-xl kept snapshots: rebuild last week's intake with this version and pass that report"


#: What a workbook that is no mops-xl report is told.
NOT_A_REPORT = (
    "is not a mops-xl report: pass the report last week's build wrote (mops-xl build writes <intake>-report.xlsx)"
)


class PreviousReportError(MopsXLError):
    """The previous report (``--previous``) cannot be compared with this build; the message says why."""


@dataclass(frozen=True)
class PreviousReport:
    """A report of a ``--previous`` folder, as a folder build matches it to an intake.

    Args:
        business: Its business name.
        currency: Its currency.
        as_of: Its Report as of (ISO date).
        path: The report workbook.
    """

    business: str
    currency: str
    as_of: str
    path: Path


@dataclass(frozen=True)
class BuildOptions:
    """How to build a report, the same for one intake and for a batch.

    Args:
        values_only: Plain values instead of formulas, without the data sheets.
        pdf: Also write the board pack (the leadership sheets) as PDF through LibreOffice.
        paper: The paper every sheet prints on: "a4" or "letter"; None: Letter for a USD or CAD business, A4
            otherwise.
        previous: The previous report to say what changed since (one intake; refused when it cannot be compared).
        previous_reports: A folder build's ``--previous`` reports: each intake compares with the latest one of its
            business and currency not after its Report as of, and builds without a comparison when there is none.
        previous_folder: That folder (named when an intake finds no report in it).
        force: Replace files at the output paths that mops-xl did not write (``--force``); without it they are
            refused (see :mod:`mops_xl.outputs.own_files`).
        clashing: A batch's report names (casefolded) that two intakes of different folders share: those reports
            take their folder's name first (see :func:`mops_xl.batch.task.batch_report_path`).
    """

    values_only: bool = False
    pdf: bool = False
    paper: str | None = None
    previous: Path | None = None
    previous_reports: tuple[PreviousReport, ...] = ()
    previous_folder: Path | None = None
    force: bool = False
    clashing: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.paper is not None and self.paper not in PAPER_SIZES:
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
        previous_note: Why a folder build compared this intake with nothing ("" when it did, or was not asked to).
        removed_pdf: The board pack PDF of the previous build, removed because this build wrote none.
    """

    source: Path
    validation: ValidationReport
    analysis: Analysis
    report: Path
    framework: tuple[Path, Path]
    pdf: Path | None = None
    previous_note: str = ""
    removed_pdf: Path | None = None


def build_outputs(report: Path, options: BuildOptions) -> list[Path]:
    """Every file one build writes.

    Args:
        report: The report path.
        options: The build options.

    Returns:
        The report, the framework files and (with ``pdf``) the PDF.
    """
    return [report, *framework_paths(report), *([report.with_suffix(".pdf")] if options.pdf else [])]


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
        OutputError: The output path is the intake, or cannot be written, or holds a file mops-xl did not write
            (without ``options.force``).
        PreviousReportError: ``options.previous`` cannot be compared (no snapshot, a newer one, another business or
            currency, a later Report as of) or would be replaced by the report.
        LibreOfficeError: ``pdf`` was asked for and LibreOffice failed.
    """
    say = stage or (lambda name: None)
    _check_outputs(source, out, options)
    say("Reading and validating")
    intake, validation = read_intake(source)
    if intake is None:
        raise IntakeError(validation)
    previous, note = previous_snapshot(intake, options)
    say("Computing")
    analysis = analyse(intake, previous)
    # one rendering for the Framework sheet and the .txt file; the report and its framework files land together
    with rendered_once(analysis), all_or_nothing():
        say("Writing the report")
        build_report(intake, out, analysis, values_only=options.values_only, paper=options.paper)
        say("Writing the framework")
        framework = write_framework_files(analysis, out)
    pdf = removed = None
    if options.pdf:
        say("Writing the PDF")
        pdf = export_board_pack(out, analysis, paper=options.paper)
    else:
        removed = remove_stale_pdf(out)  # last build's board pack would show last build's figures
    return Built(source, validation, analysis, out, framework, pdf, note, removed)


def _check_outputs(source: Path, out: Path, options: BuildOptions) -> None:
    """Refuse outputs that would replace the intake, the previous report compared with, or a file mops-xl did not
    write (unless ``options.force``), before anything is read.

    Args:
        source: The intake.
        out: The report path.
        options: The build options.

    Raises:
        OutputError: With the file and the way out.
        PreviousReportError: The report would replace ``options.previous``.
    """
    check_output_path(out, source)
    last = options.previous
    if last is not None and last.exists() and out.exists() and last.resolve() == out.resolve():
        raise PreviousReportError(
            f"{out}: this build would replace the previous report it compares with; choose another -o"
        )
    for other in build_outputs(out, options)[1:]:
        if other.exists() and source.exists() and other.resolve() == source.resolve():
            raise OutputError(f"{other}: an output of this build would replace the intake; choose another -o")
    check_replaceable(build_outputs(out, options), force=options.force)


def previous_snapshot(intake: Intake, options: BuildOptions) -> tuple[Snapshot | None, str]:
    """The previous report's snapshot this build compares with, and why there is none for a folder build.

    Args:
        intake: The intake being built.
        options: The build options (``previous`` or ``previous_reports``).

    Returns:
        ``(snapshot or None, note)``.

    Raises:
        PreviousReportError: ``options.previous`` cannot be compared, with the reason.
    """
    b = intake.business
    business, currency, as_of = str(b["Business name"]), str(b["Currency"]), f"{b['Report as of']:%Y-%m-%d}"
    if options.previous is not None:
        return _read_previous(options.previous, business, currency, as_of), ""
    if options.previous_folder is None:
        return None, ""
    found = [
        r
        for r in options.previous_reports
        if r.business.strip().casefold() == business.strip().casefold() and r.currency == currency and r.as_of <= as_of
    ]
    if not found:
        return None, (f"no earlier report of {business} in {options.previous_folder}: built without a comparison")
    latest = max(found, key=lambda r: (r.as_of, str(r.path)))
    return _read_previous(latest.path, business, currency, as_of), ""


def _read_previous(path: Path, business: str, currency: str, as_of: str) -> Snapshot:
    """Read a previous report's snapshot and check it compares with this build, or refuse with the reason."""
    try:
        snapshot = read_snapshot(path)
    except SnapshotError as err:
        raise PreviousReportError(f"--previous {path}: {err}") from None
    if snapshot is None:
        kind = output_kind(path)
        why = NO_SNAPSHOT if kind in ("report", "values-only report") else NOT_A_REPORT
        raise PreviousReportError(f"--previous {path}: {why}")
    reason = identity_problem(snapshot, business, currency, as_of)
    if reason is not None:
        raise PreviousReportError(f"--previous {path}: cannot compare with it: {reason}")
    return snapshot
