"""The README's user steps, run as written: a copy of the repository, a fresh virtual environment, the commands.

The README marks its steps for this test with HTML comments (invisible on GitHub) up to
``<!-- readme-test: end of the user steps -->``:

- the first fenced block, the two set-up commands: its first line is run (the second runs the test suite, this
  test included; CI runs it, tests/test_docs.py checks it is .ci/run's line);
- ``<!-- readme-test: run -->`` before a ``bash`` block: the block is run, line by line, as written;
- ``<!-- readme-test: fill PATH -->``: what a person does in Excel, filling in the blank intake PATH (done here
  with openpyxl: a business, one channel, its budget and two weeks of Actuals);
- ``<!-- readme-test: export PATH -->``: the export a person downloads from Google Ads (the next week's days).

Every other ``bash`` block of the user part must carry a marker, so no step goes untested; the PowerShell
commands for Windows are not run here. The steps run in one bash script (``set -e``) in a temporary folder that
holds a copy of the repository as a zip download would, with a clean environment (no virtual environment
active), so ``pip install .`` installs from the local copy and the package index pip is configured with.

Run as a script, the module does the two marked manual steps: ``python tests/test_readme_user_steps.py fill
acme.xlsx`` and ``… export google-ads.csv``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
END_OF_USER_STEPS = "<!-- readme-test: end of the user steps -->"
MARKER = re.compile(r"<!-- readme-test: (?P<what>[^>]*?) -->|```(?P<lang>\w*)\n(?P<code>.*?)```", re.DOTALL)
#: Without git: what a zip download does not hold (as .gitignore says), and a developer's virtual environment.
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    "__pycache__",
    "*.egg-info",
    "build",
    "dist",
    ".*_cache",
    ".hypothesis",
    "*-report.xlsx",
    "*-framework.md",
    "*-framework.txt",
)
#: The files the README says its steps write, in the folder they run in.
WRITTEN = [
    "saas-report.xlsx",
    "saas-framework.txt",
    "saas-framework.md",
    "example.xlsx",
    "example-report.xlsx",
    "acme.xlsx",
    "acme-report.xlsx",
    "acme-week-2.xlsx",
    "acme-week-2-report.xlsx",
]


def readme_user_steps(readme: str) -> list[tuple[str, str]]:
    """The README's user steps in order.

    Args:
        readme: The README's text.

    Returns:
        ``("run", command)`` for each command line to run, ``("fill", path)`` and ``("export", path)`` for the
        manual steps.
    """
    user_part = readme[: readme.index(END_OF_USER_STEPS)]
    steps: list[tuple[str, str]] = []
    run_next = False
    for number, match in enumerate(MARKER.finditer(user_part)):
        what = match["what"]
        if what is not None:
            action, _, argument = what.partition(" ")
            if action == "run":
                run_next = True
            else:
                assert action in ("fill", "export"), f"unknown README test marker: {what}"
                steps.append((action, argument.strip()))
            continue
        lines = [line for line in match["code"].splitlines() if line.strip()]
        if number == 0:  # the two set-up commands: build the sample; the second line is this test suite itself
            assert "pytest" in lines[1]
            steps.append(("run", lines[0]))
        elif run_next:
            assert match["lang"] == "bash", "a block marked run must be bash"
            steps.extend(("run", line) for line in lines)
        else:
            assert match["lang"] != "bash", f"a bash block of the README's user steps is not run:\n{match['code']}"
        run_next = False
    return steps


def clean_environment() -> dict[str, str]:
    """The environment of a new terminal: this test's virtual environment neither active nor on PATH.

    Returns:
        The environment for the steps.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CONDA_PREFIX")}
    venv_bin = Path(sys.prefix) / ("Scripts" if os.name == "nt" else "bin")
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if p and Path(p).resolve() != venv_bin.resolve()
    )
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


def copy_repository(clone: Path) -> None:
    """Copy the repository as a clone or a zip download holds it: its files, this checkout's edits included, but
    nothing git ignores (no virtual environment, no report a developer built in it).

    Args:
        clone: The folder to create.
    """
    listed = None
    if shutil.which("git") is not None:
        listed = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            check=False,
        )
    if listed is None or listed.returncode != 0:
        shutil.copytree(ROOT, clone, ignore=NOT_COPIED)
        return
    for name in listed.stdout.decode("utf-8").split("\0"):
        source = ROOT / name
        if name and source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)


