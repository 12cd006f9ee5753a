"""`python -m mimres_cli` runs the `mimres` command."""

from mimres_cli.cli import main

main()
