"""`python -m mops_xl` runs the command line, like `mops-xl`."""

from mops_xl.cli import main

main()
