"""The ``mops-xl`` command: a thin layer over the library.

Exit codes: 0 success (warnings allowed), 2 the input or the command line is wrong, 1 an unexpected
failure (a short message on the terminal; the traceback goes to a log file, never to the terminal).
"""

from __future__ import annotations

import functools
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from mops_xl import __version__
from mops_xl.errors import MopsXLError, OutputError
from mops_xl.intake.problems import ValidationReport

EXIT_INPUT = 2
EXIT_UNEXPECTED = 1
LOG_FILE = Path(tempfile.gettempdir()) / "mops-xl-error.log"


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
            raise InputProblem(str(exc)) from None
        except OSError as exc:
            raise InputProblem(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")) from None
        except MopsXLError as exc:
            raise InputProblem(str(exc)) from None
        except Exception as exc:  # the promise: no traceback on the terminal
            try:
                LOG_FILE.write_text(traceback.format_exc(), encoding="utf-8")
                where = f"details in {LOG_FILE}"
            except OSError:
                where = "details could not be logged"
            click.echo(f"Error: unexpected failure ({type(exc).__name__}: {exc}); {where}", err=True)
            sys.exit(EXIT_UNEXPECTED)

    return wrapper


def _show_report(report: ValidationReport, *, as_json: bool, verbose: bool) -> None:
    if as_json:
        click.echo(report.to_json())
    else:
        click.echo(report.format(include_info=verbose))


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
    click.echo(f"Wrote {'example' if example else 'blank'} intake to {path}")


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
    type=click.Path(path_type=Path),
    help="Report path (default: <intake stem>-report.xlsx beside the intake); with several intakes, "
    "an existing output folder.",
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
    default="a4",
    show_default=True,
    help="The paper every sheet (and the PDF) prints on.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also list notices (ignored extras, defaults applied).")
@_guarded
def build(
    intakes: tuple[Path, ...],
    output: Path | None,
    jobs: int | None,
    as_json: bool,
    values_only: bool,
    pdf: bool,
    quiet: bool,
    verbose: bool,
    scheduler: str | None = None,
    paper: str = "a4",
) -> None:
    """Validate an intake, compute every metric and write its report workbook.

    Prints the four KPI boxes (MQLs, SQLs, CAC, ROAS vs target) and the fired optimization triggers.
    Errors stop the build (exit code 2) with the same report as `validate`.

    \b
    Example:
        mops-xl build intake.xlsx
        mops-xl build intake.xlsx -o reports/acme-q3.xlsx
        mops-xl build intake.xlsx --json > acme-q3.json
        mops-xl build intake.xlsx --values-only --pdf -o board/acme-q3.xlsx
        mops-xl build intake.xlsx --pdf --paper letter
        mops-xl build clients/ -o reports/ --jobs 4      # every intake of a folder, plus a roll-up
        mops-xl build teams/ -o reports/ --scheduler tcp://host:8786   # the same, on a Dask cluster
    """
    from mops_xl.pipeline import BuildOptions

    if pdf:
        from mops_xl.outputs.libreoffice import find_soffice

        if find_soffice() is None:
            raise InputProblem(
                "--pdf needs LibreOffice (Debian/Ubuntu: apt-get install libreoffice-calc); "
                "run without --pdf, or install it"
            )
    options = BuildOptions(values_only=values_only, pdf=pdf, paper=paper.lower())
    if len(intakes) > 1 or intakes[0].is_dir() or scheduler is not None:
        _build_batch(list(intakes), output, jobs, as_json, options, quiet, scheduler, verbose=verbose)
        return
    _build_one(intakes[0], output, options, as_json=as_json, quiet=quiet, verbose=verbose)


