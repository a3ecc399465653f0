"""Start fast (issue 29): what the command imports, and the A/B figures it computes without scipy.stats.

The speed itself is measured by ``benchmarks/sample_build.py`` (ratios to the design card's import floor), never
timed here. These tests run the command in a fresh interpreter and look at ``sys.modules``: ``--version`` and
``--help`` load no stage of the build, and a build of the samples loads no scipy at all, nor statsmodels, Dask or
LibreOffice's module. The normal and chi-square figures that come from the standard library instead
(:mod:`~mops_xl.analysis.figures.ab_tests.distributions`) are checked against values worked by hand and against
scipy.stats.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mops_xl.analysis.figures.ab_tests.experiment_figures import (
    P_VALUE,
    VISITORS_NEEDED,
    ExperimentBasis,
    normal_critical,
)
from mops_xl.analysis.figures.ab_tests.experiments import planned_shares, sample_ratio_p

ROOT = Path(__file__).resolve().parents[1]
#: Never imported to start the command: the slow libraries and the paths only some commands take.
NOT_AT_START = (
    "scipy",
    "scipy.stats",
    "statsmodels",
    "jinja2",
    "dask",
    "distributed",
    "pandas",
    "openpyxl",
    "mops_xl.outputs.libreoffice",
    "mops_xl.analysis.engine",
    "mops_xl.outputs.workbook.writer",
)
#: Never imported by a build without --pdf, --previous or --scheduler.
NOT_IN_A_BUILD = ("scipy.stats", "statsmodels", "dask", "distributed", "mops_xl.outputs.libreoffice")


def loaded_after(code: str, watched: tuple[str, ...]) -> list[str]:
    """Run ``code`` in a fresh interpreter (from the repository) and list which ``watched`` modules it loaded.

    Args:
        code: Python statements.
        watched: Module names.

    Returns:
        The watched modules found in ``sys.modules`` afterwards.
    """
    probe = f"import json, sys\n{code}\nprint(json.dumps([m for m in {list(watched)!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_command(*args: str) -> str:
    """Statements that run ``mops-xl ARGS`` in-process and carry on after its ``sys.exit``."""
    return (
        "from mops_xl.cli import main\n"
        f"sys.argv = ['mops-xl', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert done.code in (0, None), done.code\n"
    )


@pytest.mark.parametrize(("set_by_user", "threads"), [(None, "1"), ("2", "2")])
def test_the_command_gives_blas_one_thread_unless_the_user_set_it(set_by_user: str | None, threads: str) -> None:
    code = "import os\n"
    if set_by_user is not None:
        code += f"os.environ['OPENBLAS_NUM_THREADS'] = {set_by_user!r}\n"
    code += run_command("--version") + "import numpy\nprint(json.dumps([os.environ['OPENBLAS_NUM_THREADS']]))\n"
    probe = f"import json, sys\n{code}"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [threads]


def test_importing_the_cli_loads_no_stage() -> None:
    assert loaded_after("import mops_xl.cli", NOT_AT_START) == []


def test_importing_the_package_loads_no_stage_until_a_name_is_used() -> None:
    assert loaded_after("import mops_xl; assert mops_xl.__version__", NOT_AT_START) == []
    used = loaded_after("import mops_xl; mops_xl.load_intake", ("pandas", "mops_xl.intake.load"))
    assert used == ["pandas", "mops_xl.intake.load"]


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_load_no_stage(option: str) -> None:
    assert loaded_after(run_command(option), NOT_AT_START) == []


def test_the_version_prints_from_the_console_script_too() -> None:
    script = Path(sys.executable).with_name("mops-xl")
    if not script.exists():
        pytest.fail("mops-xl is not installed beside this interpreter: pip install -e '.[test]'")
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "mops-xl, version 0.1.0"


def test_a_build_with_experiments_of_two_and_three_variants_never_imports_scipy(tmp_path: Path) -> None:
    out = tmp_path / "saas-report.xlsx"  # saas: two experiments of two variants and one of three
    code = run_command("build", str(ROOT / "samples" / "saas.xlsx"), "-o", str(out), "--quiet")
    assert loaded_after(code, ("scipy", *NOT_IN_A_BUILD)) == []
    assert out.exists()


def test_an_srm_check_of_four_variants_reads_scipy_special_only() -> None:
    code = (
        "from mops_xl.analysis.figures.ab_tests.experiments import sample_ratio_p\n"
        "assert 0 < sample_ratio_p([100, 120, 90, 110], [0.25] * 4) < 1"
    )
    assert loaded_after(code, ("scipy.special", "scipy.stats")) == ["scipy.special"]


def test_the_analysis_of_an_intake_without_experiments_never_imports_scipy() -> None:
    code = f"from mops_xl import analyse, load_intake\nanalyse(load_intake({str(ROOT / 'samples' / 'local.xlsx')!r}))"
    assert loaded_after(code, ("scipy", *NOT_IN_A_BUILD)) == []


# --- the figures from the standard library, worked by hand ---------------------------------------------------------


def test_two_sided_p_of_z_1_96_is_five_percent() -> None:
    # Φ(1.96) = 0.9750021 (normal table), so 2 × (1 − Φ(1.96)) = 0.0499958; Φ(0) = ½ gives p = 1 exactly.
    rows = pd.DataFrame({"Z": [1.96, -1.96, 0.0, 2.5758, math.nan]})
    p = P_VALUE.compute(rows, ExperimentBasis(alpha=0.05)).tolist()
    assert p[0] == pytest.approx(0.0499958, abs=1e-7)
    assert p[1] == p[0]  # two-sided: the sign of z does not matter
    assert p[2] == 1.0
    assert p[3] == pytest.approx(0.0100, abs=1e-5)  # z₀.₉₉₅ = 2.5758 (table): p = 1 %
    assert math.isnan(p[4])


def test_critical_z_of_the_usual_significance_levels() -> None:
    # table values: z₀.₉₇₅ = 1.959964, z₀.₉₉₅ = 2.575829, z₀.₉₅ = 1.644854
    assert normal_critical(0.025) == pytest.approx(1.959964, abs=1e-6)
    assert normal_critical(0.005) == pytest.approx(2.575829, abs=1e-6)
    assert normal_critical(0.05) == pytest.approx(1.644854, abs=1e-6)
    assert normal_critical(0.5) == 0.0
    assert normal_critical(0.0) == math.inf and normal_critical(1.0) == -math.inf
    assert math.isnan(normal_critical(math.nan)) and math.isnan(normal_critical(1.5))


def test_visitors_needed_for_ten_to_twelve_percent_is_3841() -> None:
    # p₁ = 0.10, p₂ = 0.12, α = 0.05, power 0.8: z = 1.959964 and 0.841621, p̄ = 0.11;
    # (1.959964 × √(2 × 0.11 × 0.89) + 0.841621 × √(0.1 × 0.9 + 0.12 × 0.88))² ÷ 0.02²
    # = (1.959964 × 0.442493 + 0.841621 × 0.442267)² ÷ 0.0004 = 1.239492² ÷ 0.0004 = 3840.85 → 3841 per variant.
    rows = pd.DataFrame({"Control rate": [0.10], "Rate": [0.12]})
    assert VISITORS_NEEDED.compute(rows, ExperimentBasis(alpha=0.05)).tolist() == [3841.0]


def test_srm_p_of_a_520_480_split_planned_even() -> None:
    # expected 500 and 500: χ² = 20²/500 + 20²/500 = 1.6 on 1 degree of freedom; its tail is
    # 2 × (1 − Φ(√1.6)) = 2 × (1 − Φ(1.264911)) = 2 × 0.102952 = 0.205903 (= erfc(√0.8)).
    p = sample_ratio_p([520, 480], [0.5, 0.5])
    assert p == pytest.approx(0.205903, abs=1e-6)
    assert p == pytest.approx(math.erfc(math.sqrt(0.8)), rel=1e-12)


def test_srm_p_of_three_variants_is_exp_of_minus_half_chi_square() -> None:
    # expected 1,000 each: χ² = 0 + 100²/1000 + 100²/1000 = 20 on 2 degrees of freedom, whose tail is e^(−χ²/2)
    assert sample_ratio_p([1000, 1100, 900], [math.nan] * 3) == pytest.approx(math.exp(-10), rel=1e-12)
    # a planned 60/40 split met exactly: χ² = 0, p = 1
    assert sample_ratio_p([600, 400], [0.6, 0.4]) == 1.0


def test_srm_p_of_four_variants_is_the_chi_square_tail_on_three_degrees_of_freedom() -> None:
    # expected 100 each: χ² = 10²/100 + 10²/100 + 20²/100 + 0 = 6 on 3 degrees of freedom, whose tail is
    # erfc(√3) + e^(−3) × √(2 × 6 ÷ π) = 0.0142960 + 0.0497871 × 1.954410 = 0.111610 (χ² table: 0.1116)
    p = sample_ratio_p([110, 110, 80, 100], [math.nan] * 4)
    assert p == pytest.approx(math.erfc(math.sqrt(3)) + math.exp(-3) * math.sqrt(12 / math.pi), rel=1e-12)
    assert p == pytest.approx(0.111610, abs=1e-6)


# --- what scipy.stats gives, to 1e-13 ---------------------------------------------------------------


def test_the_figures_equal_scipy_stats() -> None:
    from scipy import stats  # the reference only: the command never imports it

    rng = np.random.default_rng(29)
    z = np.concatenate([rng.normal(0, 3, 2000), [0.0, 1.96, -8.5, 40.0, math.inf, math.nan]])
    p = P_VALUE.compute(pd.DataFrame({"Z": z}), ExperimentBasis(alpha=0.05)).to_numpy()
    np.testing.assert_allclose(p, 2 * stats.norm.sf(np.abs(z)), rtol=1e-13, atol=0)  # NaN where NaN
    tails = np.array([*rng.uniform(0, 1, 500), 0.025, 0.005, 0.05, 1e-300, 0.5])
    np.testing.assert_allclose([normal_critical(t) for t in tails], stats.norm.isf(tails), rtol=1e-13, atol=1e-15)
    for _ in range(300):
        visitors = rng.integers(1, 50_000, size=int(rng.integers(2, 5))).tolist()
        shares = rng.uniform(0.05, 1, size=len(visitors)).tolist()
        observed = np.array(visitors, dtype=float)  # the split the check expects, as scipy.stats.chisquare takes it
        expected = np.array(planned_shares(shares)) * observed.sum()
        reference = float(stats.chisquare(observed, expected).pvalue)
        # far in the tail (p < 1e-10) erfc(√(χ²/2)) carries √'s rounding × 2χ²: still 1e-11 relative at p = 1e-247
        close = 1e-13 if reference > 1e-10 else 1e-11
        assert sample_ratio_p(visitors, shares) == pytest.approx(reference, rel=close, abs=1e-300)
