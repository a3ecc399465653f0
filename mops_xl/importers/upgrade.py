"""``mops-xl upgrade``: an intake written again on the current template, every value, sheet and column kept.

The old intake is opened as an import opens it (:class:`~mops_xl.importers.intake_copy.IntakeCopy`: Strict Open XML
read through a transitional copy, a formula of an intake sheet kept as its saved value) and brought to the current
template, which is written afresh (:func:`~mops_xl.intake.template.write_intake`) and read for what it holds:

- every dropdown of the template (the Channel columns' list of the Channels sheet's names, the fixed choices), on
  the columns and fields where the old intake has them; the old intake's own dropdowns on those columns give way;
- the template's columns and fields the old intake lacks (added in later versions): a header or a row with the
  template's default, format and help; the sheets it lacks, as the template has them;
- the help on each column header, the Instructions sheet, the list of channel names, the version properties.

Nothing of the old intake is removed: its values, its extra sheets and extra columns stay where they are (new
columns go to the right of the last one used). The old file is only read; the new one is written atomically.
"""

from __future__ import annotations

from copy import copy
from pathlib import Path
from typing import Any

from mops_xl.atomic import private_workdir
from mops_xl.errors import OutputError
from mops_xl.importers.intake_copy import IntakeCopy
from mops_xl.intake.file import open_intake_file, output_kind
from mops_xl.intake.load import TEMPLATE_PROPERTY, TEMPLATE_VERSION, VERSION_PROPERTY
from mops_xl.intake.problems import ValidationReport
from mops_xl.intake.reader import normalise_header
from mops_xl.intake.schema import (
    CHANNELS,
    INSTRUCTIONS_SHEET,
    MAX_SHEET_ROWS,
    SCHEMA_VERSION,
    SHEETS,
    SHEETS_BY_NAME,
    Sheet,
)
from mops_xl.intake.template import CHANNEL_LIST, channel_list_formula, write_intake

_STYLE = ("font", "fill", "border", "alignment", "number_format", "protection")


def check_old_intake(old: Path) -> ValidationReport:
    """Check that ``old`` is a workbook an upgrade can read: a safe, readable .xlsx with intake sheets, not a report.

    Its values are not validated: an intake with mistakes is upgraded as it is (and validated after).

    Args:
        old: The old intake.

    Returns:
        A report whose errors say why it cannot be upgraded (none when it can).
    """
    report = ValidationReport(source=old.name)
    raw = open_intake_file(old, report)
    if raw is None:
        return report
    kind = output_kind(old)
    sheets = [n for n in raw.sheet_names if n in SHEETS_BY_NAME]
    if kind:
        report.add("wrong-format", f"{old.name}: this is a mops-xl {kind}, not an intake; upgrade its intake instead")
    elif not sheets:
        report.add("wrong-format", f"{old.name}: the workbook has none of the intake's sheets (e.g. Business, Actuals)")
    return report


def upgraded_path(old: Path, output: Path | None = None, *, force: bool = False) -> Path:
    """Where the upgraded intake goes: ``-o``, or ``<stem>-upgraded.xlsx`` beside the old one; never the old one.

    Args:
        old: The old intake.
        output: ``-o``, if given.
        force: Replace an existing file at the path (never the old intake itself).

    Returns:
        The path to write.

    Raises:
        OutputError: The path is the old intake, exists (without ``force``), is no .xlsx or has no folder.
    """
    out = output or old.with_name(f"{old.stem}-upgraded.xlsx")
    if out.exists() and old.exists() and out.resolve() == old.resolve():
        raise OutputError(f"{out}: the output path is the old intake itself; upgrade never writes over it")
    if out.suffix.lower() != ".xlsx":
        raise OutputError(f"{out}: the upgraded intake is an .xlsx workbook; give a name ending in .xlsx")
    if not out.parent.is_dir():
        raise OutputError(f"{out.parent}: the output folder does not exist")
    if out.exists() and not force:
        raise OutputError(f"{out} already exists; choose another path with -o, or --force to replace it")
    return out


