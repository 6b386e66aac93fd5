"""Builds the real main window with test services (a real server on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from explorer.core.models import Endpoint, Flow
from explorer.core.settings import SettingsStore
from explorer.paths import AppPaths
from explorer.ui.window.main_window import MainWindow, WindowServices

ENDPOINTS = [
    Endpoint(
        operation_id="getCategoryRecommendationsV4",
        method="GET",
        path="/api/v4/categories/recommendations",
        section="Categories",
        summary="Recommended categories for a zip code",
        scopes=("demand::categories.read",),
        flows=(Flow.CLIENT_CREDENTIALS,),
    ),
    Endpoint(
        operation_id="searchBusinessesV4",
        method="POST",
        path="/api/v4/businesses/search",
        section="Businesses Search",
        summary="Search businesses",
    ),
    Endpoint(
        operation_id="listOrdersV4",
        method="GET",
        path="/api/v4/orders/{orderID}",
        section="On-Demand Orders",
        summary="Get an order",
        inferred=True,
    ),
]


@pytest.fixture
def make_window(qtbot) -> Iterator[Callable[..., MainWindow]]:  # type: ignore[no-untyped-def]
    def factory(base_url: str = "", **overrides: object) -> MainWindow:
        paths = AppPaths.from_environment().ensure()
        store = SettingsStore(paths.settings_file)
        services = WindowServices(
            settings_store=store,
            settings=store.load(),
            endpoints=list(ENDPOINTS),
            start_environment=lambda _env: base_url,
        )
        for key, value in overrides.items():
            setattr(services, key, value)
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        if base_url:
            with qtbot.waitSignal(window.environment_ready, timeout=5000):
                window.start_environment()
        return window

    yield factory


@pytest.fixture(autouse=True, scope="session")
def _gil_shared_as_at_start_up() -> None:
    """The program sets the switch interval once at start-up; widgets built alone in a
    test get the same."""
    from explorer.ui.workers import share_the_gil_with_workers

    share_the_gil_with_workers()
