"""The bad-input catalogue: each mistake is reported with its exact place and message, and nothing else breaks.

Every case starts from the valid intake of ``intake_builders`` and plants one mistake at a known cell. The
input must stay byte-identical, and the report must list exactly the expected errors and warnings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from intake_builders import D, edit, set_cell, valid_data, write_valid

from mops_xl import read_intake, write_intake

Case = Callable[[Path], Path]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _problems(path: Path, severities: tuple[str, ...] = ("error", "warning")) -> list[tuple[str, str]]:
    before = _digest(path)
    _, report = read_intake(path)
    assert _digest(path) == before, "reading changed the input file"
    return [(p.code, str(p)) for p in report.sorted() if p.severity in severities]


def _cell(sheet: str, cell: str, value: object) -> Case:
    return lambda tmp: set_cell(write_valid(tmp / "intake.xlsx"), sheet, cell, value)


def _change(fn: Callable[[dict], None]) -> Case:
    return lambda tmp: write_valid(tmp / "intake.xlsx", fn)


def _edit(fn: Callable[[openpyxl.Workbook], None]) -> Case:
    return lambda tmp: edit(write_valid(tmp / "intake.xlsx"), fn)


def _general_number(sheet: str, cell: str, value: float) -> Case:
    """A number typed in a cell formatted as a plain number ("0": a style of its own, not the column's date style;
    a cell without a style of its own takes its column's, as Gnumeric writes date cells)."""

    def action(wb: openpyxl.Workbook) -> None:
        wb[sheet][cell] = value
        wb[sheet][cell].number_format = "0"

    return _edit(action)


def _rename(old: str, new: str) -> Case:
    def action(wb: openpyxl.Workbook) -> None:
        wb[old].title = "__tmp__"  # openpyxl refuses a title equal to another ignoring case, itself included
        wb["__tmp__"].title = new

    return _edit(action)


CELL_CASES = {
    "text in a money column": (
        _cell("Actuals", "D3", "twelve"),
        [("type-error", 'Actuals!D3: Spend must be a number, got "twelve"')],
    ),
    "text in a date column": (
        _cell("Actuals", "A4", "next week"),
        [("type-error", 'Actuals!A4: Date must be a date (an Excel date or YYYY-MM-DD), got "next week"')],
    ),
    "fractional count": (  # Impressions stay whole; Leads may be fractional (modelled conversions)
        _cell("Actuals", "E2", 2.5),
        [("type-error", "Actuals!E2: Impressions must be a whole number, got 2.5")],
    ),
    "negative spend": (_cell("Actuals", "D2", -5), [("out-of-range", "Actuals!D2: Spend must be at least 0, got -5")]),
    "boolean in a number column": (
        _cell("Actuals", "E2", True),
        [("type-error", "Actuals!E2: Impressions must be a whole number, got TRUE")],
    ),
    "reference differing only in case": (
        _cell("Budget", "A3", "Tiktok"),
        [
            (
                "case-mismatch",
                'Budget!A3: channel "Tiktok" is not in Channels (did you mean "TikTok"? names must '
                "match exactly, including case)",
            )
        ],
    ),
    "unknown reference": (
        _cell("Budget", "A3", "Snapchat"),
        [("unknown-reference", 'Budget!A3: channel "Snapchat" is not in Channels')],
    ),
    "unknown reference close to a channel": (
        _cell("Actuals", "B2", "Google Ad"),
        [("unknown-reference", 'Actuals!B2: channel "Google Ad" is not in Channels (did you mean "Google Ads"?)')],
    ),
    "reference with surrounding spaces is trimmed": (_cell("Budget", "A3", "  TikTok  "), []),
    "bad choice with a hint": (
        _cell("Channels", "C2", "Decisoin"),
        [
            (
                "bad-choice",
                "Channels!C2: Funnel stage must be one of Awareness, Consideration, Decision, Retention; "
                'got "Decisoin" (did you mean "Decision"?)',
            )
        ],
    ),
    "choices ignore case": (_cell("Channels", "C2", "decision"), []),
    "bad Yes/No": (
        _cell("Channels", "F2", "Maybe"),
        [("bad-choice", 'Channels!F2: Paid must be Yes or No, got "Maybe"')],
    ),
    "required value blank": (
        _cell("Business", "B2", None),
        [("missing-value", "Business!B2: Business name is required")],
    ),
    "required table value blank": (
        _cell("Budget", "D2", None),
        [("missing-value", "Budget!D2: Planned spend is required")],
    ),
    "ambiguous text date": (
        _cell("Actuals", "A2", "03/04/2026"),
        [
            (
                "ambiguous-date",
                'Actuals!A2: Date: the text "03/04/2026" could be day 3 of month 4 or day 4 of month '
                "3; type it as an Excel date or YYYY-MM-DD",
            )
        ],
    ),
    "unambiguous non-ISO text date is read, with a warning": (
        _cell("Actuals", "A2", "25/10/2026"),  # only October 25 is a day
        [
            (
                "text-date",
                'Actuals!A2: Date: the text "25/10/2026" was read as the date 2026-10-25; type dates as Excel dates',
            )
        ],
    ),
    "text that is no date": (
        _cell("Actuals", "A2", "25/25/2026"),
        [("type-error", 'Actuals!A2: Date must be a date, got "25/25/2026" (no such day)')],
    ),
    "ISO text date is accepted with a warning": (
        _cell("Actuals", "A2", "2026-10-01"),
        [
            (
                "text-date",
                'Actuals!A2: Date: the text "2026-10-01" was read as the date 2026-10-01; type dates as Excel dates',
            )
        ],
    ),
    "impossible ISO date": (
        _cell("Actuals", "A2", "2026-02-30"),
        [("type-error", 'Actuals!A2: Date must be a date, got "2026-02-30" (no such day)')],
    ),
    "number in a date column": (
        _general_number("Actuals", "A2", 46296),
        [
            (
                "serial-date",
                "Actuals!A2: Date: the number 46296 was read as the Excel date 2026-10-01; format the cell as a date",
            )
        ],
    ),
    "percentage typed as a plain number": (
        _cell("Settings", "B2", 80),
        [
            (
                "percent-as-number",
                "Settings!B2: Underperforming threshold: read 80 as 80 % (0.8); type percentages "
                "as Excel percentages, e.g. 80%",
            )
        ],
    ),
    "overspending threshold 110 means 110 %": (
        _cell("Settings", "B3", 110),
        [
            (
                "percent-as-number",
                "Settings!B3: Overspending threshold: read 110 as 110 % (1.1); type percentages "
                "as Excel percentages, e.g. 110%",
            )
        ],
    ),
    "setting out of range": (
        _cell("Settings", "B5", 0.3),
        [("out-of-range", "Settings!B5: A/B significance level must be at least 0.5, got 0.3")],
    ),
    "bad attribution model": (
        _cell("Settings", "B10", "last click"),
        [
            (
                "bad-choice",
                "Settings!B10: Attribution model must be one of first touch, last touch, linear, time "
                'decay, position based, markov, shapley; got "last click" (did you mean "last touch"?)',
            )
        ],
    ),
    "bad currency": (
        _cell("Business", "B4", "Dollars"),
        [
            (
                "bad-choice",
                'Business!B4: Currency must be an ISO 4217 currency code such as USD, EUR or GBP; got "Dollars"',
            )
        ],
    ),
    "report as of outside the period": (
        _cell("Business", "B7", dt.datetime(2026, 11, 5)),
        [("outside-period", "Business!B7: Report as of 5 Nov 2026 is outside the period 1–31 Oct 2026")],
    ),
    "period end before start": (
        _cell("Business", "B6", dt.datetime(2026, 9, 1)),
        [("end-before-start", "Business!B6: Period end 1 Sep 2026 is before Period start 1 Oct 2026")],
    ),
    "two controls": (
        _cell("Experiments", "C3", "Yes"),
        [
            (
                "control-count",
                'Experiments!C2: experiment "CTA" has 2 control variants; mark exactly one "Is control" = Yes',
            )
        ],
    ),
    "conversions above visitors": (
        _cell("Experiments", "H3", 2000),
        [("conversions-exceed-visitors", "Experiments!H3: Conversions (2000) exceed Visitors (1000)")],
    ),
    "budget line ending before it starts": (
        _cell("Budget", "C2", dt.datetime(2026, 9, 1)),
        [("end-before-start", "Budget!C2: Period end 1 Sep 2026 is before Period start 1 Oct 2026")],
    ),
    "funnel grows down the funnel": (
        _cell("Actuals", "J2", 9),
        [
            (
                "funnel-order",
                "Actuals!J2: Customers (9) is more than SQLs (2); fine if they come from earlier leads, "
                "otherwise check the row",
            )
        ],
    ),
}

TABLE_CASES = {
    "duplicate channel": (
        _change(lambda d: d["Channels"].append({"Channel": "Email", "Paid": False})),
        [("duplicate-key", 'Channels!A5: Channel "Email" appears more than once (first on row 4)')],
    ),
    "channels differing only in case": (
        _change(lambda d: d["Channels"].append({"Channel": "google ads", "Paid": True})),
        [
            (
                "case-duplicate",
                'Channels!A5: channel "google ads" is the same as "Google Ads" (A2) to Excel; names must differ '
                "by more than case",
            )
        ],
    ),
    "three channels equal ignoring case, two of them exactly": (
        _change(lambda d: d["Channels"].extend([{"Channel": "EMAIL"}, {"Channel": "Email"}])),
        [
            (
                "case-duplicate",
                'Channels!A5: channel "EMAIL" is the same as "Email" (A4) to Excel; names must differ by more '
                "than case",
            ),
            ("duplicate-key", 'Channels!A6: Channel "Email" appears more than once (first on row 4)'),
        ],
    ),
    "duplicate blended target": (
        _change(lambda d: d["Targets"].append({"Metric": "Leads", "Target": 3})),
        [("duplicate-key", 'Targets!A4: Metric "Leads", Channel (blank) appears more than once (first on row 2)')],
    ),
    "duplicate experiment variant": (
        _change(
            lambda d: d["Experiments"].append(
                {"Experiment": "CTA", "Variant": "B", "Is control": False, "Visitors": 10, "Conversions": 1}
            )
        ),
        [("duplicate-key", 'Experiments!A4: Experiment "CTA", Variant "B" appears more than once (first on row 3)')],
    ),
    "overlapping budget lines": (
        _change(
            lambda d: d["Budget"].append(
                {
                    "Channel": "TikTok",
                    "Period start": D(2026, 10, 15),
                    "Period end": D(2026, 11, 15),
                    "Planned spend": 100,
                }
            )
        ),
        [
            (
                "overlapping-budget",
                'Budget!B4: budget line for "TikTok" (15 Oct–15 Nov 2026) overlaps the line '
                "on row 3 (ending 31 Oct 2026)",
            )
        ],
    ),
    "unknown tool owned": (
        _change(
            lambda d: d.update(
                Stack=[{"Tool": "HubSpot"}],
                Team=[{"Role": "Marketing Ops", "Name": "A", "Tools owned": ["HubSpot", "Hubspot"]}],
            )
        ),
        [
            (
                "case-mismatch",
                'Team!D2: tool "Hubspot" is not in Stack (did you mean "HubSpot"? names must match '
                "exactly, including case)",
            )
        ],
    ),
    "campaign channel list": (
        _change(lambda d: d.update(Campaigns=[{"Campaign": "Launch", "Channels": ["Email", "Bing"]}])),
        [("unknown-reference", 'Campaigns!F2: channel "Bing" is not in Channels')],
    ),
    "touchpoint channel outside Channels is a warning": (
        _change(
            lambda d: d.update(
                Touchpoints=[
                    {"Journey ID": "J1", "Timestamp": dt.datetime(2026, 10, 1, 9), "Channel": "(direct)"},
                    {
                        "Journey ID": "J1",
                        "Timestamp": dt.datetime(2026, 10, 2, 9),
                        "Channel": "Email",
                        "Converted": True,
                        "Conversion value": 50,
                    },
                ]
            )
        ),
        [
            (
                "unknown-channel",
                'Touchpoints!C2: channel "(direct)" is not in Channels (1 touch); it is '
                "attributed as its own channel and, without spend, has no attributed CAC or ROAS",
            )
        ],
    ),
}

TABLE_CASES["conversion on a touch that is not the last"] = (
    _change(
        lambda d: d.update(
            Touchpoints=[
                {"Journey ID": "J1", "Timestamp": dt.datetime(2026, 10, 1, 9), "Channel": "Email", "Converted": True},
                {"Journey ID": "J1", "Timestamp": dt.datetime(2026, 10, 2, 9), "Channel": "TikTok"},
            ]
        )
    ),
    [
        (
            "conversion-not-last",
            'Touchpoints!D2: journey "J1" converts on a touch that is not its last; attribution '
            "counts the journey as converted on its last touch",
        )
    ],
)

STRUCTURE_CASES = {
    "missing required sheet": (
        _edit(lambda wb: wb.remove(wb["Budget"])),
        [("missing-sheet", "Budget: required sheet Budget is missing")],
    ),
    "required sheet named in the wrong case": (
        _rename("Actuals", "actuals"),
        [
            (
                "missing-sheet",
                'Actuals: required sheet Actuals is missing (found "actuals": sheet names must match exactly)',
            )
        ],
    ),
    "missing required column": (
        _edit(lambda wb: wb["Actuals"].delete_cols(1)),
        [("missing-column", 'Actuals: required column "Date" is missing from the header row')],
    ),
    "duplicate column": (
        _edit(lambda wb: wb["Actuals"].cell(1, 12, "spend")),
        [("duplicate-column", 'Actuals!L1: column "spend" appears twice (also in column D)')],
    ),
    "required sheet without rows": (
        _edit(lambda wb: wb["Budget"].delete_rows(2, 2)),
        [("empty-sheet", "Budget: Budget has no rows; it is required")],
    ),
}


CATALOGUE = {**CELL_CASES, **TABLE_CASES, **STRUCTURE_CASES}
#: One case of each kind runs in the fast loop (`pytest -m "not slow"`); the whole catalogue runs in CI.
FAST_CASES = {
    "text in a money column",
    "bad choice with a hint",
    "ambiguous text date",
    "percentage typed as a plain number",
    "funnel grows down the funnel",
    "duplicate channel",
    "channels differing only in case",
    "overlapping budget lines",
    "missing required sheet",
    "missing required column",
}


@pytest.mark.parametrize(
    "case", [pytest.param(c, marks=() if c in FAST_CASES else pytest.mark.slow) for c in CATALOGUE]
)
def test_catalogue(case: str, tmp_path: Path) -> None:
    build, exp = CATALOGUE[case]
    got = _problems(build(tmp_path))
    assert got == exp


def test_every_problem_at_once(tmp_path: Path) -> None:
    path = write_valid(tmp_path / "many.xlsx")

    def plant(wb: openpyxl.Workbook) -> None:
        wb["Actuals"]["D3"] = "twelve"
        wb["Budget"]["A3"] = "Tiktok"
        wb["Business"]["B2"] = None
        wb["Channels"]["C2"] = "Decisoin"
        wb["Experiments"]["H3"] = 2000

    edit(path, plant)
    got = [p.cell and f"{p.sheet}!{p.cell}" for p in read_intake(path)[1].errors]
    assert got == ["Business!B2", "Channels!C2", "Budget!A3", "Actuals!D3", "Experiments!H3"]


@pytest.mark.slow
def test_header_matching_ignores_case_spacing_and_order(tmp_path: Path) -> None:
    path = write_valid(tmp_path / "messy.xlsx")

    def messy(wb: openpyxl.Workbook) -> None:
        ws = wb["Actuals"]
        ws["A1"], ws["D1"] = "  DATE ", "spend"
        ws.move_range("A1:A7", cols=20)  # Date now in column U
        for row in ws.iter_rows(min_row=1, max_row=7, min_col=1, max_col=1):
            for c in row:
                c.value = None

    edit(path, messy)
    intake, report = read_intake(path)
    assert report.errors == [], report.format()
    assert intake.actuals["Spend"].sum() == 300
    assert str(intake.actuals["Date"].min().date()) == "2026-10-01"


@pytest.mark.slow
def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers(tmp_path: Path) -> None:
    path = write_valid(tmp_path / "gaps.xlsx")
    edit(path, lambda wb: wb["Actuals"].insert_rows(4, 3))
    set_cell(path, "Actuals", "D9", "twelve")  # row 6 before the three blank rows were inserted
    _, report = read_intake(path)
    assert [str(p) for p in report.errors] == ['Actuals!D9: Spend must be a number, got "twelve"']


def test_extra_columns_and_sheets_are_ignored_with_a_notice(tmp_path: Path) -> None:
    def extras(wb: openpyxl.Workbook) -> None:
        wb["Actuals"]["L1"] = "Ad set"
        wb["Actuals"]["L2"] = "whatever"
        wb.create_sheet("My notes")

    path = edit(write_valid(tmp_path / "extras.xlsx"), extras)
    intake, report = read_intake(path)
    assert intake is not None
    infos = [(p.code, str(p)) for p in report.infos]
    assert ("unknown-column", 'Actuals!L1: column "Ad set" is not part of the intake and was ignored') in infos
    assert ("unknown-sheet", 'My notes: sheet "My notes" is not part of the intake and was ignored') in infos
    assert "Ad set" not in intake.actuals.columns


def test_times_in_date_cells_use_the_date_part(tmp_path: Path) -> None:
    path = set_cell(write_valid(tmp_path / "time.xlsx"), "Actuals", "A2", dt.datetime(2026, 10, 1, 14, 30))
    intake, report = read_intake(path)
    assert [(p.code, str(p)) for p in report.infos if p.code == "time-dropped"] == [
        ("time-dropped", "Actuals!A2: 1 Date cell carried a time of day (first: A2); the date part was used")
    ]
    assert intake.actuals.loc[2, "Date"] == dt.datetime(2026, 10, 1)


def test_duplicate_actuals_rows_are_summed(tmp_path: Path) -> None:
    def dup(d: dict) -> None:
        d["Actuals"].append(dict(d["Actuals"][0], Spend=25.5, Leads=2))

    intake, report = read_intake(write_valid(tmp_path / "dup.xlsx", dup))
    assert any(
        str(p) == "Actuals: 1 Actuals row repeated a date, channel and campaign and was summed into the first such row"
        for p in report.infos
    )
    first = intake.actuals.loc[2]
    assert (first["Spend"], first["Leads"], len(intake.actuals)) == (125.5, 10, 6)


def test_older_template_missing_a_later_field_gets_its_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An intake made with schema 1.0 lacks a column that a later schema (1.1) added: default, with a notice."""
    import dataclasses

    import mops_xl.intake.load
    import mops_xl.intake.schema as schema

    path = write_valid(tmp_path / "old.xlsx")
    later = schema.Field("Region", required=True, default="Global", since="9.9", help="Sales region.")
    channels = dataclasses.replace(schema.CHANNELS, fields=schema.CHANNELS.fields + (later,))
    sheets = tuple(channels if s.name == "Channels" else s for s in schema.SHEETS)
    monkeypatch.setattr(mops_xl.intake.load, "SHEETS", sheets)
    monkeypatch.setattr(mops_xl.intake.load, "SCHEMA_VERSION", "9.9")
    intake, report = read_intake(path)
    assert intake is not None, report.format()
    assert ("default-applied", 'Channels: column "Region" is not present; the default "Global" applies') in [
        (p.code, str(p)) for p in report.infos
    ]
    assert set(intake.channels["Region"]) == {"Global"}


def test_a_1_0_intake_without_the_1_1_columns_still_validates(tmp_path: Path) -> None:
    """Schema 1.1 added the Channels columns Locked, Minimum spend and Maximum spend and three settings."""
    path = write_valid(tmp_path / "v10.xlsx")

    def downgrade(wb: openpyxl.Workbook) -> None:
        wb.custom_doc_props["mops-xl schema version"].value = "1.0"
        wb["Channels"].delete_cols(8, 3)
        settings = wb["Settings"]
        for row in range(settings.max_row, 1, -1):
            if settings.cell(row, 1).value in (
                "Lookback window",
                "Position-based endpoint share",
                "Maximum budget shift",
            ):
                settings.delete_rows(row)

    edit(path, downgrade)
    intake, report = read_intake(path)
    assert intake is not None, report.format()
    notices = {str(p) for p in report.infos if p.code == "default-applied"}
    assert 'Channels: column "Locked" is not present; the default "No" applies' in notices
    assert "Settings: Lookback window is not on the sheet; the default 30 applies" in notices
    assert intake.settings["Maximum budget shift"] == 0.2 and not intake.channels["Locked"].any()


def test_missing_settings_sheet_uses_every_default(tmp_path: Path) -> None:
    path = edit(write_valid(tmp_path / "nosettings.xlsx"), lambda wb: wb.remove(wb["Settings"]))
    intake, report = read_intake(path)
    assert intake.settings["Overspending threshold"] == 1.1 and intake.settings["Pacing method"] == "linear"
    assert any(p.code == "default-applied" and p.sheet == "Settings" for p in report.infos)


# --- files that are not intakes ------------------------------------------------------------------------


def _xlsx_bytes(tmp_path: Path) -> bytes:
    return write_valid(tmp_path / "good.xlsx").read_bytes()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _encrypted(tmp_path: Path) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_valid(tmp_path / "plain.xlsx")
    out = io.BytesIO()
    with plain.open("rb") as fh:
        OOXMLFile(fh).encrypt("secret", out)
    return out.getvalue()


def _xls(tmp_path: Path) -> bytes:
    import xlwt

    book = xlwt.Workbook()
    book.add_sheet("Business").write(0, 0, "Field")
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


FILE_CASES = {
    "csv": (
        "actuals.csv",
        lambda t: b"Date,Channel,Spend\n2026-10-01,Google Ads,12\n",
        (
            "wrong-format",
            "actuals.csv: this is a text/CSV file, not an .xlsx workbook; create an intake with "
            "`mops-xl init` and paste the rows into its sheets",
        ),
    ),
    "csv renamed to xlsx": (
        "data.xlsx",
        lambda t: b"a;b\n1;2\n",
        (
            "wrong-format",
            "data.xlsx: this is a text/CSV file, not an .xlsx workbook; create an "
            "intake with `mops-xl init` and paste the rows into its sheets",
        ),
    ),
    "random binary": (
        "blob.xlsx",
        lambda t: bytes(range(256)) * 4,
        ("wrong-format", "blob.xlsx: not an .xlsx workbook (unrecognised file type .xlsx)"),
    ),
    "empty file": (
        "empty.xlsx",
        lambda t: b"",
        ("corrupt-workbook", "empty.xlsx: the file is empty (0 bytes); it is not an .xlsx workbook"),
    ),
    "truncated workbook": (
        "cut.xlsx",
        lambda t: _xlsx_bytes(t)[:3000],
        (
            "corrupt-workbook",
            "cut.xlsx: the file is truncated or damaged (not a readable zip archive); save it again from Excel",
        ),
    ),
    "zip that is not a workbook": (
        "doc.xlsx",
        lambda t: _zip({"word/document.xml": b"<w/>"}),
        ("wrong-format", "doc.xlsx: a zip file but not an Excel workbook (no xl/workbook.xml)"),
    ),
    "OpenDocument spreadsheet": (
        "sheet.ods",
        lambda t: _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}),
        (
            "wrong-format",
            "sheet.ods: this is an OpenDocument (.ods) spreadsheet; save it as .xlsx (Excel 2007-365) and try again",
        ),
    ),
    "password-protected workbook": (
        "locked.xlsx",
        _encrypted,
        (
            "encrypted-workbook",
            "locked.xlsx: the workbook is password-protected; remove the password (File > Info "
            "> Protect Workbook) and save it again",
        ),
    ),
    "old .xls workbook": (
        "old.xls",
        _xls,
        (
            "wrong-format",
            "old.xls: this is an old Excel 97-2003 .xls file; open it in Excel and save it as .xlsx (Excel Workbook)",
        ),
    ),
}


@pytest.mark.parametrize(
    "case", [pytest.param(c, marks=() if c in ("csv", "empty file") else pytest.mark.slow) for c in FILE_CASES]
)
def test_files_that_are_not_intakes(case: str, tmp_path: Path) -> None:
    name, make, exp = FILE_CASES[case]
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    assert _problems(path) == [exp]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert _problems_of(tmp_path / "nope.xlsx") == [("file-not-found", "nope.xlsx: no such file")]
    assert _problems_of(tmp_path) == [("file-not-found", f"{tmp_path.name}: is a folder, not an .xlsx workbook")]


def _problems_of(path: Path) -> list[tuple[str, str]]:
    return [(p.code, str(p)) for p in read_intake(path)[1].errors]


def test_zip_bomb_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mops_xl.intake.file as intake_file

    path = write_valid(tmp_path / "bomb.xlsx")
    monkeypatch.setattr(intake_file, "MAX_TOTAL_UNCOMPRESSED", 10_000)  # a small limit stands in for gigabytes
    ((code, message),) = _problems_of(path)
    assert code == "unsafe-workbook"
    assert message.startswith("bomb.xlsx: refused: it would inflate to ") and message.endswith("possibly a zip bomb")


def test_xml_attack_in_document_properties_is_refused(tmp_path: Path) -> None:
    good = write_valid(tmp_path / "good.xlsx")
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<Properties xmlns="x"><property name="p"><vt>&lol2;</vt></property></Properties>'
    )
    with zipfile.ZipFile(good) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    members["docProps/custom.xml"] = bomb
    path = tmp_path / "attack.xlsx"
    path.write_bytes(_zip(members))
    assert _problems_of(path) == [
        (
            "unsafe-workbook",
            "attack.xlsx: refused: part docProps/custom.xml declares a "
            "DTD (a possible XML entity attack); Excel never writes one",
        )
    ]


def test_valid_intake_written_by_write_intake_has_no_problem(tmp_path: Path) -> None:
    path = write_intake(tmp_path / "ok.xlsx", valid_data())
    assert _problems(path) == []


# --- files written by programs, and spreadsheet features the values alone hide ---------------------------


def test_formula_never_calculated_is_named(tmp_path: Path) -> None:
    path = set_cell(write_valid(tmp_path / "script.xlsx"), "Actuals", "D3", "=D2*2")  # openpyxl saves no value
    assert _problems(path) == [
        (
            "formula-without-value",
            "Actuals!D3: the formula =D2*2 has no saved value: the "
            "file was written by a program and never opened in a spreadsheet app; open it in "
            "Excel or LibreOffice and save it",
        )
    ]


def test_error_cells_are_named(tmp_path: Path) -> None:
    path = set_cell(write_valid(tmp_path / "ref.xlsx"), "Actuals", "K3", "#REF!")
    assert _problems(path) == [
        ("cell-error", "Actuals!K3: Revenue must be a number, got the error #REF!; fix its formula or type the value")
    ]


@pytest.mark.slow
def test_merged_cells_in_a_table_are_an_error(tmp_path: Path) -> None:
    path = edit(write_valid(tmp_path / "merged.xlsx"), lambda wb: wb["Actuals"].merge_cells("B2:B3"))
    got = _problems(path)
    assert (
        "merged-cells",
        "Actuals!B2:B3: cells B2:B3 are merged; unmerge them so that every row and column holds its own value",
    ) in got


def test_sheet_xml_is_scanned_in_pieces_without_missing_a_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big sheet is read in pieces: a cell or a merge past any piece boundary is still found."""
    from mops_xl.intake import cells as cell_scan

    def damage(wb: openpyxl.Workbook) -> None:
        ws = wb["Actuals"]
        for r in range(4, 60):  # enough rows that 200-byte pieces split the sheet many times
            ws.append([D(2026, 1, 5), "Google Ads", f"Campaign {r}", 10, 100, 5, 1, 1, 0, 0, 0])
        ws["D40"] = "=D39*2"
        ws["K55"] = "#DIV/0!"
        ws.merge_cells("C57:C58")

    path = edit(write_valid(tmp_path / "big.xlsx"), damage)
    part = cell_scan.sheet_parts(path)["Actuals"]
    whole = cell_scan.scan_sheet(path, part)
    monkeypatch.setattr(cell_scan, "_CHUNK", 200)
    pieces = cell_scan.scan_sheet(path, part)
    assert [(i.cell, i.kind, i.detail) for i in pieces.issues] == [
        ("D40", "no-value", "=D39*2"),
        ("K55", "error", "#DIV/0!"),
    ]
    assert pieces.merged == ["C57:C58"]
    assert pieces == whole


def test_hidden_required_sheet_is_read_with_a_notice(tmp_path: Path) -> None:
    def hide(wb: openpyxl.Workbook) -> None:
        wb["Budget"].sheet_state = "hidden"
        wb["Channels"].sheet_state = "veryHidden"

    intake, report = read_intake(edit(write_valid(tmp_path / "hidden.xlsx"), hide))
    assert intake is not None and len(intake.budget) == 2
    notices = {str(p) for p in report.infos if p.code == "hidden-sheet"}
    assert notices == {
        "Budget: sheet Budget is hidden; it was read all the same",
        "Channels: sheet Channels is very hidden; it was read all the same",
    }


def test_macro_workbook_is_read_without_its_macros(tmp_path: Path) -> None:
    good = write_valid(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    members["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not really a VBA project"
    path = tmp_path / "macros.xlsm"
    path.write_bytes(_zip(members))
    intake, report = read_intake(path)
    assert intake is not None
    assert [str(p) for p in report.infos if p.code == "macros-ignored"] == [
        "macros.xlsm: the workbook carries macros; they were neither run nor copied (only the cell values are read)"
    ]


@pytest.mark.slow
def test_a_million_blank_formatted_rows_are_accepted(tmp_path: Path) -> None:
    """A sheet formatted down to Excel's last row (1,048,576) reads as its real rows (speed: benchmarks/)."""
    import re

    from mops_xl.intake.cells import sheet_parts

    base = write_valid(tmp_path / "base.xlsx")
    part = sheet_parts(base)["Actuals"]
    path = tmp_path / "formatted.xlsx"
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                text = data.decode()
                last = max(int(n) for n in re.findall(r'<row r="(\d+)"', text))
                blank = "".join(
                    f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/><c r="D{r}" s="1"/></row>'
                    for r in range(last + 1, 1_048_577)
                )
                data = text.replace("</sheetData>", blank + "</sheetData>").encode()
            zout.writestr(info, data)
    intake, report = read_intake(path)
    assert intake is not None and report.errors == [] and report.warnings == []
    assert len(intake.actuals) == len(valid_data()["Actuals"])


def test_ten_thousand_character_cell_is_accepted(tmp_path: Path) -> None:
    long_name = "Spring " * 1500
    path = write_valid(tmp_path / "long.xlsx", lambda d: d["Actuals"][0].update(Campaign=long_name))
    intake, report = read_intake(path)
    assert intake is not None and intake.actuals.loc[2, "Campaign"] == long_name.strip()


def test_xml_attack_in_a_sheet_is_refused_before_parsing(tmp_path: Path) -> None:
    good = write_valid(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    lol = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    members["xl/worksheets/sheet6.xml"] = lol + members["xl/worksheets/sheet6.xml"].split(b"?>", 1)[1]
    path = tmp_path / "lol.xlsx"
    path.write_bytes(_zip(members))
    assert _problems_of(path) == [
        (
            "unsafe-workbook",
            "lol.xlsx: refused: part xl/worksheets/sheet6.xml declares a "
            "DTD (a possible XML entity attack); Excel never writes one",
        )
    ]


@pytest.mark.slow
def test_two_builds_writing_one_report_leave_a_whole_file(tmp_path: Path) -> None:
    """Atomic rename: whichever build finishes last wins, and the survivor is a complete workbook."""
    from concurrent.futures import ThreadPoolExecutor

    from mops_xl import build_report, load_intake

    intake = load_intake(write_valid(tmp_path / "race.xlsx"))
    out = tmp_path / "race-report.xlsx"
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _: build_report(intake, out), range(2)))
    assert openpyxl.load_workbook(out).sheetnames[0] == "Dashboard"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []
