"""The ``mops-xl`` command: a thin layer over the library.

Exit codes: 0 success (warnings allowed), 2 the input or the command line is wrong, 1 an unexpected
failure (a short message on the terminal; the traceback goes to a log file, never to the terminal).
"""

from __future__ import annotations

import functools
import os
import re
import signal
import stat
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mops_xl import __version__
from mops_xl.errors import MopsXLError, OutputError
from mops_xl.intake.problems import ValidationReport
from mops_xl.plural import count

if TYPE_CHECKING:
    from mops_xl.batch.task import BatchResult
    from mops_xl.importers.exports import ExportReading
    from mops_xl.importers.formats import ExportFormat
    from mops_xl.intake.model import Intake

EXIT_INPUT = 2
EXIT_UNEXPECTED = 1
#: Where unexpected failures are logged: a new file in a private folder of the temp folder (see :func:`write_log`).
LOG_FOLDER = Path(tempfile.gettempdir()) / f"mops-xl-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
#: C0 and C1 control characters (escape sequences can retitle or clear a terminal), but not newline and tab.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(text: Any) -> str:
    """Text for the terminal with the control characters an intake may carry removed (``ESC]0;…`` retitles the
    window, ``ESC[2J`` clears it); zero-width joiners and right-to-left marks are text and stay.

    Args:
        text: What to print.

    Returns:
        The text, safe to print.
    """
    return _CONTROL.sub("", str(text))


def echo(message: Any = "", **kwargs: Any) -> None:
    """:func:`click.echo` of :func:`terminal_text`."""
    click.echo(terminal_text(message), **kwargs)


def write_log(text: str) -> Path:
    """Write an error log safely: in a private folder (0700, ours, not a symlink), in a new file (``O_EXCL``,
    ``O_NOFOLLOW``, 0600), so a link planted in the temp folder is never written through.

    Args:
        text: The log.

    Returns:
        The log file.

    Raises:
        OSError: No safe place could be made.
    """
    folder = LOG_FOLDER
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        info = os.lstat(folder)
        mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
        if not stat.S_ISDIR(info.st_mode) or not mine or info.st_mode & 0o077:
            folder = Path(tempfile.mkdtemp(prefix="mops-xl-"))  # someone else's, or a link: a fresh one
    fd, name = tempfile.mkstemp(prefix="error-", suffix=".log", dir=folder)  # O_EXCL: never an existing file
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return Path(name)


class InputProblem(click.ClickException):
    """The input or the output location is wrong: exit code 2."""

    exit_code = EXIT_INPUT


def _guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn unexpected exceptions into a short message, a log file and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except OutputError as exc:
            raise InputProblem(terminal_text(exc)) from None
        except OSError as exc:  # e.g. a full disk while writing
            raise InputProblem(terminal_text(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))) from None
        except MopsXLError as exc:
            raise InputProblem(terminal_text(exc)) from None
        except Exception as exc:  # the promise: no traceback on the terminal
            try:
                where = f"details in {write_log(traceback.format_exc())}"
            except OSError:
                where = "details could not be logged"
            echo(f"Error: unexpected failure ({type(exc).__name__}: {exc}); {where}", err=True)
            sys.exit(EXIT_UNEXPECTED)

    return wrapper


def _show_report(report: ValidationReport, *, as_json: bool, verbose: bool) -> None:
    if as_json:
        echo(report.to_json())
    else:
        echo(report.format(include_info=verbose))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mops-xl")
def cli() -> None:
    """Marketing-operations intake workbook in, leadership report workbook out.

    \b
    Example:
        mops-xl init intake.xlsx          # a blank intake to fill in
        mops-xl validate intake.xlsx      # every mistake at once
        mops-xl build intake.xlsx         # writes intake-report.xlsx
    """