def upgrade_intake(old: Path, new: Path) -> list[str]:
    """Write ``old`` again on the current template at ``new``, keeping every value, sheet and column.

    Args:
        old: The old intake (only read; its safety checked by the caller, e.g. with the intake reader).
        new: Where the upgraded intake goes (:func:`upgraded_path`).

    Returns:
        What was added or changed, one line each, for the terminal.
    """
    copy_ = IntakeCopy(old)
    book, notes = copy_.book, list(copy_.notes)
    with private_workdir() as work:
        template = _load_template(Path(work) / "template.xlsx")
    for schema in SHEETS:
        if schema.name not in book.sheetnames:
            _copy_sheet(template[schema.name], book, _index_after(book, schema))
            notes.append(f"Added the sheet {schema.name}")
        elif schema.kind == "fields":
            notes += _upgrade_fields(template[schema.name], book[schema.name], schema)
        else:
            notes += _upgrade_table(copy_, template[schema.name], book[schema.name], schema)
    if INSTRUCTIONS_SHEET in book.sheetnames:
        del book[INSTRUCTIONS_SHEET]
    _copy_sheet(template[INSTRUCTIONS_SHEET], book, 0)
    header_row, _ = copy_.columns(book[CHANNELS.name], CHANNELS.name)
    _set_workbook_marks(book, header_row)
    copy_.save(new)
    return notes


def _load_template(path: Path) -> Any:
    import openpyxl

    write_intake(path)
    return openpyxl.load_workbook(path)


def _index_after(book: Any, schema: Sheet) -> int:
    """The position for a new schema sheet: after the schema sheets before it that the book has (else at the end)."""
    before = [s.name for s in SHEETS[: SHEETS.index(schema)] if s.name in book.sheetnames]
    return book.sheetnames.index(before[-1]) + 1 if before else len(book.sheetnames)


def _copy_sheet(source: Any, book: Any, index: int) -> None:
    """Copy a template sheet into ``book`` at ``index``: cells and their styles, widths, panes, dropdowns, comments
    and its Excel table."""
    ws = book.create_sheet(source.title, index)
    for row in source.iter_rows():
        for cell in row:
            if cell.value is None and not cell.has_style:
                continue
            target = ws.cell(cell.row, cell.column, cell.value)
            _copy_style(cell, target)
            if cell.comment is not None:
                target.comment = copy(cell.comment)
    for letter, dim in source.column_dimensions.items():
        ws.column_dimensions[letter].width = dim.width
        ws.column_dimensions[letter].number_format = dim.number_format
    ws.freeze_panes = source.freeze_panes
    for validation in source.data_validations.dataValidation:
        ws.add_data_validation(copy(validation))
    from openpyxl.worksheet.table import Table

    taken = {t for sheet in book.worksheets for t in sheet.tables}
    for table in source.tables.values():
        if table.name not in taken:
            ws.add_table(Table(displayName=table.displayName, ref=table.ref, tableStyleInfo=table.tableStyleInfo))


def _copy_style(source: Any, target: Any) -> None:
    if source.has_style:
        for attribute in _STYLE:
            setattr(target, attribute, copy(getattr(source, attribute)))


