"""The status badge: words, glyph and colour from the one core classification."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from explorer.core.models import (
    NetworkFailure,
    NetworkFailureKind,
    RequestSpec,
    ResponseRecord,
    StatusClass,
)
from explorer.core.status import classify
from explorer.ui.response.status_badge import StatusBadge, glyph_for
from explorer.ui.style.theme import apply_theme, status_colors

SPEC = RequestSpec(method="GET", url="https://api.thumbtack.com/api/v4/businesses")


def record(
    status: int, body: bytes = b"", headers: tuple[tuple[str, str], ...] = ()
) -> ResponseRecord:
    return ResponseRecord(request=SPEC, status=status, body=body, headers=headers)


CASES = [
    (record(200, b"{}"), StatusClass.SUCCESS, "200", "✔"),
    (record(202), StatusClass.CHALLENGE, "challenge: the request did not reach the API", "⚠"),
    (record(401), StatusClass.AUTH_ERROR, "401", "⊘"),
    (
        record(502, b'{"error":"proxy_oauth_failed","detail":"x"}'),
        StatusClass.SETUP_ERROR,
        "Set-up error",
        "⚠",
    ),
    (record(500), StatusClass.SERVER_ERROR, "500", "✖"),
]


@pytest.fixture(params=[True, False], ids=["dark", "light"])
def dark(request, qapp) -> bool:  # type: ignore[no-untyped-def]
    apply_theme(qapp, dark=request.param)
    return bool(request.param)


@pytest.mark.parametrize(("rec", "status_class", "words", "glyph"), CASES)
def test_badge_words_glyph_and_colour(qtbot, dark, rec, status_class, words, glyph) -> None:  # type: ignore[no-untyped-def]  # noqa: PLR0917
    badge = StatusBadge()
    qtbot.addWidget(badge)
    badge.refresh_theme()
    badge.show_status(classify(rec))
    assert words.lower() in badge.text().lower()
    assert badge.icon.text() == glyph
    assert badge.property("statusClass") == status_class.value
    assert badge.colors() == status_colors(status_class, dark=dark)
    badge.show()
    grabbed = badge.grab().toImage().pixelColor(3, badge.height() // 2)
    assert grabbed.name() == status_colors(status_class, dark=dark)[0]


def test_challenge_is_amber_not_green(qtbot, dark) -> None:  # type: ignore[no-untyped-def]
    badge = StatusBadge()
    qtbot.addWidget(badge)
    badge.show_status(classify(record(202)))
    assert badge.colors() != status_colors(StatusClass.SUCCESS, dark=dark)
    assert badge.colors() == status_colors(StatusClass.RATE_LIMITED, dark=dark)  # amber family


@pytest.mark.parametrize(
    "kind",
    [
        NetworkFailureKind.DNS,
        NetworkFailureKind.REFUSED,
        NetworkFailureKind.TLS,
        NetworkFailureKind.READ_TIMEOUT,
        NetworkFailureKind.RESET,
    ],
)
def test_network_failures_have_their_own_badge(qtbot, kind) -> None:  # type: ignore[no-untyped-def]
    failure = NetworkFailure(kind=kind, exception_type="ConnectError", message="boom")
    badge = StatusBadge()
    qtbot.addWidget(badge)
    badge.show_status(classify(ResponseRecord(request=SPEC, failure=failure)))
    assert badge.property("statusClass") == StatusClass.NETWORK_ERROR.value
    assert badge.text().startswith("Network:")
    assert badge.icon.text() in (glyph_for("network"), glyph_for("clock"))


def test_retry_after_counts_down(qtbot) -> None:  # type: ignore[no-untyped-def]
    badge = StatusBadge()
    qtbot.addWidget(badge)
    badge.show_status(classify(record(429, b"{}", (("Retry-After", "2"),))))
    assert "Retry in 2 s" in badge.text()
    qtbot.waitUntil(lambda: badge.seconds_left == 1, timeout=3000)
    assert "Retry in 1 s" in badge.countdown.text()
    with qtbot.waitSignal(badge.countdown_finished, timeout=3000):
        pass
    assert not badge.counting
    assert "allowed now" in badge.countdown.text()


def test_429_without_retry_after_has_no_countdown(qtbot) -> None:  # type: ignore[no-untyped-def]
    badge = StatusBadge()
    qtbot.addWidget(badge)
    badge.show_status(classify(record(429)))
    assert not badge.counting
    assert "Rate limited" in badge.text()


def test_legend_lists_every_class_on_hover(qtbot) -> None:  # type: ignore[no-untyped-def]
    badge = StatusBadge()
    qtbot.addWidget(badge)
    tip = badge.toolTip()
    for words in ("Challenge", "Set-up error", "Rate limited", "Network", "Unauthorized"):
        assert words in tip
    assert QApplication.instance() is not None


def test_narrow_badge_elides_and_keeps_the_whole_text_in_its_tooltip(qtbot) -> None:  # type: ignore[no-untyped-def]
    badge = StatusBadge()
    qtbot.addWidget(badge)
    badge.show()
    badge.show_status(classify(record(401)), detail="HTTP/1.1 · 12 ms · 120 B")
    badge.resize(180, badge.sizeHint().height())
    qtbot.waitUntil(lambda: badge.label.width() < 150)
    assert badge.label.text().startswith("401 Unauthorized")  # the words stay whole
    assert badge.label.is_elided()
    assert badge.label.shown_text().endswith("…")
    assert badge.minimumSizeHint().width() <= 180
    tip = badge.toolTip()
    assert "401 Unauthorized" in tip and "HTTP/1.1 · 12 ms · 120 B" in tip
    assert "Status legend" in tip
    badge.resize(900, badge.sizeHint().height())
    qtbot.waitUntil(lambda: not badge.label.is_elided())
