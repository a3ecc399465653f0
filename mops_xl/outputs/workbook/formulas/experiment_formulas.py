"""Where an A/B variant's figures are written: the formula writer their definitions write themselves through.

A definition (:mod:`mops_xl.analysis.figures.ab_tests.experiment_figures`) knows what a figure is; the writer here knows
where a variant's row and its control's row are on the Experiments sheet, and how a Settings value is named.
"""

from __future__ import annotations

from collections.abc import Mapping

from mops_xl.analysis.figures.ab_tests.experiment_figures import VARIANT_FIGURE
from mops_xl.outputs.workbook.formulas.excel_formulas import UNDEFINED, name_for


class VariantFormulas:
    """One variant's row of the Experiments sheet.

    Args:
        cells: Figure → its cell in the variant's row.
        control: Figure → its cell in the control's row (Visitors, Conversions, Rate).
    """

    undefined = f'"{UNDEFINED}"'

    def __init__(self, cells: Mapping[str, str], control: Mapping[str, str]):
        self.cells, self.controls = cells, control

    def cell(self, figure: str) -> str:
        """The variant's cell of a figure."""
        return self.cells[figure]

    def control(self, figure: str) -> str:
        """The control's cell of a figure."""
        return self.controls[figure]

    def value(self, field: str) -> str:
        """The defined name of a Settings value."""
        return name_for(field)

    def formula(self, figure: str) -> str:
        """A variant figure's formula in this row.

        Args:
            figure: The figure (Rate, a comparison figure, Significant or Decision).

        Returns:
            The formula (with its leading "=").
        """
        return "=" + VARIANT_FIGURE[figure].formula(self)
