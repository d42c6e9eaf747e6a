"""``python -m peacegraph``."""

from peacegraph.cli import main

main()
