"""TaskRunner, the window's one off-thread pattern: results on the GUI thread, latest only
when asked, cancel at once, late results dropped, and per-task callbacks."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from explorer.ui.workers import TaskRunner


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # never leave a worker waiting


def held(gate: threading.Event, value: object) -> Callable[[threading.Event], object]:
    def work(_cancel: threading.Event) -> object:
        gate.wait(10)
        return value

    return work


def test_results_come_back_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner(latest_only=False)
    threads: list[str] = []

    def work(_cancel: threading.Event) -> str:
        threads.append(threading.current_thread().name)
        return "done"

    with qtbot.waitSignal(runner.finished, timeout=5000) as finished:
        task = runner.submit(work)
    assert finished.args == [task, "done"]
    assert threads[0].startswith("explorer-io")
    assert not runner.busy
    runner.shutdown()


def test_only_the_latest_result_is_delivered(qtbot: QtBot, gate: threading.Event) -> None:
    runner = TaskRunner(latest_only=True)
    finished: list[object] = []
    cancelled: list[int] = []
    runner.finished.connect(lambda _id, result: finished.append(result))
    runner.cancelled.connect(cancelled.append)
    first = runner.submit(held(gate, "old"))
    second = runner.submit(lambda _cancel: "new")
    assert cancelled == [first]  # the older one is cancelled as the newer one starts
    qtbot.waitUntil(lambda: finished == ["new"], timeout=5000)
    gate.set()
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.submit(lambda _cancel: "after")  # queued behind the late "old"
    assert finished == ["new", "after"] and second != first
    runner.shutdown()


def test_cancel_is_said_at_once_and_the_late_result_is_dropped(
    qtbot: QtBot, gate: threading.Event
) -> None:
    runner = TaskRunner(latest_only=False, serial=True)
    done: list[object] = []
    runner.run(held(gate, "late"), done.append)
    with qtbot.waitSignal(runner.cancelled, timeout=1000):
        runner.cancel()
    assert not runner.busy
    gate.set()
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.submit(lambda _cancel: "next")  # one worker: runs after the late one
    assert done == []
    runner.shutdown()


def test_each_task_gets_its_own_callbacks(qtbot: QtBot) -> None:
    runner = TaskRunner(latest_only=False)
    results: list[object] = []
    errors: list[object] = []
    failed: list[object] = []
    runner.failed.connect(lambda _id, exc: failed.append(exc))

    def broken(_cancel: threading.Event) -> None:
        raise ValueError("no such file")

    runner.run(lambda _cancel: 1, results.append, errors.append)
    runner.run(broken, results.append, errors.append)
    qtbot.waitUntil(lambda: len(results) + len(errors) == 2, timeout=5000)
    assert results == [1]
    assert isinstance(errors[0], ValueError) and failed == []  # handled by its callback
    with qtbot.waitSignal(runner.failed, timeout=5000):
        runner.run(broken, results.append)  # no on_error: the failed signal says it
    assert results == [1]
    runner.shutdown()


def test_every_runner_uses_the_shared_lanes_and_a_serial_one_keeps_its_order(
    qtbot: QtBot,
) -> None:
    """One thread policy: runners make no pools of their own; a serial runner's tasks run
    one at a time, in order, on the shared lane."""
    from explorer.ui.workers import Lane

    serial = TaskRunner(latest_only=False, serial=True)
    computing = TaskRunner(latest_only=False, lane=Lane.CPU)
    order: list[int] = []
    names: set[str] = set()
    running = [0]
    overlapped = [False]
    lock = threading.Lock()

    def step(index: int):  # type: ignore[no-untyped-def]
        def run(_cancel: threading.Event) -> int:
            with lock:
                running[0] += 1
                overlapped[0] = overlapped[0] or running[0] > 1
            names.add(threading.current_thread().name)
            order.append(index)
            with lock:
                running[0] -= 1
            return index

        return run

    done: list[object] = []
    for index in range(30):
        serial.run(step(index), done.append)
    computed: list[object] = []
    computing.run(lambda _cancel: threading.current_thread().name, computed.append)
    qtbot.waitUntil(lambda: len(done) == 30 and len(computed) == 1, timeout=10000)
    assert order == list(range(30)) and not overlapped[0]
    assert all(name.startswith("explorer-io") for name in names)
    assert str(computed[0]).startswith("explorer-cpu")
    serial.shutdown()
    computing.shutdown()
