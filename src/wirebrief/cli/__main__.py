"""`python -m wirebrief.cli`."""

from wirebrief.cli import main

main()
