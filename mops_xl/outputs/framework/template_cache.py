"""Where the framework's templates keep their compiled form between builds: jinja2's bytecode cache.

Compiling the two framework templates takes about 0.06 s, a tenth of what a sample build spends beyond its
imports (issue 29); loading them compiled takes about 1 ms. :class:`jinja2.FileSystemBytecodeCache` keeps them in
a per-user temporary folder that jinja2 makes and checks (owned by the user, mode 700). A cached template is used
only when its source's checksum and the jinja2 and Python versions match, so an edited template is compiled
afresh. The file names carry the mops-xl version, whose environment options they were compiled with.

A cache is never a reason for a build to fail: a folder that cannot be made, read or written means compiling
as before.
"""

from __future__ import annotations

import contextlib

import jinja2
from jinja2.bccache import Bucket

from mops_xl import __version__

#: The cache files' names: jinja2's key in the place of %s.
PATTERN = f"__mops_xl_{__version__}_%s.cache"


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """A :class:`jinja2.FileSystemBytecodeCache` whose reading and writing never fail a build."""

    def load_bytecode(self, bucket: Bucket) -> None:
        """Load a compiled template if there is a good one; on any error, leave the bucket empty (compile).

        Args:
            bucket: jinja2's bucket of one template.
        """
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):  # unreadable, or a damaged file marshal cannot read
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a compiled template for the next build, if the folder can be written.

        Args:
            bucket: jinja2's bucket of one template.
        """
        with contextlib.suppress(OSError):  # a full or read-only disk: the next build compiles again
            super().dump_bytecode(bucket)


def template_cache(directory: str | None = None) -> TemplateCache | None:
    """The templates' bytecode cache, or None when there is no folder to keep it in.

    Args:
        directory: The folder; None for jinja2's per-user temporary folder.

    Returns:
        The cache, or None (compile every time).
    """
    try:
        return TemplateCache(directory, PATTERN)
    except (OSError, RuntimeError):  # jinja2 raises RuntimeError when it finds no safe temporary folder
        return None