@cli.command()
@click.argument("path", default="intake.xlsx", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--example", is_flag=True, help="Write a filled example instead of the blank template.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@_guarded
def init(path: Path, example: bool, force: bool) -> None:
    """Write a blank intake workbook to PATH (default intake.xlsx).

    \b
    Example:
        mops-xl init acme-q3.xlsx
        mops-xl init --example example.xlsx
    """
    from mops_xl.intake.template import write_intake

    if path.exists() and not force:
        raise InputProblem(f"{path} already exists; use --force to overwrite it")
    if not path.parent.is_dir():
        raise InputProblem(f"{path.parent}: the folder does not exist")
    data = None
    if example:
        from mops_xl.intake.example import example_data

        data = example_data()
    write_intake(path, data)
    echo(f"Wrote {'example' if example else 'blank'} intake to {path}")


@cli.command()
@click.argument("intake", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("-v", "--verbose", is_flag=True, help="Also list notices (ignored extras, defaults applied).")
@_guarded
def validate(intake: Path, as_json: bool, verbose: bool) -> None:
    """Check an intake workbook and list every problem at once.

    Errors come first, then warnings, each with its place, e.g.
    Actuals!D7: Spend must be a number, got "twelve". Exit code 2 when there are errors.

    \b
    Example:
        mops-xl validate intake.xlsx
        mops-xl validate --json intake.xlsx > problems.json
    """
    from mops_xl.intake.load import validate_intake

    report = validate_intake(intake)
    _show_report(report, as_json=as_json, verbose=verbose)
    if not report.valid:
        sys.exit(EXIT_INPUT)


@cli.command()
@click.argument("intakes", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Report path (default: <intake stem>-report.xlsx beside the intake), or a folder to write "
    "<intake stem>-report.xlsx into (a folder, a name ending in / or a name without a suffix, e.g. reports/); with "
    "several intakes, a folder. Missing folders are created.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace files at the output paths that mops-xl did not write (without it they are refused; earlier "
    "mops-xl outputs are always replaced).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 256),
    default=None,
    help="Intakes built in parallel (several intakes or a folder; default: the number of cores).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Build on a Dask cluster, one task per intake (e.g. tcp://host:8786; needs "
    "pip install 'mops-xl[dask]', and the workers must see the intakes and the -o folder at the "
    "same paths); --jobs is then ignored.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print every computed figure as one JSON document on stdout (the report is still written).",
)
@click.option(
    "--values-only",
    is_flag=True,
    help="Plain values instead of formulas, without the data sheets: for sharing outside the team.",
)
@click.option(
    "--pdf",
    is_flag=True,
    help="Also write the board pack as PDF: the leadership sheets, without the data sheets (needs LibreOffice).",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"], case_sensitive=False),
    default=None,
    help="The paper every sheet (and the PDF) prints on (default: letter for a USD or CAD business, a4 otherwise).",
)
@click.option(
    "--plan-csv",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write each channel's planned spend per day for the rest of the period as CSV (Channel, Date, "
    "Planned spend), for an ad platform's bulk editor or a budget sheet; one intake only.",
)
@click.option(
    "--previous",
    type=click.Path(exists=True, path_type=Path),
    help="Last week's report (built by this version of mops-xl): the report then says what changed since, from the "
    "snapshot that report carries. With a folder or several intakes, a folder of last week's reports: each intake "
    "compares with the latest report of its business (none found: built without a comparison, and said).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also list notices (ignored extras, defaults applied).")
@_guarded
def build(
    intakes: tuple[Path, ...],
    output: str | None,
    jobs: int | None,
    as_json: bool,
    values_only: bool,
    pdf: bool,
    quiet: bool,
    verbose: bool,
    scheduler: str | None = None,
    paper: str | None = None,
    plan_csv: Path | None = None,
    previous: Path | None = None,
    force: bool = False,
) -> None:
    """Validate an intake, compute every metric and write its report workbook.

    Writes the report workbook and, beside it, the framework text (.txt and .md). Prints the headline, the KPI
    boxes (worst first), the actions that ask for something (one per channel, by the money at stake), where the
    period lands (each KPI with a target, and spend against the budget), the plan for the rest of the period, the
    decisions for leadership and what the figures found to check (a channel whose data stops early, blank funnel
    days …); with --previous, what changed since.
    Errors stop the build (exit code 2) with the same report as `validate`. --plan-csv takes one intake: with a
    folder or several intakes it is refused (exit code 2); build each intake on its own to write its plan.
    --previous refuses (exit code 2) a report of another business or currency, one with a later Report as of, one
    built before mops-xl kept snapshots and one of a newer snapshot version than this mops-xl reads.

    \b
    Example:
        mops-xl build intake.xlsx
        mops-xl build intake.xlsx -o acme-q3.xlsx
        mops-xl build intake.xlsx --json > acme-q3.json
        mops-xl build intake.xlsx --values-only --pdf -o acme-q3-board.xlsx   # to share outside the team
        mops-xl build intake.xlsx --pdf --paper letter
        mops-xl build intake.xlsx --plan-csv acme-q3-plan.csv   # daily spend per channel to period end
        mops-xl build intake.xlsx -o acme-09-10.xlsx --previous acme-09-03.xlsx   # what changed since
        mops-xl build clients/ -o reports/ --jobs 4      # a folder's intakes (and its sub-folders'), plus a roll-up
        mops-xl build teams/ -o reports/ --scheduler tcp://host:8786   # the same, on a Dask cluster
    """
    from mops_xl.pipeline import BuildOptions

    no_libreoffice = pdf and _soffice_missing()  # the workbook and framework are still written, then exit 2
    batch = len(intakes) > 1 or intakes[0].is_dir() or scheduler is not None
    options = BuildOptions(
        values_only=values_only,
        pdf=pdf and not no_libreoffice,
        paper=paper.lower() if paper else None,
        force=force,
        **_previous_options(previous, batch),
    )
    if plan_csv is not None:
        _check_plan_csv(plan_csv, batch, force)
    if batch:
        built = _build_batch(list(intakes), output, jobs, as_json, options, quiet, scheduler, verbose=verbose)
    else:
        report, made = _one_report_path(intakes[0], output)
        try:
            _check_previous_folder(options.previous_folder, [report.parent])
            _build_one(intakes[0], report, options, as_json=as_json, quiet=quiet, verbose=verbose, plan_csv=plan_csv)
        except (InputProblem, SystemExit):  # an intake with errors writes nothing, not even an empty folder
            _remove_made_folders(report.parent, made)
            raise
        built = True
    if no_libreoffice:
        from mops_xl.outputs.libreoffice import install_hint

        raise InputProblem(
            install_hint(
                "--pdf needs LibreOffice, which was not found: the report and the framework were written, "
                "the PDF was not"
            )
        )
    if not built:
        sys.exit(EXIT_INPUT)


def _soffice_missing() -> bool:
    """Whether LibreOffice cannot be found (asked only for ``--pdf``: its module is imported here, not at start)."""
    from mops_xl.outputs.libreoffice import find_soffice

    return find_soffice() is None


def _previous_options(previous: Path | None, batch: bool) -> dict[str, Any]:
    """The build options of ``--previous``: one report, or a folder of reports each intake is matched in.

    Args:
        previous: The ``--previous`` path (None: no comparison).
        batch: Whether several intakes (or a folder, or a Dask cluster) are built.

    Returns:
        The keyword arguments of :class:`~mops_xl.pipeline.BuildOptions`.

    Raises:
        InputProblem: A file with a folder build.
    """
    if previous is None:
        return {}
    if not previous.is_dir():
        if batch:
            raise InputProblem(
                f"--previous {previous}: with a folder or several intakes, --previous names a folder of last week's "
                "reports"
            )
        return {"previous": previous}
    from mops_xl.batch.previous import previous_reports

    return {"previous_reports": previous_reports(previous), "previous_folder": previous}


def _check_previous_folder(previous: Path | None, outputs: list[Path]) -> None:
    """Refuse a ``--previous`` folder the new reports would be written into (they would replace the reports they
    compare with).

    Args:
        previous: The ``--previous`` path.
        outputs: The folders the reports go to.

    Raises:
        InputProblem: With the reason.
    """
    if previous is None or not previous.is_dir():
        return
    if any(folder.resolve() == previous.resolve() for folder in outputs):
        raise InputProblem(
            f"--previous {previous}: the new reports would be written into it, replacing the reports they compare "
            "with; write them into another folder with -o"
        )


def _check_plan_csv(path: Path, batch: bool, force: bool = False) -> None:
    """Refuse ``--plan-csv`` for a batch, or a path it cannot be written to, before anything is built.

    Args:
        path: The ``--plan-csv`` path.
        batch: Whether several intakes (or a folder, or a Dask cluster) are built.
        force: ``--force``: replace a file there that mops-xl did not write.

    Raises:
        InputProblem: Exit code 2, with the reason.
    """
    from mops_xl.outputs.own_files import check_replaceable
    from mops_xl.outputs.plan_csv import check_plan_csv_path

    if batch:
        raise InputProblem(
            "--plan-csv writes the plan of one intake; with a folder, several intakes or --scheduler, build each "
            "intake on its own with its --plan-csv"
        )
    check_plan_csv_path(path)
    check_replaceable([path], force=force, how="choose another --plan-csv path")


def _one_report_path(intake: Path, output: str | None) -> tuple[Path, Path | None]:
    """One intake's report path: ``-o`` as given, or, when it names a folder (see :func:`_names_folder`), the default
    name in it; a missing folder is created.

    Args:
        intake: The intake.
        output: ``-o`` as typed.

    Returns:
        The report path, and the topmost folder created for it (None when every folder existed).
    """
    from mops_xl.pipeline import report_path

    if output is None:
        return report_path(intake), None
    target = Path(output)
    report = report_path(intake, out_dir=target) if _names_folder(output) else report_path(intake, target)
    return report, _make_folder(report.parent)


def _remove_made_folders(folder: Path, topmost: Path | None) -> None:
    """Remove the folders made for a report that was not written, from ``folder`` up to ``topmost``, while empty.

    Args:
        folder: The report's folder.
        topmost: The topmost folder made for it (None: none was made).
    """
    if topmost is None:
        return
    for made in [folder, *folder.parents]:
        try:
            made.rmdir()  # only an empty folder goes
        except OSError:
            return
        if made == topmost:
            return


def _names_folder(output: str) -> bool:
    """Whether one intake's ``-o`` names a folder: it ends in a separator (``reports/``), is an existing folder, or
    does not exist and has no suffix (``json-run``). A folder whose name ends in .xlsx is refused: the report would
    go inside what reads as the report's own name.

    Args:
        output: ``-o`` as typed.

    Returns:
        True for a folder.

    Raises:
        InputProblem: A folder named like a workbook, given without the trailing separator.
    """
    path = Path(output)
    if output.endswith(("/", os.sep)):
        return True
    if path.is_dir():
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            raise InputProblem(
                f"{output} is a folder: -o names the report's file, and a folder cannot be replaced by one; choose "
                f"another name, or write {output}{os.sep} to put the report inside that folder"
            )
        return True
    return not path.exists() and not path.suffix


def _make_folder(folder: Path) -> Path | None:
    """Create an output folder (and the folders above it) that does not exist yet.

    Args:
        folder: The folder.

    Returns:
        The topmost folder created (None when it existed).

    Raises:
        InputProblem: It cannot be created (a file of that name, no permission).
    """
    if folder.is_dir():
        return None
    topmost = folder
    while not topmost.parent.exists() and topmost.parent != topmost:
        topmost = topmost.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputProblem(f"{folder}: the output folder cannot be created ({exc.strerror or exc})") from None
    return topmost


def _build_one(
    intake: Path,
    report_file: Path,
    options: Any,
    *,
    as_json: bool,
    quiet: bool,
    verbose: bool,
    plan_csv: Path | None = None,
) -> None:
    """Build one intake through the pipeline, with a progress display; write its plan CSV if asked; print its
    summary or its JSON."""
    from mops_xl.errors import IntakeError
    from mops_xl.pipeline import build_intake
    from mops_xl.progress import Progress

    try:
        with Progress(enabled=not quiet) as progress:
            built = build_intake(intake, report_file, options, stage=progress.stage)
    except IntakeError as exc:
        if as_json:
            echo(exc.report.to_json())
        else:
            echo(exc.report.format(include_info=verbose), err=quiet)
        sys.exit(EXIT_INPUT)
    planned = _write_plan_csv(built.analysis, plan_csv) if plan_csv is not None else ""
    _say_removed_pdf(built.removed_pdf, quiet)
    if as_json:
        import json

        from mops_xl.outputs.json_output import to_dict

        echo(json.dumps(to_dict(built.analysis), indent=2, ensure_ascii=False, allow_nan=False))
        if not quiet:
            echo(f"Wrote report to {built.report}", err=True)
            if planned:
                echo(planned, err=True)
    elif not quiet:
        from mops_xl.outputs.json_output import terminal_summary

        report = built.validation
        if report.warnings or (verbose and report.infos):
            echo(report.format(include_info=verbose))
        echo(terminal_summary(built.analysis))
        changes = built.analysis.changes
        for line in filter(None, (changes.summary if changes is not None else "", built.previous_note)):
            echo(line)  # what changed since the previous report, or why there was none to compare with
        echo(f"Wrote report to {built.report}" + (f" and {built.pdf}" if built.pdf else ""))
        echo("Wrote the framework to " + " and ".join(str(p) for p in built.framework))
        if planned:
            echo(planned)


def _say_removed_pdf(pdf: Path | None, quiet: bool) -> None:
    """Say on stderr that a rebuild without ``--pdf`` removed the previous build's PDF (None: nothing removed)."""
    if pdf is not None and not quiet:
        echo(f"Removed last build's {pdf.name}: it no longer matches the workbook", err=True)


def _write_plan_csv(analysis: Any, path: Path) -> str:
    """Write the plan CSV of a built intake.

    Args:
        analysis: The intake's analysis.
        path: The ``--plan-csv`` path.

    Returns:
        What was written, in one line.
    """
    from mops_xl.outputs.plan_csv import write_plan_csv

    rows = write_plan_csv(analysis.plan, analysis.window.as_of, path)
    return f"Wrote the plan for the rest of the period to {path} ({count(rows, 'row')})"


@cli.command()
@click.argument("intake", type=click.Path(path_type=Path))
@click.option(
    "--section",
    type=click.Choice(["business", "stack", "campaigns", "channels", "kpis", "cadence", "team", "maturity"]),
    help="Print one section only.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["txt", "md"]),
    default="txt",
    show_default=True,
    help="Plain text with box drawing, or Markdown.",
)
@_guarded
def framework(intake: Path, section: str | None, fmt: str) -> None:
    """Print the Marketing Operations Framework filled from an intake.

    Sections, in order: business, stack, campaigns, channels, kpis, cadence, team, maturity.

    \b
    Example:
        mops-xl framework intake.xlsx
        mops-xl framework intake.xlsx --section kpis
        mops-xl framework intake.xlsx --format md > framework.md
    """
    from mops_xl.analysis.engine import analyse
    from mops_xl.intake.load import read_intake
    from mops_xl.outputs.framework.text import render_framework

    loaded, report = read_intake(intake)
    if loaded is None:
        echo(report.format(), err=True)
        sys.exit(EXIT_INPUT)
    echo(render_framework(analyse(loaded), fmt, section), nl=False)


@cli.command(name="import")
@click.argument("intake", type=click.Path(path_type=Path))
@click.option(
    "--actuals", type=click.Path(path_type=Path), help="An ad-platform export (CSV) whose rows are appended to Actuals."
)
@click.option(
    "--touchpoints",
    type=click.Path(path_type=Path),
    help="A journey export (CSV, one row per touch) whose rows are appended to Touchpoints.",
)
@click.option(
    "--source",
    type=click.Choice(["google-ads", "meta-ads", "linkedin-ads", "tiktok-ads", "microsoft-ads", "generic"]),
    help="The export's platform (its columns, dates and currency as downloaded); default: recognised from the "
    "export's title lines and headers (generic with --map). Touchpoints take generic only.",
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="COLUMN=HEADER",
    help="An intake column and the export's header, e.g. --map Spend=cost (columns whose header is "
    "their own name need none).",
)
@click.option("--channel", help="The channel of every row (default: the platform's name, or a Channel column).")
@click.option(
    "--date-format",
    type=click.Choice(["MM/DD/YYYY", "DD/MM/YYYY"]),
    help="How the export writes numeric dates, for a file where 03/04/2026 could be either.",
)
@click.option("--decimal-comma", is_flag=True, help="The export writes 1.234,56 (default: detected from its numbers).")
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    help="Convert the export's amounts into the intake's currency: intake currency per 1 unit of the export's.",
)
@click.option(
    "--spread-days",
    is_flag=True,
    help="Spread a row that covers several days (an export not broken down by day) evenly over its days.",
)
@click.option(
    "--replace", is_flag=True, help="Replace the intake's Actuals rows of the same date, channel and campaign."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The new intake (default: <intake stem>-imported.xlsx); never the intake itself.",
)
@click.option("--force", is_flag=True, help="Replace the file at the new intake's path (without it, it is refused).")
@_guarded
def import_(
    intake: Path,
    actuals: Path | None,
    touchpoints: Path | None,
    source: str | None,
    mapping: tuple[str, ...],
    channel: str | None,
    date_format: str | None,
    decimal_comma: bool,
    rate: float | None,
    spread_days: bool,
    replace: bool,
    output: Path | None,
    force: bool = False,
) -> None:
    """Append an export's rows to Actuals or Touchpoints, in a new intake.

    Give exactly one of --actuals and --touchpoints. Without --source, the platform is recognised from the
    export's title lines and headers, and the import says which it took. Every cell of the export is validated
    first, and every
    Actuals channel must be in the intake's Channels; a bad cell is named (export.csv!C7), exit code 2. A touch
    on a channel outside Channels, such as (direct), is imported with a warning. The export's currency (a
    currency column or a header such as "Amount spent (EGP)") must be the intake's, unless --rate converts it;
    a row covering several days is refused unless --spread-days; rows the intake already has (same date,
    channel and campaign) are refused unless --replace. The new intake keeps every sheet and column of the old
    one and records the import in its Import log sheet.

    \b
    Example:
        mops-xl import intake.xlsx --actuals google-ads.csv --source google-ads
        mops-xl import intake.xlsx --actuals meta.csv --source meta-ads --rate 0.0205   # EGP export, USD intake
        mops-xl import intake.xlsx --actuals spend.csv --map Date=day --map Spend=cost --channel Bing -o new.xlsx
        mops-xl import intake.xlsx --touchpoints journeys.csv --map "Journey ID=user_id" --map Timestamp=time
    """
    from mops_xl.importers.append import import_rows
    from mops_xl.importers.exports import DATE_FORMATS, ImportOptions, read_export
    from mops_xl.intake.load import read_intake

    sheet, export, source = _import_source(actuals, touchpoints, source, mapped=bool(mapping))
    sheet, export, fmt = _import_export(actuals, touchpoints, source, mapping)
    out = _import_output(intake, export, output, force)
    loaded, report = read_intake(intake)
    if loaded is None:
        echo(report.format())
        sys.exit(EXIT_INPUT)
    options = ImportOptions(
        channel=channel,
        date_order=DATE_FORMATS.get(date_format or "", ""),
        decimal_comma=True if decimal_comma else None,
        rate=rate,
        spread=spread_days,
        replace=replace,
    )
    problems = ValidationReport(source=export.name)
    reading = read_export(export, fmt, options, loaded.business["Currency"], problems)
    written, said = (
        (None, [])
        if reading is None
        else import_rows(loaded, sheet, reading, out, problems, export.name, options, source)
    )
    if reading is None or written is None:  # every problem of the export at once; nothing written
        echo(problems.format())
        sys.exit(EXIT_INPUT)
    if problems.problems:  # warnings (e.g. a touch outside Channels): said, but the rows are imported
        echo(problems.format())
    _say_imported(loaded, sheet, reading, export.name, said, written)


@cli.command()
@click.argument("intake", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The upgraded intake (default: <intake stem>-upgraded.xlsx); never the intake itself.",
)
@click.option("--force", is_flag=True, help="Replace the output if it exists (never the intake itself).")
@_guarded
def upgrade(intake: Path, output: Path | None, force: bool) -> None:
    """Write an intake again on the current template, keeping every value.

    The new intake has the current template's dropdowns (a Channel column offers the Channels sheet's names),
    the columns and fields added since (blank, or their default), the help and the Instructions sheet; every
    value, extra sheet and extra column of INTAKE stays. INTAKE is only read: the new intake goes to -o (an
    existing file only with --force). Exit code 2 when INTAKE cannot be read or -o is INTAKE.

    \b
    Example:
        mops-xl upgrade acme.xlsx                      # writes acme-upgraded.xlsx
        mops-xl upgrade acme.xlsx -o acme-2027.xlsx
    """
    from mops_xl.importers.upgrade import check_old_intake, upgrade_intake, upgraded_path

    report = check_old_intake(intake)
    if not report.valid:
        echo(report.format())
        sys.exit(EXIT_INPUT)
    out = upgraded_path(intake, output, force=force)
    for line in upgrade_intake(intake, out):
        echo(line)
    echo(f"Wrote {out}: {intake.name} on the current template ({intake.name} is unchanged)")


def _import_source(
    actuals: Path | None, touchpoints: Path | None, source: str | None, *, mapped: bool
) -> tuple[str, Path, str]:
    """The ``--source``, or the platform recognised from the export (said on the terminal); generic with ``--map``.

    Args:
        actuals: ``--actuals``.
        touchpoints: ``--touchpoints``.
        source: ``--source``, if given.
        mapped: Whether ``--map`` names export headers (the export is then generic unless ``--source`` says).

    Returns:
        ``(sheet, export, source)``.

    Raises:
        click.UsageError: Not exactly one of ``--actuals`` and ``--touchpoints``.
        MopsXLError: The export fits several platforms equally (naming them and the ``--source`` values).
    """
    from mops_xl.importers.detect import recognise_source

    if (actuals is None) == (touchpoints is None):
        raise click.UsageError("give exactly one of --actuals EXPORT.csv and --touchpoints EXPORT.csv")
    sheet, given = ("Actuals", actuals) if actuals is not None else ("Touchpoints", touchpoints)
    assert given is not None  # exactly one of the two, checked above
    if source is not None or mapped:
        return sheet, given, source or "generic"
    recognised = recognise_source(given, sheet)
    if recognised.line:
        echo(recognised.line)
    return sheet, given, recognised.source


def _import_export(
    actuals: Path | None, touchpoints: Path | None, source: str, mapping: tuple[str, ...]
) -> tuple[str, Path, ExportFormat]:
    """The sheet the export goes to, the export and its format (the platform's columns with the ``--map`` ones).

    Args:
        actuals: ``--actuals``.
        touchpoints: ``--touchpoints``.
        source: ``--source``.
        mapping: The ``--map COLUMN=HEADER`` options.

    Returns:
        ``(sheet, export, format)``.

    Raises:
        click.UsageError: Not exactly one of ``--actuals`` and ``--touchpoints``.
        InputProblem: A ``--map`` without ``=``.
    """
    from mops_xl.importers.formats import mapping_for

    if (actuals is None) == (touchpoints is None):
        raise click.UsageError("give exactly one of --actuals EXPORT.csv and --touchpoints EXPORT.csv")
    sheet, given = ("Actuals", actuals) if actuals is not None else ("Touchpoints", touchpoints)
    assert given is not None  # exactly one of the two, checked above
    bad = [m for m in mapping if "=" not in m]
    if bad:
        raise InputProblem(f'--map {bad[0]}: expected COLUMN=HEADER, e.g. --map "Journey ID=user_id"')
    return sheet, given, mapping_for(source, dict(m.split("=", 1) for m in mapping), sheet)


def _import_output(intake: Path, export: Path, output: Path | None, force: bool = False) -> Path:
    """The new intake's path (default: ``<intake stem>-imported.xlsx``), checked to be neither input, nor a file
    there already (an intake someone may have edited since) unless ``force``.

    Args:
        intake: The intake imported into.
        export: The export imported.
        output: ``-o``, if given.
        force: ``--force``: replace a file at that path.

    Returns:
        The path to write.

    Raises:
        InputProblem: The path is the export (the intake itself is refused by ``check_output_path``).
    """
    from mops_xl.outputs.workbook import check_output_path

    out = output or intake.with_name(f"{intake.stem}-imported.xlsx")
    check_output_path(out, intake)
    if out.exists() and export.exists() and out.resolve() == export.resolve():
        raise InputProblem(f"{out}: the output path is the export itself; choose another path with -o")
    from mops_xl.outputs.own_files import check_replaceable

    check_replaceable([out], force=force)
    return out


def _say_imported(
    loaded: Intake, sheet: str, reading: ExportReading, export_name: str, said: list[str], written: Path
) -> None:
    """Print what the import did: the lines left out, where each column came from, the rows appended.

    Args:
        loaded: The intake imported into.
        sheet: The sheet the rows went to.
        reading: The export as read.
        export_name: The export's file name.
        said: What appending the rows said.
        written: The new intake.
    """
    from mops_xl.importers.append import skipped_note
    from mops_xl.importers.exports import describe

    rows = reading.rows
    skipped = skipped_note(rows, export_name)
    if skipped:
        echo(skipped)
    for line in describe(reading, sheet, export_name) + said:
        echo(line)
    echo(f"Appended {count(len(rows), 'row')} from {export_name} to {sheet}; wrote {written}")
    if sheet == "Touchpoints" and loaded.table("Touchpoints").empty and not loaded.table("Paths").empty:
        echo("Note: attribution uses Touchpoints over Paths, so the intake's Paths sheet is no longer used")


def _build_batch(
    paths: list[Path],
    output_given: str | None,
    jobs: int | None,
    as_json: bool,
    options: Any,
    quiet: bool,
    scheduler: str | None = None,
    *,
    verbose: bool = False,
) -> bool:
    """Build several intakes in parallel or on a Dask cluster; print a summary or one JSON array; write the roll-up.

    Each built intake's PDF is named; with ``-v`` its warnings and notices are listed, as for one intake. Intakes of
    different folders that share a name get their folder's name first in their reports' names.

    Returns:
        Whether every intake was built.
    """
    import dataclasses

    from mops_xl.batch import build_many, check_batch_outputs, find_intakes, rollup_path, write_rollup
    from mops_xl.batch.collisions import clashing_names

    output = _batch_folder(output_given, paths)
    sources = find_intakes(paths)
    if not sources:
        odd = [p for p in paths if p.is_dir() and p.suffix.lower() in (".xlsx", ".xlsm")]
        hint = f" ({odd[0]} is a folder, though its name ends in {odd[0].suffix})" if odd else ""
        raise InputProblem("no .xlsx intake found in " + ", ".join(str(p) for p in paths) + hint)
    options = dataclasses.replace(options, clashing=clashing_names(sources, output))
    check_batch_outputs(sources, output, options)
    _check_previous_folder(options.previous_folder, [output] if output is not None else [s.parent for s in sources])
    if output is not None:
        _make_folder(output)
    rollup_target = rollup_path(output or sources[0].parent, sources)
    if scheduler is None:
        results = build_many(sources, output, jobs, options)
    else:
        from mops_xl.progress import Progress

        with Progress(enabled=not quiet) as progress:
            results = build_many(sources, output, options=options, scheduler=scheduler, progress=progress.update)
    rollup = write_rollup(results, rollup_target)
    if as_json:
        echo(_batch_json(results))
    elif not quiet:
        _print_batch_table(results, rollup, verbose=verbose)
    for r in results:
        _say_removed_pdf(r.removed_pdf, quiet)
    return all(r.status == "built" for r in results)


def _batch_folder(output: str | None, paths: list[Path]) -> Path | None:
    """A batch's ``-o``: a folder (created later if missing), never a workbook's name or an existing file.

    Args:
        output: ``-o`` as typed (None: each report beside its intake).
        paths: The intakes and folders given.

    Returns:
        The folder, or None.

    Raises:
        InputProblem: ``-o`` is a file, or a name ending in .xlsx (with a hint when an intake given is a folder
            whose name ends in .xlsx).
    """
    if output is None:
        return None
    folder = Path(output)
    if folder.is_dir():
        return folder
    workbook_name = folder.suffix.lower() in (".xlsx", ".xlsm") and not output.endswith(("/", os.sep))
    if folder.exists() or workbook_name:
        odd = [p for p in paths if p.is_dir() and p.suffix.lower() in (".xlsx", ".xlsm")]
        hint = (
            f" ({odd[0]} is a folder, though its name ends in {odd[0].suffix}, so it was read as a folder of intakes)"
            if odd
            else ""
        )
        raise InputProblem(
            f"{output}: with several intakes, a folder or --scheduler, -o must name a folder (e.g. reports/), "
            f"not a file{hint}"
        )
    return folder


def _batch_json(results: list[BatchResult]) -> str:
    """The ``--json`` of a batch: one object per intake (its file, status, outputs, errors and warnings counted apart,
    and result).

    Args:
        results: The intakes' results, in order.

    Returns:
        The JSON array.
    """
    import json

    return json.dumps(
        [
            {
                "file": str(r.source),
                "status": r.status,
                "report": str(r.report or ""),
                "pdf": str(r.pdf or ""),
                "errors": r.errors,
                "warnings": r.warnings,
                "message": r.message,
                "result": r.document,
            }
            for r in results
        ],
        indent=2,
        ensure_ascii=False,
        allow_nan=False,
    )


def _print_batch_table(results: list[BatchResult], rollup: Path, *, verbose: bool) -> None:
    """Print one line per intake (status, errors, warnings, what was written or why not), then the roll-up's path.

    Args:
        results: The intakes' results, in order.
        rollup: The roll-up written.
        verbose: Also list each built intake's warnings and notices (``-v``).
    """
    from mops_xl.batch.task import folder_name

    names = [r.source.name for r in results]
    labels = [f"{folder_name(r.source)}/{n}" if names.count(n) > 1 else n for r, n in zip(results, names, strict=True)]
    width = max(len(label) for label in labels)
    echo(f"{'File':<{width}}  {'Status':<8}  {'Errors':>6}  {'Warnings':>8}  Report or reason")
    for r, label in zip(results, labels, strict=True):
        detail = (str(r.report) + (f" and {r.pdf}" if r.pdf else "")) if r.report else r.message
        echo(f"{label:<{width}}  {r.status:<8}  {r.errors:>6}  {r.warnings:>8}  {detail}")
    for r, label in zip(results, labels, strict=True):
        if r.report and r.message:
            echo(f"{label}: {r.message}")
    for r, label in zip(results, labels, strict=True):
        if verbose and r.validation is not None and (r.validation.warnings or r.validation.infos):
            echo(f"\n{label}:")
            echo(r.validation.format(include_info=verbose))
    echo(f"Wrote the roll-up to {rollup}")


def _terminate(signum: int, frame: Any) -> None:
    """TERM and HUP end the command like an interrupt: every ``finally`` runs, so no temporary file is left."""
    raise SystemExit(128 + signum)


def _quiet_unraisable(unraisable: Any) -> None:
    """An error Python cannot raise (e.g. XlsxWriter's zip file closed by the garbage collector on a full disk) goes
    to the log, never to the terminal as a traceback."""
    try:
        text = "".join(traceback.format_exception(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback))
        write_log(f"{unraisable.err_msg or 'Exception ignored'}: {unraisable.object!r}\n{text}")
    except Exception:  # noqa: BLE001, S110 - nothing more can be done, and nothing may be printed
        pass


#: The BLAS libraries' thread pools (numpy's OpenBLAS; MKL in some distributions) get one thread unless the user set
#: them: the analysis multiplies matrices of a few channels, where a second thread costs more than it brings (about
#: 0.1 s of a sample build's 1.7 s, more on a busy machine; issue 29). Set before numpy is first imported.
ONE_BLAS_THREAD = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def main() -> None:
    """Entry point of the console script."""
    for name in ONE_BLAS_THREAD:
        os.environ.setdefault(name, "1")
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)
    sys.unraisablehook = _quiet_unraisable
    cli(prog_name="mops-xl")
