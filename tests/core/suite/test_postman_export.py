"""A suite exported as a Postman collection keeps ``{{base_url}}`` as the URL's host, so
newman (which builds each URL from host and path) calls the right address."""

from __future__ import annotations

from explorer.core.interchange import read_suite
from explorer.core.postman import suite_to_postman
from explorer.resources import resource_path


def test_exported_urls_put_the_base_variable_in_the_host() -> None:
    collection = suite_to_postman(read_suite(resource_path("suites", "smoke")))
    first = collection["item"][0]["item"][0]["request"]["url"]
    assert first["host"] == ["{{base_url}}"]
    assert first["path"] == ["api", "v4", "categories", "recommendations"]
    assert first["raw"].startswith("{{base_url}}/api/v4/categories/recommendations?")
