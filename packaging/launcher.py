"""Entry script of the PyInstaller bundle: the same `main` as `thumbtack-explorer`."""

from explorer.app import main

if __name__ == "__main__":
    main()
