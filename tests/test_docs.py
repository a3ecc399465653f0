"""Documentation stays true: docs/intake.md is generated from the schema; every command has help."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from mops_xl.cli import cli
from mops_xl.docs.intake import render_intake_doc
from mops_xl.intake.schema import SHEETS

ROOT = Path(__file__).resolve().parents[1]


def test_intake_doc_is_up_to_date() -> None:
    got = (ROOT / "docs" / "intake.md").read_text(encoding="utf-8")
    assert got == render_intake_doc(), "docs/intake.md is stale: run `python -m mops_xl.docs.intake docs/intake.md`"


def test_intake_doc_documents_every_sheet_and_column() -> None:
    text = render_intake_doc()
    for schema in SHEETS:
        assert f"### {schema.name}\n" in text
        for fld in schema.fields:
            assert f"| {fld.name} |" in text, f"{schema.name}.{fld.name} is not documented"


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output, f"`mops-xl {name} --help` has no example"
        assert command.help and len(command.help.split()) > 5


def test_readme_starts_with_the_two_setup_commands_and_ci_runs_the_same_tests() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("```")
    first_code = blocks[1].strip().splitlines()
    build_cmd = next(line for line in first_code if "mops-xl build" in line)
    test_cmd = next(line for line in first_code if "pytest" in line)
    assert "pip install" in build_cmd and "samples/" in build_cmd
    assert "pip install" in test_cmd
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd.strip() in ci, ".ci/run must run exactly the README's test command"
    for command in cli.commands:
        assert f"mops-xl {command}" in readme, f"README does not mention `mops-xl {command}`"


def test_metrics_doc_defines_every_figure_the_engine_reports() -> None:
    from mops_xl.analysis.blocks.statuses import CHANNEL_ACTIONS
    from mops_xl.analysis.decisions.recommendations import RECOMMENDATION_COLUMNS
    from mops_xl.analysis.engine import KPI_METRICS
    from mops_xl.analysis.figures.performance import RATIOS

    text = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    for metric in list(KPI_METRICS) + [r.name for r in RATIOS]:
        assert metric in text, f"docs/metrics.md does not define {metric}"
    for word in (
        "Ahead",
        "On track",
        "At risk",
        "Off track",
        "No target",
        "No data",
        "Over pace",
        "Under pace",
        "On pace",
        "Not started",
        "Underperforming channel",
        "Overspending",
        "High performer",
        "A/B winner",
        "Holm",
        "Ad Hoc",
        "Repeatable",
        "Managed",
        "Optimized",
        *RECOMMENDATION_COLUMNS,
        *CHANNEL_ACTIONS,
    ):
        assert word in text, f"docs/metrics.md does not mention {word}"


def test_how_it_is_built_names_every_folder_of_the_package() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How it is built") :]
    section = section[: section.index("\n## ", 1)]
    folders = [
        p for p in (ROOT / "mops_xl").rglob("*") if p.is_dir() and (p / "__init__.py").exists() and p.name != "mops_xl"
    ]
    missing = [str(p.relative_to(ROOT / "mops_xl")) for p in folders if not re.search(rf"\b{p.name}/", section)]
    assert missing == [], "README's How it is built does not name these folders"
