"""Recognising an export's platform when ``--source`` is not given: from its title lines and its headers.

Each platform's export is known by the headers :data:`~mops_xl.importers.formats.FORMATS` declares for it. A
header only one platform writes ("Conv. value", "Amount spent", "Gregorian date") is strong evidence, and so is a
title line only one platform writes ("Report Name: …"); headers several platforms share ("Day", "Cost") only
break ties. The platform with the most evidence is taken, and the import says so; two platforms with the same
evidence are named, with the ``--source`` that settles it; an export with no platform's own headers is read as a
generic export (its headers are the intake's column names, or ``--map`` names them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mops_xl.errors import MopsXLError
from mops_xl.importers.csv_files import read_export_csv
from mops_xl.importers.exports import split_currency_suffix
from mops_xl.importers.formats import FORMATS, ExportFormat
from mops_xl.intake.problems import ValidationReport
from mops_xl.intake.reader import normalise_header
from mops_xl.intake.schema import SHEETS_BY_NAME

#: Every ``--source`` value, in the order the help lists them.
SOURCES = (*FORMATS, "generic")
#: How many of the deciding headers the message quotes.
_HEADERS_SAID = 3


@dataclass(frozen=True)
class Recognised:
    """The platform an export was recognised as, and why.

    Args:
        source: The ``--source`` value (``"generic"`` when no platform's headers were found).
        line: What the import prints, e.g. ``Read as a Google Ads export (its headers "Conv. value", …); …``.
    """

    source: str
    line: str


def _headers_of(fmt: ExportFormat) -> set[str]:
    """The headers a platform's export may have (normalised), beyond the intake's own column names."""
    own = {normalise_header(n) for n in SHEETS_BY_NAME[fmt.sheet].field_names}
    said = [h for headers in fmt.columns.values() for h in headers] + list(fmt.currency_columns) + [fmt.period_end]
    return {normalise_header(h) for h in said if h} - own


@dataclass(frozen=True)
class _Evidence:
    """What of one platform an export shows.

    Args:
        own: The headers (as written) only that platform's export has.
        marks: The title lines' marks only that platform writes (e.g. "Report Name:").
        shared: The headers it shares with other platforms.
    """

    own: list[str]
    marks: list[str]
    shared: list[str]

    @property
    def score(self) -> tuple[int, int]:
        """Its own headers and marks first; the shared headers break ties."""
        strong = len(self.own) + len(self.marks)
        return strong, strong + len(self.shared)


def _evidence(header: list[str], titles: list[str]) -> dict[str, _Evidence]:
    """Each platform's evidence in an export.

    Args:
        header: The export's header cells.
        titles: Its title lines (above the header).

    Returns:
        ``--source`` → its :class:`_Evidence`.
    """
    known = {name: _headers_of(fmt) for name, fmt in FORMATS.items()}
    evidence = {}
    for name, fmt in FORMATS.items():
        others = set().union(*(h for n, h in known.items() if n != name))
        own: list[str] = []
        shared: list[str] = []
        for cell in header:
            key = normalise_header(split_currency_suffix(cell)[0])
            if key in known[name]:
                (shared if key in others else own).append(cell.strip())
        marks = [mark for mark in fmt.title_marks if any(mark.casefold() in t.casefold() for t in titles)]
        evidence[name] = _Evidence(own, marks, shared)
    return evidence


def recognise_source(path: Path, sheet: str = "Actuals") -> Recognised:
    """Recognise the platform of an export given without ``--source``.

    Args:
        path: The export CSV.
        sheet: The sheet its rows go to (only Actuals exports come from platforms).

    Returns:
        The :class:`Recognised` platform, or generic.

    Raises:
        MopsXLError: Two or more platforms fit equally well: the message names them and the ``--source`` values.
    """
    if sheet != "Actuals":
        return Recognised("generic", "")
    expected = [h for fmt in FORMATS.values() for headers in fmt.columns.values() for h in headers]
    raw = read_export_csv(path, expected, ValidationReport())  # a file that cannot be read is reported later
    if raw is None:
        return Recognised("generic", "")
    evidence = _evidence([str(c) for c in raw.columns], raw.attrs.get("title_rows", []))
    best = max(e.score for e in evidence.values())
    if best[1] < 2:  # not one platform's header, or a single shared one: the headers are the intake's own names
        return Recognised(
            "generic",
            f"Read as a generic export (no platform's own headers found): pass --source {'|'.join(FORMATS)} for a "
            "platform's export",
        )
    leaders = [name for name, e in evidence.items() if e.score == best]
    if len(leaders) > 1:
        which = " or ".join(f"{FORMATS[n].channel} (--source {n})" for n in leaders)
        raise MopsXLError(
            f"{path.name}: the export could be {which}: its headers fit each of them as well; say which with "
            f"--source ({', '.join(SOURCES)})"
        )
    return Recognised(leaders[0], _read_as(leaders[0], evidence[leaders[0]]))


def _read_as(name: str, evidence: _Evidence) -> str:
    """The line that says which platform an export was read as, and from what."""
    said = ", ".join(f'"{h}"' for h in (evidence.own + evidence.shared)[:_HEADERS_SAID])
    why = f"its headers {said}" if said else ""
    if evidence.marks:
        why += (" and " if why else "") + f'its title line "{evidence.marks[0]} …"'
    return f"Read as a {FORMATS[name].channel} export ({why}); pass --source to choose another ({', '.join(SOURCES)})"
