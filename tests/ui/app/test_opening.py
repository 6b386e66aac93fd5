"""The window opens in stages, as the program starts it: the frame paints first, then the
panels, the API description and the Sandbox follow, and the window then works in full.

These tests use the program's own start-up functions and real services (the embedded
Sandbox on 127.0.0.1, the shipped API description)."""

from __future__ import annotations

import base64

import pytest
from keyring.backends import fail
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QApplication, QLabel

from explorer.core.settings import SettingsStore
from explorer.paths import AppPaths
from explorer.ui.app.application import after_first_paint, complete_window, open_window
from explorer.ui.style.app_style import AppStyle
from explorer.ui.style.theme import apply_theme, install_style


@pytest.fixture(autouse=True)
def no_keychain(monkeypatch: pytest.MonkeyPatch) -> None:
    """No keychain, as on a headless machine: the Sandbox demo profile needs none."""
    import keyring

    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)


def start(qtbot):  # type: ignore[no-untyped-def]
    paths = AppPaths.from_environment().ensure()
    store = SettingsStore(paths.settings_file)
    settings = store.load()
    window = open_window(settings)
    qtbot.addWidget(window)
    return window, paths, store, settings


def test_the_frame_paints_first_then_the_window_completes_and_sends(qtbot) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, dark=True, style=False)  # as the program paints its first frame
    window, paths, store, settings = start(qtbot)
    placeholder = window.centralWidget()
    assert isinstance(placeholder, QLabel) and placeholder.text().startswith("Opening")
    assert not window.completed
    assert not hasattr(window, "request_panel")  # nothing heavy before the first paint

    with qtbot.waitSignals(
        [window.ready, window.catalog_ready, window.environment_ready], timeout=30000
    ):
        window.show()
        after_first_paint(
            window,
            lambda: install_style(app),
            lambda: complete_window(window, paths, store, settings),
            window.load_catalog,
            window.start_environment,
        )
    assert window.completed
    assert isinstance(app.style(), AppStyle)
    assert window.centralWidget() is not placeholder
    assert window.base_url.startswith("http://127.0.0.1:")
    tree = window.endpoint_tree.tree
    shown = sum(tree.topLevelItem(i).childCount() for i in range(tree.topLevelItemCount()))
    assert shown > 30  # the shipped description, loaded after the first paint

    window.endpoint_tree.select("getCategoryRecommendationsV4")
    with qtbot.waitSignal(window.response_shown, timeout=20000) as shown:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    record = shown.args[0]
    assert record.status == 200, record.body
    assert window.response_pane.isVisible()


def test_the_frame_opens_at_the_saved_size(qtbot) -> None:  # type: ignore[no-untyped-def]
    paths = AppPaths.from_environment().ensure()
    store = SettingsStore(paths.settings_file)
    first = open_window(store.load())
    qtbot.addWidget(first)
    first.resize(700, 500)
    geometry = base64.b64encode(bytes(QByteArray(first.saveGeometry()).data())).decode()
    store.save(store.load().with_changes(window_geometry=geometry))
    second = open_window(store.load())
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (700, 500)


def test_closing_while_opening_builds_nothing_and_keeps_the_settings(qtbot) -> None:  # type: ignore[no-untyped-def]
    window, paths, store, settings = start(qtbot)
    store.save(settings.with_changes(last_endpoint="searchBusinessesV4"))
    before = paths.settings_file.read_bytes()
    steps: list[str] = []
    window.show()
    after_first_paint(window, lambda: steps.append("complete"))
    window.close()  # before the event loop has run the steps
    qtbot.wait(700)  # past the fallback that runs the steps if no paint arrives
    assert steps == []
    assert not window.completed
    assert paths.settings_file.read_bytes() == before


def test_a_window_that_cannot_finish_opening_says_so(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from explorer.ui.app import application

    def broken(*_args: object) -> None:
        raise OSError("the drafts folder is not readable")

    monkeypatch.setattr(application, "_services", broken)
    monkeypatch.setattr(application, "setup_logging", lambda _paths: None)  # no file log here
    window, paths, store, settings = start(qtbot)
    window.show()
    app = QApplication.instance()
    with pytest.raises(OSError):
        application.finish_opening(app, window, paths, store, settings)
    shown = window.centralWidget()
    assert isinstance(shown, QLabel)
    assert "could not finish opening: the drafts folder is not readable" in shown.text()
    assert "start it again" in shown.text()
    assert not window.completed
    window.close()  # closing a window that never completed saves nothing and does not fail
