"""The window's menus and their shortcuts, in one place.

:func:`build_menus` makes the window's own actions (Quit, Send, Cancel, Quick open, the
help) and puts every menu together in order, with its sections, from the actions the
features and the tabs expose; the features only make their actions. It also adds the
presentation toggle to the toolbar.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from explorer.core.settings import ThemeChoice
from explorer.ui.help.feature import HelpFeature
from explorer.ui.style.palette import follow_theme


def add_sections(
    menu: QMenu, sections: Sequence[Sequence[QAction]], *, leading_separator: bool = False
) -> None:
    """Fill ``menu`` with ``sections`` of actions, a separator between two sections."""
    first = not leading_separator
    for section in sections:
        if not section:
            continue
        if not first:
            menu.addSeparator()
        menu.addActions(list(section))
        first = False


def build_menus(window: Any) -> None:
    """Every menu of ``window`` (the MainWindow, which imports this module: its
    attributes these set are declared on its class), in order, with its sections; and the
    toolbar's presentation toggle."""
    window.quit_action = QAction("&Quit", window)
    window.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
    window.quit_action.triggered.connect(window.close)
    window.send_action = QAction("&Send", window)
    window.send_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
    window.send_action.triggered.connect(window.request_panel.request_send)
    window.cancel_action = QAction("&Cancel", window)
    window.cancel_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
    window.cancel_action.triggered.connect(window.exchange.cancel)
    window.quick_open_action = QAction("&Quick open endpoint…", window)
    window.quick_open_action.setShortcut(QKeySequence("Ctrl+K"))
    window.quick_open_action.triggered.connect(window.on_quick_open)
    window.help = HelpFeature(window, context=window.help_context)
    window.help_action = window.help.help_action
    about = QAction("&About", window)
    about.triggered.connect(window.on_about)

    session, saved, bundles = window.session_ui, window.saved, window.bundles
    descriptions, interop, tabs = window.descriptions, window.interop, window.tabs
    # Each menu is a list of sections; a separator goes between two sections.
    file_sections: list[list[QAction]] = [
        [saved.save_action, bundles.export_action],
        [interop.import_menu.menuAction(), interop.export_menu.menuAction()],
        [descriptions.open_action, descriptions.reload_action],
        [window.quit_action],
    ]
    if session is not None:
        file_sections[1].insert(0, session.manage_action)
    request_sections = [
        [window.send_action, window.cancel_action, window.quick_open_action],
        [bundles.copy_curl_action, bundles.copy_httpx_action, bundles.copy_secret_action],
        [interop.import_curl_action],
    ]
    tab_sections = [
        [tabs.new_action, tabs.duplicate_action, tabs.pin_action],
        [tabs.close_action, tabs.reopen_action],
        [tabs.next_action, tabs.previous_action],
    ]
    view_sections = [
        [session.token_action] if session is not None else [],
        [window.presentation.action],
        [window.history.action, saved.view_action, window.webhooks.action],
        [window.flows.action, window.runner.action, window.variables.action],
    ]

    bar = window.menuBar()
    window.file_menu = bar.addMenu("&File")
    add_sections(window.file_menu, file_sections)
    request_menu = bar.addMenu("&Request")
    add_sections(request_menu, request_sections)
    window.tabs_menu = bar.addMenu("T&abs")
    add_sections(window.tabs_menu, tab_sections)
    window.view_menu = bar.addMenu("&View")
    theme_menu = window.view_menu.addMenu("&Theme")
    window.theme_group = QActionGroup(window)
    window.theme_actions = {}
    for choice, label in (
        (ThemeChoice.SYSTEM, "Follow the system"),
        (ThemeChoice.DARK, "Dark"),
        (ThemeChoice.LIGHT, "Light"),
        (ThemeChoice.HIGH_CONTRAST, "High contrast"),
    ):
        action = QAction(label, window, checkable=True)
        action.setChecked(window.settings.theme is choice)
        action.triggered.connect(lambda _=False, c=choice: window.set_theme(c))
        window.theme_group.addAction(action)
        theme_menu.addAction(action)
        window.theme_actions[choice] = action
    window.view_menu.addActions(view_sections[0])  # beside Theme, in the first section
    add_sections(window.view_menu, view_sections[1:], leading_separator=True)
    bar.addMenu(window.sandbox_menu)
    window.help_menu = bar.addMenu("&Help")
    add_sections(window.help_menu, [window.help.actions, [about]])

    # Shortcuts that work even where the menu bar is hidden (full screen, tests).
    for shortcut_action in (
        window.send_action,
        window.cancel_action,
        window.quick_open_action,
        window.help_action,
        window.help.shortcuts_action,
        window.presentation.action,
        window.history.action,
        saved.view_action,
        window.webhooks.action,
        window.variables.action,
        window.flows.action,
        saved.save_action,
        bundles.export_action,
        interop.import_curl_action,
        *tabs.actions(),
    ):
        window.addAction(shortcut_action)

    window.toolbar.addSeparator()
    window.toolbar.addAction(window.flows.action)  # the documented journeys, one click away
    window.toolbar.addAction(window.presentation.action)
    button = window.toolbar.widgetForAction(window.presentation.action)
    if button is not None:
        button.setObjectName("presentationButton")
        follow_theme(
            button,
            lambda c: button.setStyleSheet(
                f"QToolButton:checked {{ background: {c.banner_bg}; color: {c.banner_fg};"
                " border-radius: 4px; }"
            ),
        )
