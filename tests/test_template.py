"""The blank intake template: what `mops-xl init` writes, and the copy kept in workbook_templates/."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from workbook_content import workbook_content

from mops_xl import SCHEMA_VERSION, read_intake, write_intake
from mops_xl.intake.schema import SHEETS

ROOT = Path(__file__).resolve().parents[1]
KEPT_TEMPLATE = ROOT / "workbook_templates" / "intake_template.xlsx"


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_intake(tmp_path_factory.mktemp("tpl") / "intake.xlsx")


def test_kept_template_matches_what_init_writes(blank: Path) -> None:
    exp = workbook_content(blank)
    got = workbook_content(KEPT_TEMPLATE)
    assert got == exp, (
        "workbook_templates/intake_template.xlsx is stale: run `mops-xl init --force "
        "workbook_templates/intake_template.xlsx`"
    )


def test_every_schema_sheet_is_there_after_instructions(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames == ["Instructions"] + [s.name for s in SHEETS]


def test_table_sheets_have_headers_tables_frozen_rows_and_dropdowns(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    for schema in SHEETS:
        ws = wb[schema.name]
        if schema.kind == "fields":
            assert [c.value for c in ws[1]] == ["Field", "Value", "Help"]
            assert [ws.cell(r, 1).value for r in range(2, len(schema.fields) + 2)] == schema.field_names
            continue
        assert [c.value for c in ws[1]][: len(schema.fields)] == schema.field_names
        assert ws.freeze_panes == "A2"
        assert len(ws.tables) == 1
        lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
        for i, fld in enumerate(schema.fields):
            letter = openpyxl.utils.get_column_letter(i + 1)
            if fld.choices or fld.type == "yesno":
                assert f"{letter}2" in lists, f"{schema.name}.{fld.name} has no dropdown"
                choices = fld.choices or ("Yes", "No")
                assert lists[f"{letter}2"] == '"' + ",".join(choices) + '"'


def test_date_money_and_percent_columns_are_formatted(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    actuals = wb["Actuals"]
    assert actuals.column_dimensions["A"].number_format == "yyyy-mm-dd"  # Date
    assert actuals.column_dimensions["D"].number_format == "#,##0.00"  # Spend
    assert actuals.column_dimensions["E"].number_format == "#,##0"  # Impressions
    assert wb["Experiments"].column_dimensions["I"].number_format == "0%"  # Traffic share
    assert wb["Settings"]["B2"].number_format == "0%"  # Underperforming threshold


def test_schema_version_is_recorded_in_properties_and_instructions(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["mops-xl schema version"] == SCHEMA_VERSION
    ws = wb["Instructions"]
    assert (ws["A2"].value, ws["B2"].value) == ("Schema version", SCHEMA_VERSION)


def test_defaults_and_standard_rows_are_prefilled(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    settings = {r[0]: r[1] for r in wb["Settings"].iter_rows(min_row=2, values_only=True)}
    assert settings["Underperforming threshold"] == 0.8
    assert settings["Overspending threshold"] == 1.1
    assert settings["Attribution model"] == "markov"
    assert settings["Trend window"] == 7
    cadence = [r[0] for r in wb["Cadence"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert cadence == [
        "Daily standup",
        "Weekly channel review",
        "Post-campaign retro",
        "Monthly strategy review",
        "Quarterly planning",
    ]
    capabilities = [r[0] for r in wb["Assessment"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(capabilities) == 16 and "UTM and naming conventions enforced" in capabilities


def test_blank_template_reports_exactly_what_is_left_to_fill(blank: Path) -> None:
    intake, report = read_intake(blank)
    assert intake is None
    got = sorted(str(p) for p in report.errors)
    exp = sorted(
        [
            "Business!B2: Business name is required",
            "Business!B5: Period start is required",
            "Business!B6: Period end is required",
            "Channels: Channels has no rows; it is required",
            "Budget: Budget has no rows; it is required",
            "Actuals: Actuals has no rows; it is required",
        ]
    )
    assert got == exp
    assert not report.warnings
