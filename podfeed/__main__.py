"""`python -m podfeed` runs the same command group as the `podfeed` script."""

from podfeed.cli import main

if __name__ == "__main__":
    main()