def fill_intake(path: Path) -> None:
    """Fill in a blank intake as a person would: a business, one paid channel, its budget, two weeks of Actuals.

    Args:
        path: The blank intake `mops-xl init` wrote.
    """
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    business = workbook["Business"]
    business["B2"] = "Acme Analytics"
    business["B5"] = dt.date(2026, 9, 1)
    business["B6"] = dt.date(2026, 9, 30)
    workbook["Channels"].append(["Google Ads", "Capture demand", "Decision", "Buyers searching", "Dana Ruiz", "Yes"])
    workbook["Budget"].append(["Google Ads", dt.date(2026, 9, 1), dt.date(2026, 9, 30), 9000])
    for day in range(1, 15):
        row = [dt.date(2026, 9, day), "Google Ads", "Search - Brand", 290 + day, 9000, 300, 12, 6, 3, 1, 2400]
        workbook["Actuals"].append(row)
    workbook.save(path)


def write_google_ads_export(path: Path) -> None:
    """A Google Ads campaigns report by day, as downloaded: the week after the filled intake's Actuals.

    Args:
        path: The CSV to write.
    """
    rows = ["Day,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value"]
    rows += [f"2026-09-{day},Search - Brand,310.50,9100,305,12,2400.00" for day in range(15, 22)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_readme_steps_are_found() -> None:
    steps = readme_user_steps((ROOT / "README.md").read_text(encoding="utf-8"))
    commands = [argument for action, argument in steps if action == "run"]
    assert commands[0].startswith("python3 -m venv .venv") and commands[0].endswith("-o saas-report.xlsx")
    for expected in ("pip install .", "mops-xl init --example example.xlsx", "mops-xl init acme.xlsx"):
        assert expected in commands
    assert ("fill", "acme.xlsx") in steps and ("export", "google-ads.csv") in steps
    assert steps.index(("fill", "acme.xlsx")) < steps.index(("run", "mops-xl validate acme.xlsx"))


@pytest.mark.slow
def test_readme_user_steps_run_as_written(tmp_path: Path) -> None:
    assert shutil.which("bash"), "the README's macOS and Linux steps run in bash"
    steps = readme_user_steps((ROOT / "README.md").read_text(encoding="utf-8"))
    clone = tmp_path / "mops-xl"
    copy_repository(clone)
    script = ["set -e", "trap 'echo \"README step failed (exit $?): $BASH_COMMAND\" >&2' ERR", f"cd '{clone}'"]
    for action, argument in steps:
        if action == "run":
            script += [f"echo '$ {argument}'", argument]
        else:
            script.append(f"'{sys.executable}' '{Path(__file__)}' {action} '{argument}'")
    script.append('echo "mops-xl: $(command -v mops-xl)"')
    result = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "acme.xlsx: valid" in result.stdout, output[-6000:]
    assert "Appended 7 rows from google-ads.csv to Actuals" in output
    installed = subprocess.run(
        [str(clone / ".venv" / "bin" / "python"), "-c", "import mops_xl; print(mops_xl.__file__)"],
        cwd=tmp_path,
        env=clean_environment(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert installed.startswith(str(clone / ".venv")), f"mops-xl must be installed into the new .venv: {installed}"
    assert f"mops-xl: {clone}/.venv/bin/mops-xl\n" in result.stdout, "the steps must run the new .venv's mops-xl"
    for name in WRITTEN:
        assert (clone / name).is_file(), f"the README's steps did not write {name}"
    for report in ("saas-report.xlsx", "example-report.xlsx", "acme-report.xlsx", "acme-week-2-report.xlsx"):
        with zipfile.ZipFile(clone / report) as workbook:
            assert 'name="Dashboard"' in workbook.read("xl/workbook.xml").decode("utf-8"), report


if __name__ == "__main__":  # the README's manual steps, for the test above
    ACTIONS = {"fill": fill_intake, "export": write_google_ads_export}
    ACTIONS[sys.argv[1]](Path(sys.argv[2]))
