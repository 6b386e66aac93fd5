"""A real webhook inbox on 127.0.0.1 for tests, with a way to wait for deliveries."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from explorer.core.inbox.listener import InboxConfig, InboxListener
from explorer.core.inbox.model import Delivery
from explorer.core.inbox.store import InboxStore


class Collected:
    """The deliveries a listener reported, in the order it recorded them."""

    def __init__(self) -> None:
        self.items: list[Delivery] = []
        self._arrived = threading.Condition()

    def __call__(self, delivery: Delivery) -> None:
        with self._arrived:
            self.items.append(delivery)
            self._arrived.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Delivery]:
        with self._arrived:
            assert self._arrived.wait_for(lambda: len(self.items) >= count, timeout), (
                f"only {len(self.items)} of {count} deliveries arrived"
            )
            return list(self.items)


@contextmanager
def running_inbox(
    path: Path, config: InboxConfig | None = None, **kwargs: Any
) -> Iterator[tuple[InboxListener, Collected]]:
    store = InboxStore(path)
    collected = Collected()
    listener = InboxListener(store, config=config, on_delivery=collected, **kwargs)
    listener.start()
    try:
        yield listener, collected
    finally:
        listener.stop()
        store.close()
