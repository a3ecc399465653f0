"""The Marketing Operations Framework as text: the seed's whole output, filled from the team's data.

:func:`~mops_xl.outputs.framework.context.framework_context` turns an :class:`~mops_xl.analysis.engine.Analysis`
into plain, formatted rows, one function per section (no number formatting happens in the templates);
:func:`render_framework` renders them with the jinja2 templates shipped in ``mops_xl/outputs/framework/templates``
— ``framework.txt.j2`` (box drawing) or ``framework.md.j2``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mops_xl.analysis.engine import Analysis
from mops_xl.atomic import atomic_output
from mops_xl.outputs.framework.boxes import box, md_table, side_by_side, table
from mops_xl.outputs.framework.context import MODEL_USE_CASES, framework_context

__all__ = [
    "FORMATS",
    "MODEL_USE_CASES",
    "SECTIONS",
    "framework_context",
    "framework_paths",
    "render_framework",
    "rendered_once",
    "write_framework_files",
]

if TYPE_CHECKING:
    import jinja2

#: The sections, in the seed's order (the names `--section` takes).
SECTIONS = ("business", "stack", "campaigns", "channels", "kpis", "cadence", "team", "maturity")
FORMATS = ("txt", "md")
WIDTH = 96

#: The analyses being built inside :func:`rendered_once`, by identity: what their framework rendered so far (the
#: context under "context", each whole text under its format).
_RENDERED: dict[int, dict[str, Any]] = {}


@functools.cache
def _environment() -> jinja2.Environment:
    """The templates' environment, made once per process (it keeps the templates it has compiled, so the txt and md
    files of a build, and the builds of a batch, compile each template once); jinja2 is imported here, when a
    framework is first rendered, not when the command starts. The compiled templates are kept between builds
    (:mod:`~mops_xl.outputs.framework.template_cache`).

    Returns:
        The environment.
    """
    import jinja2

    from mops_xl.outputs.framework.template_cache import template_cache

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mops_xl.outputs.framework", "templates"),
        bytecode_cache=template_cache(),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.globals.update(box=box, table=table, md_table=md_table, side_by_side=side_by_side, width=WIDTH)
    return env


def render_framework(a: Analysis, fmt: str = "txt", section: str | None = None) -> str:
    """Render the framework, whole or one section.

    Args:
        a: The engine's results.
        fmt: "txt" (box drawing) or "md" (Markdown).
        section: One of :data:`SECTIONS`, or None for all.

    Returns:
        The text.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if section is not None and section not in SECTIONS:
        raise ValueError(f"section must be one of {', '.join(SECTIONS)}")
    template = _environment().get_template(f"framework.{fmt}.j2")
    rendered = _RENDERED.get(id(a), {})  # outside rendered_once: a fresh dict, forgotten on return
    if "context" not in rendered:
        rendered["context"] = framework_context(a)
    if section is not None:
        return str(getattr(template.make_module(rendered["context"]), f"section_{section}")()).strip("\n") + "\n"
    if fmt not in rendered:
        rendered[fmt] = template.render(**rendered["context"])
    return str(rendered[fmt])


@contextmanager
def rendered_once(a: Analysis) -> Iterator[None]:
    """Render the framework of ``a`` at most once per format while inside: a build shows the same text in the
    Framework sheet and the ``.txt`` file, and the ``.md`` file from the same context. Outside, every
    :func:`render_framework` renders afresh (an analysis changed later is never shown from an old rendering).

    Args:
        a: The engine's results, unchanged while inside.

    Yields:
        Nothing; nested uses for the same analysis share the outermost one's renderings.
    """
    key = id(a)
    outermost = key not in _RENDERED
    if outermost:
        _RENDERED[key] = {}
    try:
        yield
    finally:
        if outermost:
            del _RENDERED[key]


def framework_paths(report: Path) -> tuple[Path, Path]:
    """Where the framework files of a report go: ``<stem>-framework.md`` and ``.txt`` beside it.

    Args:
        report: The report path (``<stem>-report.xlsx`` gives ``<stem>-framework.*``).

    Returns:
        The Markdown and text paths.
    """
    stem = report.stem[: -len("-report")] if report.stem.endswith("-report") else report.stem
    return report.with_name(f"{stem}-framework.md"), report.with_name(f"{stem}-framework.txt")


def write_framework_files(a: Analysis, report: Path) -> tuple[Path, Path]:
    """Write the framework as Markdown and as text beside a report, atomically.

    Args:
        a: The engine's results.
        report: The report path.

    Returns:
        The paths written.
    """
    paths = framework_paths(Path(report))
    for path, fmt in zip(paths, FORMATS[::-1], strict=False):
        with atomic_output(path) as tmp:
            tmp.write_text(render_framework(a, fmt), encoding="utf-8")
    return paths
