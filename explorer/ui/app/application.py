"""Starting the window: display check, QApplication, theme, crash safety, services.

This is the GUI half of the composition root. It picks the concrete services (the
catalog, the embedded Sandbox, the HTTP client, the explanation engine) and hands them
to :class:`~explorer.ui.window.main_window.MainWindow`. ``--screenshot`` renders the window
offscreen to a PNG and exits.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.core.settings import SettingsStore, ThemeChoice
from explorer.options import GuiOptions
from explorer.paths import AppPaths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from explorer.core.settings import Settings
    from explorer.ui.window.main_window import MainWindow, WindowServices

log = logging.getLogger("explorer")


def display_problem(
    environ: dict[str, str] | None = None, platform: str | None = None
) -> str | None:
    """A one-line message when no display can be used, else None."""
    env = os.environ if environ is None else environ
    plat = sys.platform if platform is None else platform
    if not plat.startswith("linux"):
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return (
        "No display found (DISPLAY and WAYLAND_DISPLAY are unset). Run it under a virtual "
        "screen with `xvfb-run -a thumbtack-explorer` (from a checkout: "
        "`xvfb-run -a scripts/run.sh`), or render a picture with "
        "`thumbtack-explorer --screenshot window.png`."
    )


#: Libraries that log whole request URLs (query strings may hold secrets) at INFO.
QUIET_LOGGERS = ("httpx2", "httpcore2", "httpx", "httpcore", "authlib", "urllib3")


def setup_logging(paths: AppPaths) -> str | None:
    """Log to a private rotating file. HTTP libraries only log warnings: their INFO lines
    carry full URLs. Messages pass through the program's redaction before they are written."""
    import logging.handlers

    try:
        if not paths.log_file.exists():
            paths.log_file.touch(mode=0o600)
        os.chmod(paths.log_file, 0o600)
        handler = logging.handlers.RotatingFileHandler(
            paths.log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as exc:  # e.g. a log file left by another user: run on, without one
        problem = (
            f"No log file this time: {paths.log_file} cannot be written ({exc.strerror or exc}). "
            "Check who owns it, or delete it."
        )
        print(problem, file=sys.stderr)
        return problem
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(_redactor()))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return None


class RedactingFilter(logging.Filter):
    """Masks secrets in every record's final message before a handler writes it."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        super().__init__()
        self._redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        record.msg = self._redact(message)
        record.args = None
        return True


def skip_pyside_source_scan() -> None:
    """Stop PySide reading the source of every module imported after it.

    PySide's import hook (for ``from __feature__ import snake_case``, which this program
    never uses) decides whether a module uses PySide by reading its whole source with
    ``inspect.getsource``, which also keeps every line in ``linecache``: for the ~450
    modules the window imports that is 75–90 ms of start-up and about 12 MB held for
    good. The hook is given the answer from the module's names instead (a PySide class
    or module among them), which needs no file; with no feature selected both answers
    mean the same: Qt's own names. Does nothing if PySide's internals are not as expected.
    """
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return

    def uses_pyside(module: object) -> bool:
        for value in list(getattr(module, "__dict__", {}).values()):
            name = getattr(value, "__name__", "") if isinstance(value, type(sys)) else ""
            name = name or getattr(value, "__module__", "") or ""
            if isinstance(name, str) and name.startswith(("PySide6", "shiboken6")):
                return True
        return False

    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010 (a private name)
    import linecache

    linecache.clearcache()  # the sources it read before this point


def run(options: GuiOptions) -> int:
    if options.screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    paths = AppPaths.from_environment().ensure()
    if options.screenshot is not None:
        setup_logging(paths)

    from PySide6.QtWidgets import QApplication

    skip_pyside_source_scan()

    from explorer.ui.app.crash import CrashReporter
    from explorer.ui.style.theme import apply_theme, resolve_palette

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Thumbtack API Explorer")
    app.setOrganizationName("thumbtack-explorer")
    app.setDesktopFileName("thumbtack-explorer")

    store = SettingsStore(paths.settings_file)
    settings = store.load()
    if options.theme:
        settings = settings.with_changes(theme=ThemeChoice(options.theme))
    # A picture is taken of the whole window at once; otherwise the first frame needs only
    # the palette, and the program's widget style is set right after that frame paints.
    apply_theme(
        app,
        palette=resolve_palette(settings.theme),
        font_scale=settings.font_scale,
        style=options.screenshot is not None,
    )

    reporter = CrashReporter(redact=_redactor(), parent=app)
    reporter.install()

    # The --demo request is a picture, not the user's work: its history goes to a scratch file.
    demo_history = None
    if options.demo:
        import tempfile

        demo_history = Path(tempfile.mkdtemp(prefix="thumbtack-demo-")) / "history.sqlite3"
    if options.screenshot is not None:
        _set_window_icon(app)
        window = build_window(paths, store, settings, history_path=demo_history)
        _report_settings_problem(window, store)
        if options.size:
            window.resize(*options.size)
        return _screenshot(app, window, options)
    # The frame paints first; the panels, the description and the Sandbox follow it.
    window = open_window(settings)
    if options.size:
        window.resize(*options.size)
    app.styleHints().colorSchemeChanged.connect(window.on_system_color_scheme_changed)
    window.show()

    after_first_paint(
        window,
        lambda: finish_opening(app, window, paths, store, settings),
        window.load_catalog,
        window.start_environment,
    )
    return app.exec()


def open_window(settings: Settings) -> MainWindow:
    """The main window's frame, which paints before the panels' modules are imported."""
    from explorer.ui.window.main_window import MainWindow

    return MainWindow(settings=settings)


def finish_opening(
    app: QApplication, window: MainWindow, paths: AppPaths, store: SettingsStore, settings: Settings
) -> None:
    """After the frame's first paint: logging, the icon, the widget style, then the panels.

    If any of it fails, the window says so in place of its "Opening…" line (the crash
    report then has the details) instead of looking as if it were still opening."""
    from explorer.ui.style.theme import install_style

    try:
        log_problem = setup_logging(paths)
        _set_window_icon(app)
        install_style(app)
        complete_window(window, paths, store, settings)
    except Exception as exc:
        window.show_opening_failed(str(exc) or type(exc).__name__)
        raise
    if log_problem:
        window.statusBar().showMessage(log_problem, 15000)


def complete_window(
    window: MainWindow,
    paths: AppPaths,
    store: SettingsStore,
    settings: Settings,
    *,
    history_path: Path | None = None,
) -> None:
    """Build the services and the panels into a window opened by :func:`open_window`."""
    from explorer.ui.workers import share_the_gil_with_workers

    share_the_gil_with_workers()  # once for the process, before any worker starts
    window.complete(_services(paths, store, settings, history_path))
    _report_settings_problem(window, store)


def _report_settings_problem(window: MainWindow, store: SettingsStore) -> None:
    if store.problem is not None:
        window.statusBar().showMessage(f"Settings were reset: {store.problem}", 15000)


def after_first_paint(window: QWidget, *steps: Callable[[], None]) -> None:
    """Run ``steps`` once the window has painted, so start-up work never delays it."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__(window)
            self.done = False

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not self.done:
                self.done = True
                QTimer.singleShot(0, self.run)
            return False

        def run(self) -> None:
            window.removeEventFilter(self)
            for step in steps:
                if not window.isVisible():
                    return  # closed while opening: the program is on its way out
                step()

    # The filter sits on the window, not the application: an application-wide Python
    # filter would cost every event of every widget a Python wrapper until first paint.
    watcher = FirstPaint()
    window.installEventFilter(watcher)
    QTimer.singleShot(500, lambda: watcher.eventFilter(window, QEvent(QEvent.Type.Paint)))


