"""``input_problems``: flat ``-p`` values placed as the request places them, then checked."""

from __future__ import annotations

from explorer.core.builder import ProblemLocation
from explorer.core.models import Endpoint, Parameter, ParamLocation, Severity
from explorer.core.session import input_problems

ENDPOINT = Endpoint(
    operation_id="getThingV4",
    method="GET",
    path="/api/v4/things/{thingID}",
    section="Things",
    parameters=(
        Parameter(name="thingID", location=ParamLocation.PATH, required=True),
        Parameter(name="X-Trace", location=ParamLocation.HEADER, required=True),
        Parameter(
            name="limit", location=ParamLocation.QUERY, schema={"type": "integer", "maximum": 5}
        ),
    ),
)


def test_each_value_is_checked_where_it_will_be_sent() -> None:
    problems = input_problems(ENDPOINT, {"thingID": "7", "limit": "9"}, None)
    assert [(p.location, p.field, p.severity) for p in problems] == [
        (ProblemLocation.HEADER, "X-Trace", Severity.ERROR),
        (ProblemLocation.QUERY, "limit", Severity.ERROR),
    ]
    complete = {"thingID": "7", "X-Trace": "t", "limit": "5"}
    assert input_problems(ENDPOINT, complete, None) == []
    by_header = input_problems(ENDPOINT, {"thingID": "7"}, None, headers=[("x-trace", "t")])
    assert by_header == []
