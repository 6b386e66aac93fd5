"""Input checks for the API handlers: every bad field is reported at once.

A :class:`Validator` collects :class:`~explorer.sandbox.problems.FieldError` entries and
``check()`` raises the documented 400 ProblemDetails (with ``traceID`` and ``errors[]``)
naming each bad field.
"""

from __future__ import annotations

import json
import re
from typing import Any

from explorer.sandbox import problems
from explorer.sandbox.problems import FieldError
from explorer.sandbox.wire import ApiError, Request

ZIP_RE = re.compile(r"^\d{5}$")
PHONE_RE = re.compile(r"^\+1\d{1,14}$")
UTM_PREFIX = "cma-"


def json_body(request: Request, *, required: bool = True) -> dict[str, Any]:
    """The request's JSON object body, or a 400 naming what is wrong with it."""
    if not request.body.strip():
        if not required:
            return {}
        raise ApiError(
            problems.validation_error(
                [FieldError(field="body", message="a JSON object body is required")]
            )
        )
    if request.content_type != "application/json":
        shown = request.content_type or "none"
        raise ApiError(
            problems.validation_error(
                [
                    FieldError(
                        field="Content-Type",
                        location="header",
                        message=f"must be application/json (got {shown})",
                    )
                ]
            )
        )
    try:
        data = json.loads(request.body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(
            problems.validation_error(
                [FieldError(field="body", message="the body is not UTF-8 text")]
            )
        ) from None
    except json.JSONDecodeError as error:
        raise ApiError(
            problems.validation_error(
                [
                    FieldError(
                        field="body",
                        message=f"not valid JSON: {error.msg} at line {error.lineno} "
                        f"column {error.colno}",
                    )
                ]
            )
        ) from None
    if not isinstance(data, dict):
        raise ApiError(
            problems.validation_error([FieldError(field="body", message="must be a JSON object")])
        )
    return data


class Validator:
    """Reads typed fields from a body or a query, remembering every problem."""

    def __init__(self, data: dict[str, Any], *, location: str = "body", prefix: str = "") -> None:
        self.data = data
        self.location = location
        self.prefix = prefix
        self.errors: list[FieldError] = []

    def fail(self, name: str, message: str) -> None:
        self.errors.append(
            FieldError(field=self.prefix + name, message=message, location=self.location)
        )

    def _get(self, name: str, required: bool) -> Any:
        value = self.data.get(name)
        if value is None and required:
            self.fail(name, "is required")
        return value

    def string(
        self,
        name: str,
        *,
        required: bool = True,
        pattern: re.Pattern[str] | None = None,
        hint: str = "",
        max_length: int | None = None,
        choices: tuple[str, ...] | None = None,
    ) -> str | None:
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(name, "must be a string")
            return None
        if required and not value.strip():
            self.fail(name, "must not be empty")
            return None
        if pattern is not None and not pattern.match(value):
            self.fail(name, hint or f"has an invalid format: {value!r}")
            return None
        if max_length is not None and len(value) > max_length:
            self.fail(name, f"must be at most {max_length} characters")
            return None
        if choices is not None and value not in choices:
            self.fail(name, f"must be one of {', '.join(choices)}")
            return None
        return value

    def integer(
        self,
        name: str,
        *,
        required: bool = False,
        minimum: int = 0,
        maximum: int = 1_000_000,
        default: int | None = None,
    ) -> int | None:
        value = self._get(name, required)
        if value is None:
            return default
        if self.location == "query" and isinstance(value, str):
            try:
                value = int(value)
            except ValueError:
                self.fail(name, "must be a whole number")
                return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, "must be a whole number")
            return default
        if not minimum <= value <= maximum:
            self.fail(name, f"must be between {minimum} and {maximum}")
            return default
        return value

    def boolean(self, name: str, *, required: bool = True) -> bool | None:
        value = self._get(name, required)
        if value is not None and not isinstance(value, bool):
            self.fail(name, "must be true or false")
            return None
        return value

    def mapping(self, name: str, *, required: bool = True) -> dict[str, Any] | None:
        value = self._get(name, required)
        if value is not None and not isinstance(value, dict):
            self.fail(name, "must be a JSON object")
            return None
        return value

    def string_list(
        self, name: str, *, required: bool = True, choices: tuple[str, ...] | None = None
    ) -> list[str] | None:
        value = self._get(name, required)
        if value is None:
            return None
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(item, str) and item for item in value)
        ):
            self.fail(name, "must be a non-empty list of strings")
            return None
        if choices is not None:
            unknown = [item for item in value if item not in choices]
            if unknown:
                self.fail(name, f"unknown value(s) {', '.join(unknown)}; use {', '.join(choices)}")
                return None
        return value

    def zip_code(self, name: str = "zipCode", *, required: bool = True) -> str | None:
        return self.string(
            name,
            required=required,
            pattern=ZIP_RE,
            hint="must be a 5-digit US zip code, e.g. 94117",
        )

    def utm_source(self, value: Any, name: str) -> str | None:
        if value is None:
            self.fail(name, "is required (the utm_source Thumbtack assigned to you)")
            return None
        if not isinstance(value, str) or not value.startswith(UTM_PREFIX):
            self.fail(
                name,
                f"must start with '{UTM_PREFIX}' (assigned by Thumbtack), e.g. cma-yourpartner",
            )
            return None
        return value

    def utm_body(self) -> str | None:
        utm = self.mapping("utmData")
        if utm is None:
            return None
        return self.utm_source(utm.get("utm_source"), "utmData.utm_source")

    def check(self) -> None:
        if self.errors:
            raise ApiError(problems.validation_error(self.errors))


def query_validator(request: Request) -> Validator:
    return Validator({name: values[0] for name, values in request.query.items()}, location="query")
