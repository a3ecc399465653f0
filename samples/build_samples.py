"""Build the sample intakes in samples/ from their readable sources in samples/source/*.toml.

    python samples/build_samples.py            # all samples
    python samples/build_samples.py saas       # one

Deterministic: each source names its random seed, so a rebuild gives the same data.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from mops_xl import write_intake
from mops_xl.intake.example import intake_data

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "source"
NAMES = ("saas", "d2c", "local")


def build(name: str, out_path: Path | None = None) -> Path:
    """Build one sample intake.

    Args:
        name: The sample's name (its source is ``source/<name>.toml``).
        out_path: Where to write it (default ``samples/<name>.xlsx``).

    Returns:
        The path written.
    """
    spec = tomllib.loads((SOURCES / f"{name}.toml").read_text(encoding="utf-8"))
    return write_intake(out_path or HERE / f"{name}.xlsx", intake_data(spec))


def main(argv: list[str]) -> None:
    for name in argv or NAMES:
        print(f"wrote {build(name)}")


if __name__ == "__main__":
    main(sys.argv[1:])
