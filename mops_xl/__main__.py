"""`python -m mops_xl` runs the command line, like `mops-xl`."""

from .cli import main

main()
