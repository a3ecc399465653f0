"""Many intakes at once: a local process pool or a Dask cluster, and the roll-up workbook.

Each intake goes through :func:`mops_xl.pipeline.build_intake` (the same path as a single build); one bad
file never stops the others. May import: :mod:`mops_xl.pipeline` and the layers below it; never
:mod:`mops_xl.cli`. Dask is imported only by :mod:`mops_xl.batch.cluster`, only when a scheduler is given.
"""

from mops_xl.batch.collisions import check_batch_outputs, rollup_path
from mops_xl.batch.local import build_many, find_intakes
from mops_xl.batch.rollup import write_rollup
from mops_xl.batch.task import BatchResult, build_one

__all__ = [
    "BatchResult",
    "build_many",
    "build_one",
    "check_batch_outputs",
    "find_intakes",
    "rollup_path",
    "write_rollup",
]
