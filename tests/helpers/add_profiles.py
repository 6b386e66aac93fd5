"""Run ``profile add`` COUNT times in this process, as a user's script would: a worker of
the concurrent-writers test. Usage: python add_profiles.py PREFIX COUNT"""

from __future__ import annotations

import sys

from explorer.cli import build_cli


def main(prefix: str, count: int) -> None:
    cli = build_cli(lambda _options: 0)
    for index in range(count):
        name = f"{prefix}-{index:02d}"
        args = [
            "profile", "add", name, "--environment", "staging", "--client-id", f"id-{name}",
            "--scope", "demand::keywords.read", "--secret-env", "ADD_SECRET",
            "--secret-store", "vault",
        ]  # fmt: skip
        import os

        os.environ["ADD_SECRET"] = f"secret-of-{name}"
        try:
            cli.main(args=args, prog_name="thumbtack-explorer", standalone_mode=False)
        except SystemExit as exc:
            if exc.code:
                raise


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
