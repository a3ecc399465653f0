"""Outputs that never hurt anyone (issue 27): each trap a new user fell into, on temp folders through the CLI.

-o never replaces a file mops-xl did not write (``--force`` does); a report given as an intake names its intake;
-o folders are created; a folder named like a workbook is told so; the board pack PDF carries a mark, and a
rebuild without --pdf removes last build's (never someone's own PDF); --pdf without LibreOffice writes the workbook
and framework first; same-named intakes of different folders get their folder's name first; Letter for USD and CAD.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from click.testing import CliRunner

from mops_xl import write_intake
from mops_xl.atomic import OUTPUT_PROPERTY
from mops_xl.cli import cli
from mops_xl.intake.file import output_kind
from mops_xl.outputs.own_files import pdf_is_mops_xl, written_by_mops_xl

D = dt.date
#: What --pdf without LibreOffice prints, one line per system.
INSTALL_LINES = [
    "  Windows: the installer from https://www.libreoffice.org/download/, or winget install "
    "TheDocumentFoundation.LibreOffice",
    "  macOS: brew install --cask libreoffice",
    "  Debian/Ubuntu: sudo apt-get install libreoffice-calc",
    "  Fedora: sudo dnf install libreoffice-calc",
]


def _intake(path: Path, currency: str = "EUR", name: str = "Acme") -> Path:
    """A tiny valid intake: one paid channel, one day of Actuals."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_intake(
        path,
        {
            "Business": {
                "Business name": name,
                "Currency": currency,
                "Period start": D(2026, 10, 1),
                "Period end": D(2026, 10, 31),
                "Report as of": D(2026, 10, 10),
            },
            "Channels": [{"Channel": "Google Ads", "Paid": True}],
            "Budget": [
                {
                    "Channel": "Google Ads",
                    "Period start": D(2026, 10, 1),
                    "Period end": D(2026, 10, 31),
                    "Planned spend": 3100,
                }
            ],
            "Actuals": [{"Date": D(2026, 10, 2), "Channel": "Google Ads", "Spend": 100, "Leads": 10, "Customers": 1}],
        },
    )


def _build(*args: str | Path) -> object:
    return CliRunner().invoke(cli, ["build", *map(str, args)])


def _someones_workbook(path: Path) -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Budget 2027"
    wb.save(path)
    return path.read_bytes()


def _pdf(path: Path, info: str) -> Path:
    """A one-page PDF whose document information dictionary is ``info`` (as LibreOffice writes it, last)."""
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj\n<</Type/Catalog>>\nendobj\n2 0 obj\n" + info.encode("latin-1") + b"\nendobj\n"
        b"trailer\n<</Size 3/Root 1 0 R/Info 2 0 R>>\n%%EOF\n"
    )
    return path


