"""``python -m explorer``: the same entry point as ``thumbtack-explorer``."""

from explorer.app import main

if __name__ == "__main__":
    main()
