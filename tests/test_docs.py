"""Documentation stays true: docs/intake.md is generated from the schema; every command has help; the README and
the docs pages link each other and name what they must."""

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
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = page[page.index("## The stages") :]
    section = section[: section.index("\n## ", 1)]
    folders = [
        p for p in (ROOT / "mops_xl").rglob("*") if p.is_dir() and (p / "__init__.py").exists() and p.name != "mops_xl"
    ]
    missing = [str(p.relative_to(ROOT / "mops_xl")) for p in folders if not re.search(rf"\b{p.name}/", section)]
    assert missing == [], "docs/architecture.md's The stages does not name these folders"


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as hyphens.

    Args:
        heading: The heading's text, without the leading #s.

    Returns:
        The anchor, without #.
    """
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_links_between_the_readme_and_the_docs_lead_somewhere() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    anchors = {
        page.resolve(): {github_anchor(h) for h in re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.M)}
        for page in pages
    }
    broken = []
    for page in pages:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            path, _, anchor = target.partition("#")
            goal = (page.parent / path).resolve() if path else page.resolve()
            if not goal.exists() or (anchor and goal.suffix == ".md" and anchor not in anchors.get(goal, set())):
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert broken == []


def test_readme_puts_the_user_first() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = "\n".join(readme.splitlines()[:80])
    for step in ("## Install", "**Windows**", "**macOS and Linux**", "pipx install .", "## Your first report"):
        assert step in first_screen, f"the README's first 80 lines lack {step}"
    user_part = readme[: readme.index("<!-- readme-test: end of the user steps -->")]
    for system in ("Windows", "macOS", "Debian/Ubuntu", "Fedora"):
        assert system in user_part[user_part.index("LibreOffice") :], f"no LibreOffice install for {system}"
    for developer_word in ("Dask", "mypy", "ruff", "xdist", "analysis/"):
        assert developer_word not in user_part, f"the README's user part speaks of {developer_word}"
    for page in ("usage", "intake", "metrics", "batch", "architecture", "development", "benchmarks"):
        assert f"](docs/{page}.md)" in readme, f"the README does not link docs/{page}.md"
