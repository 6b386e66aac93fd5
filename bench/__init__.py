"""Benchmarks: each figure measured side by side with a yardstick in the same run.

Run them all with ``bench/run.sh`` (or ``.venv/bin/python -m bench``); ``--json FILE``
writes the figures for comparison between runs. Not tests: nothing here passes or fails
a build, it reports figures, ratios and the project's targets.
"""
