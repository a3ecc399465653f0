"""The reference page docs/intake.md, generated from the schema.

Regenerate with ``python -m mops_xl.docs.intake docs/intake.md``; a test fails when the page is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mops_xl.importers.formats import FORMATS
from mops_xl.intake import schema
from mops_xl.intake.load import TEMPLATE_PROPERTY, TEMPLATE_VERSION, VERSION_PROPERTY
from mops_xl.intake.problems import CODES
from mops_xl.intake.schema import SCHEMA_VERSION, SHEETS, Field
from mops_xl.intake.template import default_label, type_label


def _allowed(fld: Field) -> str:
    if fld.type == "yesno":
        return "Yes, No"
    text = ", ".join(fld.choices)
    return text + " (or other text)" if fld.open_choices else text


def _describe(fld: Field) -> str:
    parts = [fld.help]
    if fld.refers_to:
        parts.append(f"Must match a {fld.refers_to[1]} in {fld.refers_to[0]}.")
    if fld.minimum is not None and fld.type != "percent":
        parts.append(f"At least {fld.minimum:g}.")
    if fld.maximum is not None and fld.type not in ("percent",):
        parts.append(f"At most {fld.maximum:g}.")
    if fld.since != "1.0":
        parts.append(f"Added in schema {fld.since}.")
    return " ".join(p for p in parts if p).replace("|", "\\|")


def render_intake_doc() -> str:
    """Return the Markdown text of docs/intake.md.

    Returns:
        The page, generated from :mod:`mops_xl.intake.schema` and :data:`mops_xl.intake.problems.CODES`.
    """
    import jinja2  # here, not at the top: only the page's generation needs it

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mops_xl.docs", "."), undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    env.globals.update(type_label=type_label, default_label=default_label, allowed=_allowed, describe=_describe)
    return env.get_template("intake.md.j2").render(
        version=SCHEMA_VERSION,
        version_property=VERSION_PROPERTY,
        template_property=TEMPLATE_PROPERTY,
        template_version=TEMPLATE_VERSION,
        sheets=SHEETS,
        codes=CODES,
        field_sheets=[s.name for s in SHEETS if s.kind == "fields"],
        formats=list(FORMATS.values()),
        limits=schema,
    )


def main(argv: list[str] | None = None) -> None:
    """Write the page to the path given (default: print it).

    Args:
        argv: Command-line arguments (the output path).
    """
    args = sys.argv[1:] if argv is None else argv
    text = render_intake_doc()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