def _hex(text: str) -> str:
    """A PDF text string as LibreOffice writes it: UTF-16 with a byte-order mark, in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


# -o never replaces a file mops-xl did not write


def test_o_onto_someones_workbook_is_refused_and_force_replaces_it(tmp_path: Path) -> None:
    intake = _intake(tmp_path / "acme.xlsx")
    budget = tmp_path / "budget-2027.xlsx"
    before = _someones_workbook(budget)

    refused = _build(intake, "-o", budget)
    assert refused.exit_code == 2
    assert refused.output == (
        f"Error: {budget}: exists and was not written by mops-xl; choose another path with -o, or pass --force to "
        "replace it\n"
    )
    assert budget.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme.xlsx", "budget-2027.xlsx"]  # nothing else written

    forced = _build(intake, "-o", budget, "--force", "-q")
    assert forced.exit_code == 0, forced.output
    assert output_kind(budget) == "report"

    again = _build(intake, "-o", budget, "-q")  # now a mops-xl report: replaced without a word
    assert again.exit_code == 0 and again.output == ""


def test_o_onto_an_earlier_mops_xl_report_replaces_it(tmp_path: Path) -> None:
    intake = _intake(tmp_path / "acme.xlsx")
    report = tmp_path / "reports" / "week-41.xlsx"
    first = _build(intake, "-o", report, "-q")
    assert first.exit_code == 0, first.output
    later = _intake(tmp_path / "acme.xlsx", name="Acme Corp")  # the intake edited since
    second = _build(later, "-o", report, "-q")
    assert second.exit_code == 0 and second.output == ""
    assert openpyxl.load_workbook(report).properties.title == "Marketing operations report — Acme Corp"


def test_framework_file_of_someone_else_is_refused(tmp_path: Path) -> None:
    intake = _intake(tmp_path / "acme.xlsx")
    notes = tmp_path / "acme-framework.md"
    notes.write_text("# My own notes on the framework\n", encoding="utf-8")
    refused = _build(intake, "-q")
    assert refused.exit_code == 2
    assert f"{notes}: exists and was not written by mops-xl" in refused.output
    assert notes.read_text(encoding="utf-8") == "# My own notes on the framework\n"
    assert not (tmp_path / "acme-report.xlsx").exists()


def test_plan_csv_over_someones_csv_is_refused(tmp_path: Path) -> None:
    intake = _intake(tmp_path / "acme.xlsx")
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("Name,Email\nAda,ada@example.com\n", encoding="utf-8")
    refused = _build(intake, "--plan-csv", contacts, "-q")
    assert refused.exit_code == 2
    assert (
        f"{contacts}: exists and was not written by mops-xl; choose another --plan-csv path, or pass --force"
        in refused.output
    )
    assert contacts.read_text(encoding="utf-8") == "Name,Email\nAda,ada@example.com\n"


def test_import_never_replaces_a_file_without_force(tmp_path: Path) -> None:
    intake = _intake(tmp_path / "acme.xlsx")
    export = tmp_path / "spend.csv"
    export.write_text("Date,Channel,Spend\n2026-10-03,Google Ads,12.5\n", encoding="utf-8")
    edited = tmp_path / "acme-imported.xlsx"
    before = _someones_workbook(edited)
    refused = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(export)])
    assert refused.exit_code == 2 and f"{edited}: exists and was not written by mops-xl" in refused.output
    assert edited.read_bytes() == before
    forced = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(export), "--force"])
    assert forced.exit_code == 0, forced.output
    assert edited.read_bytes() != before


@pytest.mark.slow  # two builds
def test_a_batch_over_someones_file_is_refused_as_a_whole(tmp_path: Path) -> None:
    a, b = _intake(tmp_path / "in" / "a.xlsx"), _intake(tmp_path / "in" / "b.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    before = _someones_workbook(out / "b-report.xlsx")
    refused = _build(a, b, "-o", out)
    assert (
        refused.exit_code == 2 and f"{out / 'b-report.xlsx'}: exists and was not written by mops-xl" in refused.output
    )
    assert sorted(p.name for p in out.iterdir()) == ["b-report.xlsx"] and (out / "b-report.xlsx").read_bytes() == before


# a report given as an intake


def test_a_report_given_as_intake_names_its_intake(tmp_path: Path) -> None:
    intake = _intake(tmp_path / "acme.xlsx")
    assert _build(intake, "-q").exit_code == 0
    report = tmp_path / "acme-report.xlsx"
    expected = "acme-report.xlsx: this is a mops-xl report; build its intake (acme.xlsx) instead"
    built = _build(report)
    assert built.exit_code == 2 and expected in built.output
    assert "merged" not in built.output and not (tmp_path / "acme-report-report.xlsx").exists()
    validated = CliRunner().invoke(cli, ["validate", str(report)])
    assert validated.exit_code == 2 and expected in validated.output


def test_an_older_report_and_a_rollup_given_as_intake(tmp_path: Path) -> None:
    for name, kind in (("old-report.xlsx", "report"), ("sums.xlsx", "roll-up"), ("v.xlsx", "values-only report")):
        wb = xlsxwriter.Workbook(tmp_path / name)
        wb.set_custom_property(OUTPUT_PROPERTY, kind)  # a report of a version that did not name its intake
        wb.add_worksheet("Business")
        wb.close()
    said = {
        name: CliRunner().invoke(cli, ["validate", str(tmp_path / name)])
        for name in ("old-report.xlsx", "sums.xlsx", "v.xlsx")
    }
    assert all(r.exit_code == 2 for r in said.values())
    assert (
        "old-report.xlsx: this is a mops-xl report; build its intake (the intake it was built from) instead"
        in said["old-report.xlsx"].output
    )
    assert (
        "sums.xlsx: this is a mops-xl roll-up; build the intakes it sums up (their folder) instead"
        in said["sums.xlsx"].output
    )
    assert (
        "v.xlsx: this is a mops-xl values-only report; build its intake (the intake it was built from)"
        in said["v.xlsx"].output
    )


# output folders


def test_o_folder_for_one_intake_is_created(tmp_path: Path) -> None:
    intake = _intake(tmp_path / "acme.xlsx")
    with_separator = _build(intake, "-o", f"{tmp_path / 'reports'}/", "-q")
    assert with_separator.exit_code == 0, with_separator.output
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        "acme-framework.md",
        "acme-framework.txt",
        "acme-report.xlsx",
    ]
    with_json = _build(intake, "-o", f"{tmp_path / 'json-run'}/", "--json")  # the "give a name ending in .xlsx"
    assert with_json.exit_code == 0, with_json.output
    assert with_json.stdout.startswith("{") and (tmp_path / "json-run" / "acme-report.xlsx").is_file()
    without_suffix = _build(intake, "-o", tmp_path / "run-2", "-q")  # a new name without a suffix: a folder too
    assert without_suffix.exit_code == 0, without_suffix.output
    assert (tmp_path / "run-2" / "acme-report.xlsx").is_file()


def test_an_intake_with_errors_leaves_no_new_folder_behind(tmp_path: Path) -> None:
    intake = _intake(tmp_path / "acme.xlsx")
    workbook = openpyxl.load_workbook(intake)
    workbook["Actuals"]["B2"] = "Linkedin Ads"  # not in Channels: an error, so nothing is written
    workbook.save(intake)
    (tmp_path / "kept").mkdir()
    refused = _build(intake, "-o", f"{tmp_path / 'kept' / 'week-2' / 'reports'}/")
    assert refused.exit_code == 2 and "Linkedin Ads" in refused.output
    assert list((tmp_path / "kept").iterdir()) == []  # week-2/reports/ made and removed; kept/ stays


@pytest.mark.slow  # two builds and a roll-up
def test_o_folder_for_a_batch_is_created(tmp_path: Path) -> None:
    a, b = _intake(tmp_path / "a.xlsx"), _intake(tmp_path / "b.xlsx", name="Globex")
    result = _build(a, b, "-o", f"{tmp_path / 'reports' / 'week-41'}/", "-q")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "reports" / "week-41").iterdir()) == [
        "a-framework.md",
        "a-framework.txt",
        "a-report.xlsx",
        "b-framework.md",
        "b-framework.txt",
        "b-report.xlsx",
        "mops-xl-rollup.xlsx",
    ]


def test_a_folder_named_like_a_workbook_as_o_is_told_so(tmp_path: Path) -> None:
    intake = _intake(tmp_path / "acme.xlsx")
    folder = tmp_path / "reports.xlsx"
    folder.mkdir()
    refused = _build(intake, "-o", folder)
    assert refused.exit_code == 2
    assert refused.output.startswith(f"Error: {folder} is a folder: -o names the report's file")
    assert list(folder.iterdir()) == []
    inside = _build(intake, "-o", f"{folder}/", "-q")  # with the separator: into it
    assert inside.exit_code == 0 and (folder / "acme-report.xlsx").is_file()


def test_a_folder_named_intake_xlsx_as_the_input_is_told_so(tmp_path: Path) -> None:
    folder = tmp_path / "intake.xlsx"
    folder.mkdir()
    for args in ((), ("-o", f"{tmp_path / 'reports'}/")):
        refused = _build(folder, *args)
        assert refused.exit_code == 2
        assert refused.output == (
            f"Error: no .xlsx intake found in {folder} ({folder} is a folder, though its name ends in .xlsx)\n"
        )
    assert not (tmp_path / "reports").exists()


def test_a_folder_named_intake_xlsx_with_a_workbook_o_is_told_so(tmp_path: Path) -> None:
    folder = tmp_path / "intake.xlsx"
    folder.mkdir()
    refused = _build(folder, "-o", tmp_path / "report.xlsx")
    assert refused.exit_code == 2
    assert (
        f"({folder} is a folder, though its name ends in .xlsx, so it was read as a folder of intakes)"
        in refused.output
    )
    assert "existing folder" not in refused.output


# the PDF


def test_the_pdf_mark_is_read_as_libreoffice_writes_it(tmp_path: Path) -> None:
    marked = _pdf(
        tmp_path / "a.pdf", f"<</Title{_hex('Anything')}/Keywords{_hex('mops-xl-output')}/Creator{_hex('Calc')}>>"
    )
    literal = _pdf(tmp_path / "b.pdf", "<</Keywords(board, mops-xl-output)>>")
    legacy = _pdf(tmp_path / "c.pdf", f"<</Title{_hex('Marketing operations report — Acme')}/Author{_hex('mops-xl')}>>")
    own = _pdf(tmp_path / "d.pdf", f"<</Title{_hex('Board deck')}/Keywords{_hex('mops-xl, output')}>>")
    assert [pdf_is_mops_xl(p) for p in (marked, literal, legacy, own)] == [True, True, True, False]
    text = tmp_path / "e.pdf"
    text.write_text("/Keywords(mops-xl-output)", encoding="ascii")  # no %PDF- header: not a PDF
    assert not written_by_mops_xl(text)


def test_a_rebuild_without_pdf_removes_last_builds_pdf(tmp_path: Path) -> None:
    intake = _intake(tmp_path / "acme.xlsx")
    pdf = _pdf(tmp_path / "acme-report.pdf", f"<</Keywords{_hex('mops-xl-output')}>>")
    result = CliRunner().invoke(cli, ["build", str(intake)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "Removed last build's acme-report.pdf: it no longer matches the workbook\n"
    assert not pdf.exists()


def test_someones_pdf_of_the_same_name_stays(tmp_path: Path) -> None:
    intake = _intake(tmp_path / "acme.xlsx")
    pdf = _pdf(tmp_path / "acme-report.pdf", f"<</Title{_hex('Board deck')}>>")
    before = pdf.read_bytes()
    result = CliRunner().invoke(cli, ["build", str(intake)])
    assert result.exit_code == 0, result.output
    assert "Removed" not in result.output and pdf.read_bytes() == before


def test_pdf_without_libreoffice_writes_the_workbook_then_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mops_xl.outputs.libreoffice.find_soffice", lambda: None)
    intake = _intake(tmp_path / "acme.xlsx")
    result = _build(intake, "--pdf", "-q")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: --pdf needs LibreOffice, which was not found: the report and the framework were written, the PDF was "
        "not; install it:",
        *INSTALL_LINES,
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "acme-framework.md",
        "acme-framework.txt",
        "acme-report.xlsx",
        "acme.xlsx",
    ]


@pytest.mark.slow
@pytest.mark.libreoffice
def test_the_board_pack_carries_the_mark_and_goes_when_built_without_pdf(tmp_path: Path) -> None:
    intake = _intake(tmp_path / "acme.xlsx")
    assert _build(intake, "--pdf", "-q").exit_code == 0
    pdf = tmp_path / "acme-report.pdf"
    assert pdf_is_mops_xl(pdf)
    assert _hex("mops-xl-output").encode() in pdf.read_bytes()  # LibreOffice copied the keyword into the PDF
    again = _build(intake, "--pdf", "-q")  # its own PDF: replaced without --force
    assert again.exit_code == 0 and pdf.is_file()
    without = CliRunner().invoke(cli, ["build", str(intake), "-q"])
    assert without.exit_code == 0 and not pdf.exists()


# same-named intakes of different folders


@pytest.mark.slow  # three builds and a roll-up
def test_same_named_intakes_of_two_folders_get_their_folders_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _intake(tmp_path / "acme" / "intake.xlsx", name="Acme")
    _intake(tmp_path / "globex" / "intake.xlsx", name="Globex")
    _intake(tmp_path / "globex" / "extra.xlsx", name="Initech")
    out = tmp_path / "reports"
    monkeypatch.chdir(tmp_path / "acme")  # "intake.xlsx" alone: its folder is still named acme
    result = _build("intake.xlsx", "../globex/intake.xlsx", "../globex/extra.xlsx", "-o", "../reports")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "acme-intake-framework.md",
        "acme-intake-framework.txt",
        "acme-intake-report.xlsx",
        "extra-framework.md",  # no clash: its own name
        "extra-framework.txt",
        "extra-report.xlsx",
        "globex-intake-framework.md",
        "globex-intake-framework.txt",
        "globex-intake-report.xlsx",
        "mops-xl-rollup.xlsx",
    ]
    table = {line.split()[0]: line.split()[1] for line in result.output.splitlines()[1:4]}
    assert table == {"acme/intake.xlsx": "built", "globex/intake.xlsx": "built", "extra.xlsx": "built"}
    ws = openpyxl.load_workbook(out / "mops-xl-rollup.xlsx", read_only=True).worksheets[0]
    rows = [[str(c) for c in row] for row in ws.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if "File" in row)
    file_col, business_col = rows[header].index("File"), rows[header].index("Business")
    files = {row[business_col]: row[file_col] for row in rows[header + 1 :] if row[business_col] != "None"}
    assert files == {"Acme": "acme/intake.xlsx", "Globex": "globex/intake.xlsx", "Initech": "extra.xlsx"}


def test_a_folder_of_client_folders_finds_each_clients_intake(tmp_path: Path) -> None:
    """clients/acme/intake.xlsx and clients/globex/intake.xlsx: `build clients/` finds both, one level down, and a
    hidden folder's workbook and an earlier report are left out."""
    from mops_xl.batch import find_intakes

    clients = tmp_path / "clients"
    acme = _intake(clients / "acme" / "intake.xlsx", name="Acme")
    globex = _intake(clients / "globex" / "intake.xlsx", name="Globex")
    own = _intake(clients / "all.xlsx", name="All")
    _intake(clients / ".trash" / "old.xlsx")
    built = _build(acme, "-q")
    assert built.exit_code == 0, built.output  # clients/acme/intake-report.xlsx: a report, not an intake
    assert find_intakes([clients]) == [own, acme, globex]