def _set_window_icon(app: QApplication) -> None:
    from PySide6.QtGui import QIcon

    from explorer.resources import ResourceNotFoundError, resource_path

    try:
        app.setWindowIcon(QIcon(str(resource_path("icons", "thumbtack-explorer.svg"))))
    except ResourceNotFoundError as exc:  # a damaged install still opens, without its icon
        log.warning("%s", exc)


def _redactor() -> Callable[[str], str]:
    """The program's redaction of free text, loaded when it is first needed (once, for the
    log and the crash reporter alike)."""

    def redact(text: str) -> str:
        return _load_redactor()(text)

    return redact


@cache
def _load_redactor() -> Callable[[str], str]:
    from explorer.core.redact import Redactor

    redact_text: Callable[[str], str] = Redactor().redact_text
    return redact_text


def build_window(
    paths: AppPaths, store: SettingsStore, settings: Settings, *, history_path: Path | None = None
) -> MainWindow:
    from explorer.ui.window.main_window import MainWindow
    from explorer.ui.workers import share_the_gil_with_workers

    share_the_gil_with_workers()  # once for the process, before any worker starts
    return MainWindow(_services(paths, store, settings, history_path))


def _services(
    paths: AppPaths, store: SettingsStore, settings: Settings, history_path: Path | None
) -> WindowServices:
    from explorer.ui.app.services import build_services

    services = build_services(paths, store, settings)
    services.history_path = history_path
    return services


def _screenshot(app: QApplication, window: MainWindow, options: GuiOptions) -> int:
    from PySide6.QtCore import QEventLoop, QTimer

    window.show()
    done = threading.Event()
    loop = QEventLoop()
    waiting = {"environment", "catalog"}

    def ready(part: str) -> None:
        waiting.discard(part)
        if not waiting:
            loop.quit()

    window.environment_ready.connect(lambda _url: ready("environment"))
    window.environment_failed.connect(lambda _why: ready("environment"))
    window.catalog_ready.connect(lambda: ready("catalog"))
    QTimer.singleShot(15000, loop.quit)
    window.load_catalog()
    window.start_environment()
    if waiting:
        loop.exec()
    if options.demo:
        from explorer.ui.app.demo import run_demo

        run_demo(window)
    for _ in range(5):
        app.processEvents()
    assert options.screenshot is not None
    path = Path(options.screenshot).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(path), "PNG")
    done.set()
    window.close()
    if not ok:
        print(f"Could not write the screenshot to {path}.", file=sys.stderr)
        return 1
    print(f"Saved a screenshot of the window to {path}")
    return 0