def _build_one(intake: Path, output: Path | None, options: Any, *, as_json: bool, quiet: bool, verbose: bool) -> None:
    """Build one intake through the pipeline, with a progress display; print its summary or its JSON."""
    from mops_xl.errors import IntakeError
    from mops_xl.pipeline import build_intake, report_path
    from mops_xl.progress import Progress

    try:
        with Progress(enabled=not quiet) as progress:
            built = build_intake(intake, report_path(intake, output), options, stage=progress.stage)
    except IntakeError as exc:
        if as_json:
            click.echo(exc.report.to_json())
        else:
            click.echo(exc.report.format(include_info=verbose), err=quiet)
        sys.exit(EXIT_INPUT)
    if as_json:
        import json

        from mops_xl.outputs.json_output import to_dict

        click.echo(json.dumps(to_dict(built.analysis), indent=2, ensure_ascii=False, allow_nan=False))
        if not quiet:
            click.echo(f"Wrote report to {built.report}", err=True)
    elif not quiet:
        from mops_xl.outputs.json_output import terminal_summary

        report = built.validation
        if report.warnings or (verbose and report.infos):
            click.echo(report.format(include_info=verbose))
        click.echo(terminal_summary(built.analysis))
        click.echo(f"Wrote report to {built.report}" + (f" and {built.pdf}" if built.pdf else ""))
        click.echo("Wrote the framework to " + " and ".join(str(p) for p in built.framework))


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
    from mops_xl.intake.load import read_intake
    from mops_xl.metrics.engine import analyse
    from mops_xl.outputs.framework.text import render_framework

    loaded, report = read_intake(intake)
    if loaded is None:
        click.echo(report.format(), err=True)
        sys.exit(EXIT_INPUT)
    click.echo(render_framework(analyse(loaded), fmt, section), nl=False)


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
    type=click.Choice(["google-ads", "meta-ads", "linkedin-ads", "generic"]),
    default="generic",
    show_default=True,
    help="The export's platform (its standard column names); Touchpoints take generic only.",
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
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="The new intake (default: <intake stem>-imported.xlsx); never the intake itself.",
)
@_guarded
def import_(
    intake: Path,
    actuals: Path | None,
    touchpoints: Path | None,
    source: str,
    mapping: tuple[str, ...],
    channel: str | None,
    output: Path | None,
) -> None:
    """Append an export's rows to Actuals or Touchpoints, in a new intake.

    Give exactly one of --actuals and --touchpoints. Every cell of the export is validated first, and every
    Actuals channel must be in the intake's Channels; a bad cell is named (export.csv!C7), exit code 2. A touch
    on a channel outside Channels, such as (direct), is imported with a warning.

    \b
    Example:
        mops-xl import intake.xlsx --actuals google-ads.csv --source google-ads
        mops-xl import intake.xlsx --actuals spend.csv --map Date=day --map Spend=cost --channel Bing -o new.xlsx
        mops-xl import intake.xlsx --touchpoints journeys.csv --map "Journey ID=user_id" --map Timestamp=time
    """
    from mops_xl.importers.append import import_rows, read_export, skipped_note
    from mops_xl.importers.formats import mapping_for
    from mops_xl.intake.load import read_intake
    from mops_xl.intake.problems import ValidationReport
    from mops_xl.outputs.workbook import check_output_path

    if (actuals is None) == (touchpoints is None):
        raise click.UsageError("give exactly one of --actuals EXPORT.csv and --touchpoints EXPORT.csv")
    sheet, export = ("Actuals", actuals) if actuals is not None else ("Touchpoints", touchpoints)
    bad = [m for m in mapping if "=" not in m]
    if bad:
        raise InputProblem(f'--map {bad[0]}: expected COLUMN=HEADER, e.g. --map "Journey ID=user_id"')
    fmt = mapping_for(source, dict(m.split("=", 1) for m in mapping), sheet)
    out = output or intake.with_name(f"{intake.stem}-imported.xlsx")
    check_output_path(out, intake)
    if out.exists() and export.exists() and out.resolve() == export.resolve():
        raise InputProblem(f"{out}: the output path is the export itself; choose another path with -o")
    loaded, report = read_intake(intake)
    if loaded is None:
        click.echo(report.format())
        sys.exit(EXIT_INPUT)
    problems = ValidationReport(source=export.name)
    rows = read_export(export, fmt, channel, problems)
    written = None if rows is None else import_rows(loaded, sheet, rows, out, problems, export.name)
    if rows is None or written is None:  # every problem of the export at once; nothing written
        click.echo(problems.format())
        sys.exit(EXIT_INPUT)
    if problems.problems:  # warnings (e.g. a touch outside Channels): said, but the rows are imported
        click.echo(problems.format())
    skipped = skipped_note(rows, export.name)
    if skipped:
        click.echo(skipped)
    click.echo(f"Appended {len(rows)} row(s) from {export.name} to {sheet}; wrote {written}")
    if sheet == "Touchpoints" and loaded.table("Touchpoints").empty and not loaded.table("Paths").empty:
        click.echo("Note: attribution uses Touchpoints over Paths, so the intake's Paths sheet is no longer used")


def _build_batch(
    paths: list[Path],
    output: Path | None,
    jobs: int | None,
    as_json: bool,
    options: Any,
    quiet: bool,
    scheduler: str | None = None,
    *,
    verbose: bool = False,
) -> None:
    """Build several intakes in parallel or on a Dask cluster; print a summary or one JSON array; write the roll-up.

    Each built intake's PDF is named; with ``-v`` its warnings and notices are listed, as for one intake.
    """
    import json

    from mops_xl.batch import build_many, find_intakes, write_rollup

    if output is not None and not output.is_dir():
        raise InputProblem(f"{output}: with several intakes or --scheduler, -o must name an existing folder")
    sources = find_intakes(paths)
    if not sources:
        raise InputProblem("no .xlsx intake found in " + ", ".join(str(p) for p in paths))
    if scheduler is None:
        results = build_many(sources, output, jobs, options)
    else:
        from mops_xl.progress import Progress

        with Progress(enabled=not quiet) as progress:
            results = build_many(sources, output, options=options, scheduler=scheduler, progress=progress.update)
    rollup = write_rollup(results, (output or sources[0].parent) / "mops-xl-rollup.xlsx")
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "file": str(r.source),
                        "status": r.status,
                        "report": str(r.report or ""),
                        "pdf": str(r.pdf or ""),
                        "problems": r.problems,
                        "message": r.message,
                        "result": r.document,
                    }
                    for r in results
                ],
                indent=2,
                ensure_ascii=False,
                allow_nan=False,
            )
        )
    elif not quiet:
        width = max(len(r.source.name) for r in results)
        click.echo(f"{'File':<{width}}  {'Status':<8}  {'Problems':>8}  Report or reason")
        for r in results:
            detail = (str(r.report) + (f" and {r.pdf}" if r.pdf else "")) if r.report else r.message
            click.echo(f"{r.source.name:<{width}}  {r.status:<8}  {r.problems:>8}  {detail}")
        for r in results:
            if verbose and r.validation is not None and (r.validation.warnings or r.validation.infos):
                click.echo(f"\n{r.source.name}:")
                click.echo(r.validation.format(include_info=verbose))
        click.echo(f"Wrote the roll-up to {rollup}")
    if any(r.status != "built" for r in results):
        sys.exit(EXIT_INPUT)


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="mops-xl")