def _upgrade_table(copy_: IntakeCopy, template: Any, ws: Any, schema: Sheet) -> list[str]:
    """Bring a table sheet to the template: its missing columns, the help on each header, the dropdowns.

    Returns:
        A line per column added.
    """
    header, positions = copy_.columns(ws, schema.name)
    notes = []
    names = {normalise_header(c.value): c for c in template[1] if c.value is not None}
    for fld in schema.fields:
        source = names[normalise_header(fld.name)]
        if fld.name not in positions:
            column = max([c.column for c in ws[header] if c.value not in (None, "")] + [0]) + 1
            positions[fld.name] = column
            _copy_style(source, ws.cell(header, column, fld.name))
            letter, template_letter = ws.cell(header, column).column_letter, source.column_letter
            dim = template.column_dimensions[template_letter]
            ws.column_dimensions[letter].width = dim.width
            ws.column_dimensions[letter].number_format = dim.number_format
            notes.append(f"Added the column {fld.name} to {schema.name} ({letter}{header})")
        cell = ws.cell(header, positions[fld.name])
        if cell.comment is None and source.comment is not None:
            cell.comment = copy(source.comment)
    columns = {names[normalise_header(f.name)].column: positions[f.name] for f in schema.fields}
    place = lambda col, row: (columns.get(col), header + 1 if row > 1 else row)  # noqa: E731
    _replace_dropdowns(template, ws, place, set(positions.values()))
    return notes


def _upgrade_fields(template: Any, ws: Any, schema: Sheet) -> list[str]:
    """Bring a key/value sheet to the template: its missing fields (with default and help), the dropdowns.

    Returns:
        A line per field added.
    """
    rows = {normalise_header(c.value): c.row for c in ws["A"] if isinstance(c.value, str)}
    template_rows = {c.row: normalise_header(c.value) for c in template["A"] if isinstance(c.value, str)}
    notes = []
    for fld in schema.fields:
        key = normalise_header(fld.name)
        if key in rows:
            continue
        source_row = next(r for r, name in template_rows.items() if name == key)
        row = max([c.row for c in ws["A"] if c.value not in (None, "")] + [1]) + 1
        for column in (1, 2, 3):
            source = template.cell(source_row, column)
            _copy_style(source, ws.cell(row, column, source.value))
        rows[key] = row
        notes.append(f"Added the field {fld.name} to {schema.name} (row {row})")
    by_template_row = {r: rows.get(name) for r, name in template_rows.items()}
    _replace_dropdowns(template, ws, lambda col, row: (col if col == 2 else None, by_template_row.get(row)), {2})
    return notes


def _replace_dropdowns(template: Any, ws: Any, place: Any, owned: set[int]) -> None:
    """Put the template's dropdowns on ``ws``, each moved by ``place(column, row)`` → the old sheet's (column, row),
    ``None`` when the old sheet has no such place. The old sheet's dropdowns on the columns the schema owns give way
    (the template's are the current ones); those on its extra columns stay.

    Args:
        template: The template's sheet.
        ws: The old intake's sheet.
        place: Maps a template cell's (column, first row) to the old sheet's.
        owned: The old sheet's columns the schema's fields are in (1 = A).
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import MultiCellRange

    moved = []
    for validation in template.data_validations.dataValidation:
        for span in validation.sqref.ranges:
            column, row = place(span.min_col, span.min_row)
            if column is None or row is None:
                continue
            letter = get_column_letter(column)
            last = min(MAX_SHEET_ROWS, row + span.max_row - span.min_row)
            dropdown = copy(validation)
            dropdown.sqref = MultiCellRange(f"{letter}{row}:{letter}{last}" if last > row else f"{letter}{row}")
            moved.append(dropdown)
    kept = [v for v in ws.data_validations.dataValidation if not {s.min_col for s in v.sqref.ranges} & owned]
    ws.data_validations.dataValidation = kept + moved


def _set_workbook_marks(book: Any, channels_header_row: int) -> None:
    """The list of channel names every Channel dropdown offers, and the schema and template versions."""
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.workbook.defined_name import DefinedName

    formula = channel_list_formula(channels_header_row).removeprefix("=")
    if CHANNEL_LIST in book.defined_names:
        del book.defined_names[CHANNEL_LIST]
    book.defined_names[CHANNEL_LIST] = DefinedName(CHANNEL_LIST, attr_text=formula)
    props = book.custom_doc_props
    for name, value in ((VERSION_PROPERTY, SCHEMA_VERSION), (TEMPLATE_PROPERTY, TEMPLATE_VERSION)):
        if name in props.names:
            del props[name]
        props.append(StringProperty(name=name, value=value))
