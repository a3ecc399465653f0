"""The framework templates' compiled form is kept between builds, and the cache never fails a build (issue 29)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import jinja2
import pytest

from mops_xl import __version__
from mops_xl.outputs.framework.template_cache import template_cache

TEMPLATE = "{% for x in items %}[{{ x }}]{% endfor %}\n"


def environment(source: str, directory: Path) -> jinja2.Environment:
    """An environment of one template, ``t.j2``, whose bytecode goes to ``directory``."""
    loader, cache = jinja2.DictLoader({"t.j2": source}), template_cache(str(directory))
    return jinja2.Environment(loader=loader, bytecode_cache=cache, keep_trailing_newline=True)


def never_compile(*args: Any, **kwargs: Any) -> NoReturn:
    raise AssertionError("compiled, though a compiled copy was kept")


def test_a_second_build_loads_the_compiled_template_without_compiling(tmp_path: Path) -> None:
    first = environment(TEMPLATE, tmp_path)
    assert first.get_template("t.j2").render(items=[1, 2]) == "[1][2]\n"
    kept = list(tmp_path.iterdir())
    assert len(kept) == 1 and kept[0].name.startswith(f"__mops_xl_{__version__}_")
    second = environment(TEMPLATE, tmp_path)
    second.compile = never_compile  # type: ignore[method-assign]
    assert second.get_template("t.j2").render(items=[3]) == "[3]\n"


def test_an_edited_template_is_compiled_afresh(tmp_path: Path) -> None:
    environment(TEMPLATE, tmp_path).get_template("t.j2")
    edited = environment("{{ items | length }} items\n", tmp_path)
    assert edited.get_template("t.j2").render(items=[1, 2, 3]) == "3 items\n"


@pytest.mark.parametrize("damage", [b"", b"not a cache file", b"j2\x01\x02garbage"])
def test_a_damaged_cache_file_means_compiling_again(tmp_path: Path, damage: bytes) -> None:
    environment(TEMPLATE, tmp_path).get_template("t.j2")
    (kept,) = tmp_path.iterdir()
    kept.write_bytes(damage)
    assert environment(TEMPLATE, tmp_path).get_template("t.j2").render(items=["a"]) == "[a]\n"


def test_a_folder_that_cannot_be_written_never_fails_the_render(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder"  # writing a cache file there fails with FileNotFoundError
    assert environment(TEMPLATE, missing).get_template("t.j2").render(items=[1]) == "[1]\n"
    assert not missing.exists()
