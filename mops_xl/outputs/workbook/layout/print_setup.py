"""How every leadership sheet prints: landscape, one page wide, header rows repeated, header and footer.

Every printed page carries the business and the sheet (the header), Report as of, the mops-xl version that built
it and the page number (the footer), so a page read on its own says what it is and how far it can be trusted.

Set once here and applied by the writer facade (:class:`mops_xl.outputs.workbook.writer.ReportWriter`) to each
sheet, so "Save as PDF" in Excel and ``mops-xl build --pdf`` give the same readable pages.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from typing import Any

from mops_xl.analysis.blocks.wording import day

#: Paper sizes the report prints on, by their ``--paper`` name: XlsxWriter's (Excel's) paper codes.
PAPER_SIZES = {"a4": 9, "letter": 1}
DEFAULT_PAPER = "a4"
#: The currencies of the countries that print on Letter (the United States and Canada); every other business
#: prints on A4 unless ``--paper`` says otherwise.
LETTER_CURRENCIES = frozenset({"USD", "CAD"})


def footer_version() -> str:
    """The centre of every page's footer: the mops-xl version that built the report, e.g. "mops-xl 0.1.0".

    Read from the package, which sets ``__version__`` before its imports (importing ``mops_xl`` here would make
    the package and its writer import each other).

    Returns:
        The text.
    """
    return f"mops-xl {sys.modules['mops_xl'].__version__}"


#: Excel's limit on a header or footer's text.
_HEADER_LIMIT = 255


def paper_for(currency: str) -> str:
    """The paper a business prints on when ``--paper`` is not given: Letter for USD and CAD, A4 otherwise.

    Args:
        currency: The Business sheet's ISO currency code.

    Returns:
        A key of :data:`PAPER_SIZES`.
    """
    return "letter" if str(currency).strip().upper() in LETTER_CURRENCIES else DEFAULT_PAPER


@dataclass(frozen=True)
class PrintSetup:
    """The page every leadership sheet prints on.

    Args:
        business: The business name (left of the page header).
        report_date: The date the report is as of (left of the footer).
        paper: A key of :data:`PAPER_SIZES`.
    """

    business: str
    report_date: dt.date
    paper: str = DEFAULT_PAPER

    def apply(self, ws: Any, header_rows: tuple[int, int] | None) -> None:
        """Set up one worksheet for printing.

        Args:
            ws: The XlsxWriter worksheet.
            header_rows: The (first, last) rows printed on top of every page: a table's header row, or the
                title when the sheet holds several tables; None for none.
        """
        ws.set_landscape()
        ws.set_paper(PAPER_SIZES[self.paper])
        ws.fit_to_pages(1, 0)  # one page wide, as many tall as the sheet needs
        ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.75)
        ws.hide_gridlines(1)  # no gridlines on paper; kept on screen
        if header_rows is not None:
            ws.repeat_rows(*header_rows)
        business = _escape(self.business)[:100]
        ws.set_header(f"&L&9{business}&R&9&A"[:_HEADER_LIMIT], {"margin": 0.3})
        ws.set_footer(
            f"&L&9Report as of {day(self.report_date)}&C&9{footer_version()}&R&9Page &P of &N", {"margin": 0.3}
        )


def header_rows(ws: Any, header_format: Any) -> tuple[int, int] | None:
    """The rows to repeat on every printed page of a written sheet.

    A sheet with one table repeats that table's header row; a sheet with several tables (or none) repeats its
    title row, since one table's header over another's rows would mislead.

    Args:
        ws: The XlsxWriter worksheet, written.
        header_format: The format of table header cells.

    Returns:
        (first, last) row, 0-based.
    """
    rows = sorted(r for r, row in ws.table.items() if 0 in row and row[0].format is header_format)
    if len(rows) == 1:
        return rows[0], rows[0]
    return 0, 0


def _escape(text: str) -> str:
    """Escape Excel's header control character: a literal "&" is written "&&"."""
    return str(text).replace("&", "&&")
