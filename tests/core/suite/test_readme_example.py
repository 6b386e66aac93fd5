"""The README's example step is a real suite step: it loads, and it passes on the
Sandbox with the variables it names."""

from __future__ import annotations

import json
import re
from pathlib import Path

from explorer.core.session import Session
from explorer.core.suite.load import load_suite
from explorer.core.suite.runner import SuiteRunner
from explorer.core.suite.sending import SessionSender

README = Path(__file__).resolve().parents[3] / "README.md"


def _example() -> dict:  # type: ignore[type-arg]
    text = README.read_text(encoding="utf-8")
    section = text.split("An example step", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block is not None, "the README's suite section lost its example"
    return json.loads(block.group(1))  # type: ignore[no-any-return]


def test_the_readme_example_step_runs_and_passes(session: Session, tmp_path: Path) -> None:
    folder = tmp_path / "checks" / "02-search"
    folder.mkdir(parents=True)
    (folder / "01-keywords.request.json").write_text(json.dumps(_example(), indent=2))
    (tmp_path / "checks" / ".suite.json").write_text(
        json.dumps({"version": 1, "variables": {"query": "plumb", "expected_name": "Plumbing"}})
    )
    suite = load_suite(tmp_path / "checks")
    [step] = suite.steps
    assert len(step.assertions) == 6 and [c.name for c in step.captures] == ["keywordID"]
    runner = SuiteRunner(suite, SessionSender(session))
    [result] = list(runner.run())
    assert result.passed, result.reason
    assert set(result.captured) == {"keywordID"}
