"""The command-line face: version, help, no-display message, bad options."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from explorer import __version__
from explorer.cli import GuiOptions, build_cli
from explorer.ui.app.application import display_problem


def test_version() -> None:
    result = CliRunner().invoke(build_cli(lambda o: 0), ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_no_arguments_launches_the_window_with_options() -> None:
    seen: list[GuiOptions] = []
    cli = build_cli(lambda o: seen.append(o) or 0)
    result = CliRunner().invoke(cli, ["--theme", "dark", "--size", "800x600"])
    assert result.exit_code == 0
    assert seen == [GuiOptions(theme="dark", size=(800, 600))]


def test_bad_size_says_what_to_do() -> None:
    result = CliRunner().invoke(build_cli(lambda o: 0), ["--size", "huge"])
    assert result.exit_code == 2
    assert "WIDTHxHEIGHT" in result.output


def test_demo_needs_screenshot() -> None:
    result = CliRunner().invoke(build_cli(lambda o: 0), ["--demo"])
    assert result.exit_code == 2
    assert "--screenshot" in result.output


def test_no_display_is_one_clear_line() -> None:
    message = display_problem({}, "linux")
    assert message is not None and "xvfb-run -a thumbtack-explorer" in message
    assert "xvfb-run -a scripts/run.sh" in message and "\n" not in message
    assert display_problem({"DISPLAY": ":0"}, "linux") is None


def test_window_without_display_exits_with_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"PATH": "/usr/bin:/bin", "THUMBTACK_EXPLORER_HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "explorer"], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert "xvfb-run" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_module_does_not_import_qt() -> None:
    code = "import explorer.cli, sys; print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False"


def test_no_arguments_open_the_window_without_the_parser(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The launcher starts it with no arguments: same options as the parser gives, and the
    exit code of the window."""
    import explorer.app

    seen: list[GuiOptions] = []
    monkeypatch.setattr(explorer.app, "launch_gui", lambda o: seen.append(o) or 3)
    with pytest.raises(SystemExit) as exited:
        explorer.app.main([])
    assert exited.value.code == 3
    parsed: list[GuiOptions] = []
    result = CliRunner().invoke(build_cli(lambda o: parsed.append(o) or 0), [])
    assert result.exit_code == 0
    assert seen == parsed == [GuiOptions()]


def test_starting_the_window_does_not_load_the_parser() -> None:
    code = (
        "import sys, explorer.app\n"
        "explorer.app.launch_gui = lambda o: print('click' in sys.modules) or 0\n"
        "explorer.app.main([])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_ctrl_c_before_the_window_opens_is_one_word(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import explorer.app

    def interrupted(_options: GuiOptions) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(explorer.app, "launch_gui", interrupted)
    with pytest.raises(SystemExit) as exited:
        explorer.app.main([])
    assert exited.value.code == 1
    assert capsys.readouterr().err == "Aborted!\n"
