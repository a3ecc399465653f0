"""Every figure in text is written one way (mops_xl/analysis/blocks/wording.py): money with the currency, percentages
with one decimal as the sheets' ``0.0%`` format, p-values as the sheets' p-value format, and the samples' texts
(framework, actions, the plan's reasons, decisions for leadership, notes, warnings, headline, terminal summary) keep
to it."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import pytest

from mops_xl import analyse, load_intake
from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.wording import figure, money, p_value, percent, redone
from mops_xl.intake.currencies import symbol
from mops_xl.outputs.framework.text import render_framework
from mops_xl.outputs.json_output import terminal_summary

ROOT = Path(__file__).resolve().parents[1]

#: Money with cents and no currency before it ("350.55", "7,010.92"): how the evidence used to read.
BARE_CENTS = re.compile(r"(?<![\w$€£.,:])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d%:])")
#: A whole percentage ("89%"): only thresholds the user set are written so (docs/metrics.md).
WHOLE_PERCENT = re.compile(r"(?<![\d.])\d+%")
#: Where a whole percentage is a threshold or a stated bound, as the Settings sheet and the model notes say it.
#: A plural in brackets: "error(s)", "touch(es)".
PLURAL_IN_BRACKETS = re.compile(r"[a-z]\((?:s|es)\)")
THRESHOLD_CONTEXTS = (
    r"[<>≥] \d+% of",  # the signals' thresholds (Underperforming, Overspending, High performer)
    r"\d+% confidence",  # the A/B significance level
    r"\d+% to \d+%",  # attribution's coverage bounds
    r"\(\d+%\) are counted",  # diminishing returns
    r"\d+% first, \d+% last, \d+% in between",  # the position-based model
    r"below \d+% of the budget pace",  # underspending
    # a forecast's chance of target is a rounded whole percent beside its words (issue 25): "about 2 in 10 (22%)",
    # and the last column of the framework's forecast table ("<1%", ">99%", "71%")
    r"in \d+ \(\d+%\)",
    r"[<>]\d+%",
    r"\d+% +│$",
)


def test_the_wording_of_each_kind_of_figure() -> None:
    # money: whole units from 100 up and for zero, cents below, the sign before the currency
    assert [money(v, "€") for v in (1982.94, 99.5, 0.004, -350.55)] == ["€1,983", "€99.50", "€0", "-€351"]
    # halves round away from zero, as Excel shows them (Python's format would give "1,250" and "$2.67")
    assert money(1250.5, "$") == "$1,251" and money(2.675, "$") == "$2.68" and percent(0.8925) == "89.3%"
    # one decimal, as the report's 0.0% format: 1,327 / 1,487.17 = 0.8923 -> 89.2 %; a signed trend
    assert percent(1327 / 1487.17) == "89.2%" and percent(0.177, signed=True) == "+17.7%"
    assert percent(math.nan) == "–" and percent(None) == "–"
    # the report's p-value format: [<0.001]"< 0.001";[<0.01]0.0000;0.000
    assert [p_value(p) for p in (0.00057, 0.0023, 0.049, math.nan)] == ["< 0.001", "0.0023", "0.049", "–"]
    # by the catalogue's unit: CAC money, ROAS a ratio, MQLs a count; a text and a missing value as they are
    assert figure("CAC", 6855.58, "$") == "$6,856" and figure("ROAS", 3.116, "$") == "3.1:1"
    assert figure("MQLs", 1327.4, "$") == "1,327" and figure("CAC", "Not tracked", "$") == "Not tracked"
    assert figure("ROAS", math.nan, "$") == "–"


def _texts(sample: str) -> tuple[str, list[str]]:
    a = analyse(load_intake(ROOT / "samples" / f"{sample}.xlsx"))
    r = a.recommendations
    lines = [a.headline, *r["Evidence"], *r["Funding"], *r["Conflict"]]
    lines += [n["note"] for n in a.notes] + [w["warning"] for w in a.warnings]
    # the plan's reasons, the decisions for leadership and the terminal summary (its plan line and decisions)
    lines += [*a.plan.table["Reason"], *a.decisions_needed["Decision"], *a.decisions_needed["Why"]]
    lines += terminal_summary(a).splitlines()
    # a count's target to date with the decimals a reader needs to redo its attainment ("20.53" customers) is no
    # money: taken out, as the KPI Framework shows it
    counts = [m for m, k in a.kpis.iterrows() if catalogue.current().get(str(m)).unit == "count"]
    to_date = {redone(str(m), *a.kpis.loc[m, ["Target to date", "Actual", "Attainment"]], "")[0] for m in counts}
    shown = re.compile("|".join(rf"(?<![\d.,]){re.escape(t)}(?![\d.])" for t in to_date if "." in t) or "$^")
    texts = [*lines, *render_framework(a).splitlines()]
    return symbol(a.intake.business["Currency"]), [shown.sub("", line) for line in texts]


@pytest.mark.slow  # three samples analysed and rendered
@pytest.mark.parametrize("sample", ["saas", "d2c", "local"])
def test_the_samples_texts_write_money_with_the_currency_and_percentages_alike(sample: str) -> None:
    prefix, lines = _texts(sample)
    # a volume a day is a count to two decimals, not money: "1.95 customers a day from now, against 0.71 so far"
    per_day = re.compile(r"\d+\.\d{2} [A-Za-z]+ a day from now, against \d+\.\d{2} so far")
    bare = [line for line in lines if BARE_CENTS.search(per_day.sub("", line))]
    assert bare == [], f"money without {prefix}: {bare[:3]}"
    whole = []
    for line in lines:
        rest = line
        for context in THRESHOLD_CONTEXTS:
            rest = re.sub(context, "", rest)
        whole += [line] if WHOLE_PERCENT.search(rest) else []
    assert whole == [], f"a measured percentage not written with one decimal: {whole[:3]}"
    # and the currency is there at all: every sample's actions state money
    assert any(prefix in line for line in lines)
    # no clause said twice in one sentence (local's Facebook Ads read "no budget line running; frees nothing: no
    # budget line running")
    for line in lines:
        clauses = [c for c in re.split(r"[;:] ", line) if len(c) > 12]
        assert len(clauses) == len(set(clauses)), line


def test_counts_have_their_noun_in_the_right_number() -> None:
    from mops_xl.plural import count

    assert [count(n, "error") for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]
    assert count(319, "touch", "touches") == "319 touches" and count(1, "touch", "touches") == "1 touch"
    assert count(1200, "row") == "1,200 rows"


def test_no_message_of_the_package_writes_a_plural_in_brackets() -> None:
    # "1 error(s)", "319 touch(es)": every count goes through mops_xl.plural.count instead
    found = []
    for path in (ROOT / "mops_xl").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and PLURAL_IN_BRACKETS.search(node.value):
                found.append(f"{path.name}:{node.lineno}: {node.value}")
    assert found == []
