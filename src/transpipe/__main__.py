"""``python -m transpipe`` runs the command line."""

from transpipe.cli import run

run()
