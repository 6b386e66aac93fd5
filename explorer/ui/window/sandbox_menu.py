"""The window's Sandbox menu: pick a fault to inject into the next requests.

One checkable action per fault of :data:`explorer.sandbox.faults.FAULTS`, grouped by evidence
grade (documented by Thumbtack, seen in real traffic, our inference) and then the network
faults, in an exclusive group with "No fault"; a "What the Sandbox does" submenu lists the
behaviour catalogue by grade. The menu exposes the chosen value for the
``X-Sandbox-Fault`` header through :meth:`SandboxMenu.selected_fault` and the
``fault_changed`` signal; the window adds the header to the requests it sends.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from explorer.core.evidence import Evidence
from explorer.sandbox.behaviours import BEHAVIOURS
from explorer.sandbox.faults import FAULT_HEADER, faults_by_grade

SECTION_TITLES: dict[Evidence | None, str] = {
    Evidence.DOCUMENTED: "Documented by Thumbtack",
    Evidence.OBSERVED: "Seen in real traffic",
    Evidence.INFERRED: "Our inference (not confirmed)",
    None: "Network faults",
}


class SandboxMenu(QMenu):
    """The Sandbox menu; ``fault_changed`` carries the header value or None."""

    fault_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("&Sandbox", parent)
        self.setToolTipsVisible(True)
        self._group = QActionGroup(self)
        self._group.setExclusive(True)
        self._actions: dict[str | None, QAction] = {}
        self._add(None, "No fault", f"Send requests without the {FAULT_HEADER} header.")
        for grade, faults in faults_by_grade():
            self.addSection(SECTION_TITLES[grade])
            for fault in faults:
                status = f"{fault.status} " if fault.status is not None else ""
                lines = [f"{FAULT_HEADER}: {fault.header_value}", fault.description]
                if grade is not None:
                    lines.append(f"Evidence: {grade.label}. {fault.evidence_note}".strip())
                self._add(fault.header_value, f"{status}{fault.title}", "\n".join(lines))
        self._actions[None].setChecked(True)
        self.addSeparator()
        self.behaviours = self.addMenu("What the Sandbox does")
        self.behaviours.setToolTipsVisible(True)
        for grade in Evidence:
            self.behaviours.addSection(SECTION_TITLES[grade])
            for behaviour in (b for b in BEHAVIOURS if b.evidence is grade):
                item = self.behaviours.addAction(behaviour.title)
                item.setToolTip(f"{behaviour.does}\n{grade.label.capitalize()}: {behaviour.note}")
                item.setStatusTip(behaviour.does)
        self._group.triggered.connect(self.on_group_triggered)

    def _add(self, value: str | None, text: str, tip: str) -> None:
        action = QAction(text, self)
        action.setCheckable(True)
        action.setData(value)
        action.setToolTip(tip)
        action.setStatusTip(tip.replace("\n", " - "))
        self._group.addAction(action)
        self.addAction(action)
        self._actions[value] = action

    def fault_actions(self) -> list[QAction]:
        """The checkable fault actions (without "No fault")."""
        return [action for value, action in self._actions.items() if value is not None]

    def selected_fault(self) -> str | None:
        """The ``X-Sandbox-Fault`` value to send, or None for no fault."""
        checked = self._group.checkedAction()
        value = checked.data() if checked is not None else None
        return str(value) if value else None

    def select_fault(self, value: str | None) -> None:
        """Check the action for ``value`` (e.g. restoring a saved choice)."""
        action = self._actions.get(value) or self._actions[None]
        action.setChecked(True)
        self.fault_changed.emit(self.selected_fault())

    def on_group_triggered(self, _action: QAction) -> None:
        self.fault_changed.emit(self.selected_fault())


def build_sandbox_menu(parent: QWidget | None = None) -> SandboxMenu:
    """Build the Sandbox menu (a :class:`QMenu`) for the main window's menu bar."""
    return SandboxMenu(parent)
