"""What a batch writes, checked before anything is built: no output may replace an input or another output."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from mops_xl.batch.task import batch_report_path
from mops_xl.errors import OutputError
from mops_xl.intake.file import output_kind
from mops_xl.outputs.own_files import check_replaceable
from mops_xl.pipeline import BuildOptions, build_outputs, report_path

#: The roll-up's file name; a free variant (``mops-xl-rollup-2.xlsx``) when an input or another file holds it.
ROLLUP_NAME = "mops-xl-rollup.xlsx"


def planned_outputs(source: Path, report: Path, options: BuildOptions) -> list[Path]:
    """Every file one build writes.

    Args:
        source: The intake.
        report: Its report path.
        options: The build options.

    Returns:
        The report, the framework files and (with ``pdf``) the PDF.
    """
    return build_outputs(report, options)


def clashing_names(sources: list[Path], out_dir: Path | None) -> tuple[str, ...]:
    """The report names (casefolded) that intakes of different folders would share in one output folder, such as
    ``a/intake.xlsx`` and ``b/intake.xlsx``: those reports take their folder's name first.

    Args:
        sources: The intakes.
        out_dir: The batch's output folder (None: each report beside its intake, where no two folders meet).

    Returns:
        The names, for :attr:`~mops_xl.pipeline.BuildOptions.clashing`.
    """
    if out_dir is None:
        return ()
    folders: dict[str, set[str]] = defaultdict(set)
    for source in sources:
        folders[report_path(source, out_dir=out_dir).name.casefold()].add(str(_key(source).parent))
    return tuple(sorted(name for name, where in folders.items() if len(where) > 1))


def check_batch_outputs(sources: list[Path], out_dir: Path | None, options: BuildOptions) -> None:
    """Refuse a batch two of whose intakes would write the same file (same-named intakes of one folder, or of two
    folders of the same name), one of whose outputs is an input, or one of whose outputs would replace a file
    mops-xl did not write (without ``options.force``).

    Args:
        sources: The intakes.
        out_dir: The batch's output folder (None: beside each intake).
        options: The build options (their ``clashing`` names from :func:`clashing_names`).

    Raises:
        OutputError: Naming the files, before anything is written.
    """
    inputs = {_key(s): s for s in sources}
    writers: dict[Path, Path] = {}
    planned: list[Path] = []
    for source in sources:
        for out in planned_outputs(source, batch_report_path(source, out_dir, options), options):
            key = _key(out)
            if key in inputs:
                raise OutputError(f"{out}: an output of {source} would replace the input {inputs[key]}; rename one")
            if key in writers and writers[key] != source:
                raise OutputError(
                    f"{writers[key]} and {source} would both be built into {out}; build them into different "
                    "-o folders, or rename one"
                )
            writers[key] = source
            planned.append(out)
    check_replaceable(planned, force=options.force)


def rollup_path(folder: Path, sources: list[Path]) -> Path:
    """Where the roll-up goes: ``mops-xl-rollup.xlsx`` in ``folder``, unless that name holds an input or a file
    that is not a roll-up, then the first free ``mops-xl-rollup-N.xlsx``.

    Args:
        folder: The output folder.
        sources: The intakes of the batch.

    Returns:
        The path.
    """
    inputs = {_key(s) for s in sources}
    stem, suffix = ROLLUP_NAME.rsplit(".", 1)
    n = 1
    while True:
        path = folder / (ROLLUP_NAME if n == 1 else f"{stem}-{n}.{suffix}")
        if _key(path) not in inputs and (not path.exists() or output_kind(path) == "roll-up"):
            return path
        n += 1


def _key(path: Path) -> Path:
    return Path(path).resolve()
