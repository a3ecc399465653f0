"""The errors mops-xl raises on purpose, in one small tree (a library user catches :class:`MopsXLError`).

Imports nothing from the package at run time: every layer may raise these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mops_xl.plural import count

if TYPE_CHECKING:
    from mops_xl.intake.problems import ValidationReport


class MopsXLError(Exception):
    """Base class of the errors mops-xl raises on purpose."""


class IntakeError(MopsXLError):
    """The intake has errors; ``report`` lists them all.

    Args:
        report: The validation report.
    """

    def __init__(self, report: ValidationReport):
        super().__init__(f"{count(len(report.errors), 'error')} in {report.source or 'the intake'}")
        self.report = report


class OutputError(MopsXLError):
    """The report cannot be written where asked (e.g. the output path is the input path)."""
