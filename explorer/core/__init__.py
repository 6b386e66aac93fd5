"""The program's core: pure Python that never imports Qt (an import-linter contract checks it)."""