# paper


@pytest.mark.slow  # three builds, read back
@pytest.mark.parametrize(
    ("currency", "args", "paper"),
    [("USD", (), 1), ("CAD", (), 1), ("EUR", (), 9), ("USD", ("--paper", "a4"), 9), ("EUR", ("--paper", "letter"), 1)],
)
def test_letter_for_usd_and_cad_a4_otherwise_and_paper_wins(
    tmp_path: Path, currency: str, args: tuple[str, ...], paper: int
) -> None:
    intake = _intake(tmp_path / "acme.xlsx", currency=currency)
    assert _build(intake, *args, "-q").exit_code == 0
    wb = openpyxl.load_workbook(tmp_path / "acme-report.xlsx")
    printed = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert printed and {ws.page_setup.paperSize for ws in printed} == {paper}  # Excel's codes: 1 Letter, 9 A4


def test_a_build_lands_its_outputs_together_or_not_at_all(tmp_path: Path) -> None:
    """A full disk on the last output (the framework text, after the report fitted) left the report and the Markdown
    framework of the failed build beside an older text framework. Inside all_or_nothing each output stays a
    temporary file until all are written: a failure removes them all, success renames them all."""
    from mops_xl.atomic import all_or_nothing, atomic_output

    report, text = tmp_path / "r.xlsx", tmp_path / "r-framework.txt"
    text.write_text("last build's framework")
    with pytest.raises(OSError), all_or_nothing():
        with atomic_output(report) as tmp:
            tmp.write_bytes(b"new report")
        with atomic_output(text) as tmp:
            raise OSError(28, "No space left on device")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r-framework.txt"]  # no report, no temporary file
    assert text.read_text() == "last build's framework"
    with all_or_nothing():
        with atomic_output(report) as tmp:
            tmp.write_bytes(b"new report")
        assert not report.exists()  # not before the whole set is written
        with atomic_output(text) as tmp:
            tmp.write_text("new framework")
    assert report.read_bytes() == b"new report" and text.read_text() == "new framework"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r-framework.txt", "r.xlsx"]
