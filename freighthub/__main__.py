"""``python -m freighthub``: the same as the ``freighthub`` command."""

from freighthub.cli import main

if __name__ == "__main__":
    main()
