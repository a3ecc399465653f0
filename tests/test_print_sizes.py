"""Issue 28: every page of the board pack prints at a size a person reads, measured on the PDF LibreOffice prints,
for the three samples and two generated intakes (the example `mops-xl init --example` writes, and an intake with a
channel whose data stops early and funnel stages nobody tracks, so "Not tracked" fills whole columns).

A word's box in ``pdftotext -bbox`` is about 1.3 times its printed size in Calibri/Carlito (as
``../shared/tools/pack_sizes.py`` measures), so a page's word sizes are its boxes' heights ÷ 1.3, in points. The
page's lines are its words at one height (within 3 points) between the page header (its top 7 %) and the footer
(its bottom 7 %), and it reaches as far down as the lowest of them ends.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from edge_intakes import write_lagging

from mops_xl import write_intake
from mops_xl.intake.example import example_data
from mops_xl.pipeline import BuildOptions, build_intake

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("saas", "d2c", "local")
#: The generated intakes, by label: a function writing each at a path.
GENERATED = {"example": lambda path: write_intake(path, example_data()), "lagging": write_lagging}
PACKS = (*SAMPLES, *GENERATED)
#: A page of a sheet that continues the page before holds more than this many lines (else they fit that page).
FEW_LINES = 6
#: A word's box height per point of its printed size (Calibri/Carlito).
BOX_PER_PT = 1.3
#: The smallest median word and smallest 5 % a page may print at (issue 28).
MEDIAN_PT, SMALLEST_PT = 8.0, 6.5
#: Each sample's campaign plans, by the sheet name their pages carry in the page header (the campaign's name).
PLANS = {
    "saas": ("Cloudlytics 4.0 launch", "Q3 data stack webinar series", "State of Analytics report"),
    "d2c": ("Fall Sale", "Winter shell jacket drop"),
    "local": ("New patient offer",),
}


@dataclass
class Page:
    """One printed page: its header line (the words in its top 7 %), its words' printed sizes in points, its
    lines of text between header and footer, how far down the page the lowest ends (0–1) and its words."""

    header: str
    sizes: list[float]
    lines: int
    reach: float
    words: set[str]

    @property
    def median(self) -> float:
        return statistics.median(self.sizes)

    @property
    def smallest(self) -> float:
        """The size of the smallest 5 % of its words."""
        return sorted(self.sizes)[int(len(self.sizes) * 0.05)]


def printed_pages(pdf: Path) -> list[Page]:
    """Each page of a PDF, measured (:class:`Page`).

    Args:
        pdf: The board pack.

    Returns:
        Its pages, in order.
    """
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        words = [
            (float(y0), float(y1), w)
            for y0, y1, w in re.findall(
                r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page
            )
        ]
        body = [(y0, y1) for y0, y1, _ in words if 0.07 * height < y0 < 0.93 * height]
        pages.append(
            Page(
                header=" ".join(w for y0, _, w in words if y0 <= 0.07 * height),
                sizes=[(y1 - y0) / BOX_PER_PT for y0, y1, _ in words],
                lines=len({round(y0 / 3) for y0, _ in body}),
                reach=max((y1 for _, y1 in body), default=0.0) / height,
                words={w for _, _, w in words},
            )
        )
    return pages


def sheet_of(page: Page, sheets: list[str]) -> str:
    """The sheet a page prints: the longest sheet name its header line ends with."""
    return max((s for s in sheets if page.header.endswith(s.replace("&", "&amp;"))), key=len)


def block_headers(report: Path) -> dict[str, set[str]]:
    """Each sheet printed in two blocks → the words of the first header of its second block: a page holding them
    all starts that block (a table of its own, not a spill of the first block).

    Args:
        report: The report workbook.

    Returns:
        Sheet name → words.
    """
    out = {}
    for ws in openpyxl.load_workbook(report).worksheets:
        area = ws.print_area or ""
        if "," not in area:
            continue
        first = area.split(",")[1].split("!")[1].split(":")[0].replace("$", "")
        row, column = openpyxl.utils.cell.coordinate_to_tuple(first)
        text = next(ws.cell(r, column).value for r in range(row, ws.max_row + 1) if ws.cell(r, column).value)
        out[ws.title] = set(str(text).split())
    return out


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[Page]]]:
    """Each pack's report workbook and its measured pages."""
    if shutil.which("pdftotext") is None:
        pytest.fail("poppler-utils (pdftotext) is needed for the board-pack tests: apt-get install poppler-utils")
    folder = tmp_path_factory.mktemp("sizes")
    intakes = {s: ROOT / "samples" / f"{s}.xlsx" for s in SAMPLES}
    intakes.update({label: write(folder / f"{label}.xlsx") for label, write in GENERATED.items()})
    out = {}
    for label, intake in intakes.items():
        built = build_intake(intake, folder / f"{label}-report.xlsx", BuildOptions(pdf=True))
        out[label] = (built.report, printed_pages(built.pdf))
    return out


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize("pack", PACKS)
def test_every_page_prints_at_a_readable_size(packs: dict[str, tuple[Path, list[Page]]], pack: str) -> None:
    """Before issue 28 the Dashboard printed at 5.8 pt, Channel Performance and Optimization Actions at 6.7–7.0 pt,
    the campaign plans at 5.3–5.6 pt, Budget Pacing and Experiments at 6.8–7.4 pt. Now every page prints its median
    word at 8 pt or more and its smallest 5 % at 6.5 pt or more: wide tables print as two blocks."""
    report, pages = packs[pack]
    small = [
        f"page {i} ({p.header}): median {p.median:.1f} pt, 5 % {p.smallest:.1f} pt"
        for i, p in enumerate(pages, 1)
        if p.median < MEDIAN_PT or p.smallest < SMALLEST_PT
    ]
    assert not small, small
    if pack in PLANS:  # every campaign plan printed
        assert all(any(plan in p.header for p in pages) for plan in PLANS[pack])


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize("pack", PACKS)
def test_page_one_fills_the_page(packs: dict[str, tuple[Path, list[Page]]], pack: str) -> None:
    """The Dashboard's page 1 reaches at least 70 % of the way down (it ended 46–48 % down): what fits page 1
    moves up, only what does not moves on."""
    _, pages = packs[pack]
    assert pages[0].header.endswith("Dashboard")
    assert pages[0].reach >= 0.70, pages[0].reach


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize("pack", PACKS)
def test_no_sheet_strands_a_few_lines_on_a_page(packs: dict[str, tuple[Path, list[Page]]], pack: str) -> None:
    """A page that continues its sheet holds more than a few lines (6), unless it starts the sheet's second block
    (a table of its own: Channel Performance's primary metric columns for local's 3 channels are 6 lines)."""
    report, pages = packs[pack]
    sheets = openpyxl.load_workbook(report, read_only=True).sheetnames
    blocks = block_headers(report)
    printed = [sheet_of(p, sheets) for p in pages]
    stranded = [
        f"page {i + 1} ({printed[i]}): {pages[i].lines} lines"
        for i in range(1, len(pages))
        if printed[i] == printed[i - 1]
        and pages[i].lines <= FEW_LINES
        and not blocks.get(printed[i], {"\0"}) <= pages[i].words
    ]
    assert not stranded, stranded
    if pack in SAMPLES:
        # before issue 28, Maturity spilled 5 lines onto a page of its own in every sample: now it is one page where
        # the spill is a few lines (saas, d2c); local's second page holds 11 lines, more than a few, and stays
        assert printed.count("Maturity") == (2 if pack == "local" else 1)
