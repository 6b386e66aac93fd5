"""A description of thousands of operations fills the endpoint tree in slices: the first
rows show at once, the window keeps answering, and nothing asked for meanwhile is lost."""

from __future__ import annotations

from explorer.core.models import Endpoint
from explorer.ui.endpoints.tree import ENDPOINT_ROLE, EndpointTree


def _endpoints(count: int) -> list[Endpoint]:
    return [
        Endpoint(
            operation_id=f"op{i}",
            method="GET" if i % 2 else "POST",
            path=f"/things/{i}",
            summary=f"Thing number {i}",
            section=f"Section {i // 500}",
        )
        for i in range(count)
    ]


def _shown(tree: EndpointTree) -> list[str]:
    found = []
    for index in range(tree.tree.topLevelItemCount()):
        section = tree.tree.topLevelItem(index)
        assert section is not None
        for child in range(section.childCount()):
            item = section.child(child)
            assert item is not None
            if not item.isHidden():
                found.append(item.data(0, ENDPOINT_ROLE).operation_id)
    return found


def test_ten_thousand_operations_fill_in_slices_and_all_arrive_in_order(qtbot) -> None:  # type: ignore[no-untyped-def]
    tree = EndpointTree()
    qtbot.addWidget(tree)
    tree.show()
    endpoints = _endpoints(10_000)
    tree.load(endpoints)
    first = len(_shown(tree))
    assert 0 < first < 10_000  # the first slice is in; the rest follows
    assert not tree.filled
    done: list[bool] = []
    tree.when_filled(lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert tree.filled
    assert _shown(tree) == [e.operation_id for e in endpoints]
    assert tree.tree.topLevelItemCount() == 20
    assert all(tree.tree.topLevelItem(i).isExpanded() for i in range(20))  # type: ignore[union-attr]


def test_a_filter_typed_while_filling_applies_to_the_rows_still_to_come(qtbot) -> None:  # type: ignore[no-untyped-def]
    tree = EndpointTree()
    qtbot.addWidget(tree)
    tree.show()
    tree.load(_endpoints(6_000))
    qtbot.keyClicks(tree.filter_edit, "number 5999")
    qtbot.waitUntil(lambda: tree.filled, timeout=20_000)
    assert _shown(tree) == ["op5999"]


def test_the_remembered_endpoint_is_selected_when_its_row_arrives(qtbot) -> None:  # type: ignore[no-untyped-def]
    tree = EndpointTree()
    qtbot.addWidget(tree)
    tree.show()
    tree.load(_endpoints(8_000))
    with qtbot.waitSignal(tree.endpoint_selected, timeout=20_000) as picked:
        tree.select_when_shown("op7999")
    assert picked.args[0].operation_id == "op7999"
    current = tree.current_endpoint()
    assert current is not None and current.operation_id == "op7999"


def test_selecting_a_row_not_yet_shown_by_name_fills_the_rest_first(qtbot) -> None:  # type: ignore[no-untyped-def]
    tree = EndpointTree()
    qtbot.addWidget(tree)
    tree.show()
    tree.load(_endpoints(8_000))
    assert tree.select("op7998") is True
    assert tree.filled
    current = tree.current_endpoint()
    assert current is not None and current.operation_id == "op7998"
    assert tree.select("no-such-operation") is False


def test_loading_another_description_while_filling_drops_the_old_rows(qtbot) -> None:  # type: ignore[no-untyped-def]
    tree = EndpointTree()
    qtbot.addWidget(tree)
    tree.show()
    tree.load(_endpoints(8_000))
    small = _endpoints(3)
    tree.load(small)
    assert tree.filled
    assert _shown(tree) == ["op0", "op1", "op2"]
