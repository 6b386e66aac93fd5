"""The rules file: valid against its schema, complete, and bad files get clear errors."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from explorer.core.explain import ExplanationEngine
from explorer.core.explain_rules import PLACEHOLDERS, RulesFileError, load_rules, parse_rules
from explorer.core.models import FixAction
from explorer.resources import resource_path

RULES = resource_path("explain", "rules.yaml")
SCHEMA = json.loads(resource_path("explain", "rules.schema.json").read_text(encoding="utf-8"))
DOCS = "https://developers.thumbtack.com/docs/"


def shipped() -> dict:
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))


def test_shipped_rules_load():
    rules = load_rules(RULES, resource_path("explain", "rules.schema.json"))
    assert len(rules.rules) >= 50
    assert len(rules.ids) == len(rules.rules)


@pytest.mark.parametrize("status", [200, 202, 400, 401, 403, 404, 429, 451, 502, 500, 503])
def test_every_row_of_the_status_table_has_a_documented_rule(status):
    engine = ExplanationEngine.from_resources()
    explanation = engine.explain_parts(status, b"")
    assert explanation.documented is True
    assert explanation.doc_url == DOCS + "getting-started/troubleshooting"


def test_doc_links_point_at_thumbtack_pages():
    for rule in shipped()["rules"]:
        assert rule["doc_url"] == "" or rule["doc_url"].startswith(DOCS), rule["id"]


def test_one_click_fixes_named_in_the_issue_are_offered():
    actions = {a for rule in shipped()["rules"] for a in rule.get("actions", [])}
    # Switching to a built-in Sandbox profile is offered by the pre-flight check only (it
    # depends on the environment and profile, which a rule does not see).
    preflight_only = {
        FixAction.USE_SANDBOX_CUSTOMER.value,
        FixAction.USE_SANDBOX_PRO.value,
        FixAction.USE_SANDBOX_APP.value,
    }
    assert {a.value for a in FixAction} - preflight_only <= actions
    assert not preflight_only & actions


def _with(rules: list[dict]) -> str:
    document = shipped()
    document["rules"] = rules
    return yaml.safe_dump(document)


def _rule(**overrides) -> dict:
    rule = {
        "id": "sample",
        "title": "t",
        "cause": "c",
        "fix": [],
        "doc_url": "",
        "severity": "info",
        "documented": True,
        "match": {"status": 200},
    }
    rule.update(overrides)
    return rule


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (_rule(severity="fatal"), r"rule 'sample' \(rules\[0\]\) at rules/0/severity"),
        (_rule(match={"status": "6xx"}), r"rule 'sample' .* at rules/0/match/status"),
        (_rule(match={}), r"rule 'sample' .* at rules/0/match"),
        (_rule(actions=["reboot"]), r"rule 'sample' .* at rules/0/actions/0"),
        (_rule(match={"body": {"detail": "("}}), r"rule 'sample' match.body.detail: '\(' is not"),
        (_rule(cause="see {nope}"), r"rule 'sample' cause: unknown placeholder \{nope\}"),
        (_rule(match={"headers": {"x": "[a"}}), r"rule 'sample' match.headers.x"),
        (_rule(doc_url="http://insecure"), r"rule 'sample' .* at rules/0/doc_url"),
    ],
)
def test_a_bad_rule_is_named_in_the_error(rule, message):
    with pytest.raises(RulesFileError, match=message):
        parse_rules(_with([rule]), schema=SCHEMA)


def test_every_problem_is_reported_at_once():
    bad = [_rule(id="one", severity="x"), _rule(id="two", documented="yes")]
    with pytest.raises(RulesFileError) as info:
        parse_rules(_with(bad), schema=SCHEMA)
    text = str(info.value)
    assert "2 problem(s)" in text
    assert "rule 'one'" in text
    assert "rule 'two'" in text


def test_duplicate_ids_are_refused():
    with pytest.raises(RulesFileError, match=r"rule 'sample' .* the id is used twice"):
        parse_rules(_with([_rule(), _rule()]), schema=SCHEMA)


def test_not_yaml_is_refused():
    with pytest.raises(RulesFileError, match=r"rules\.yaml is not valid YAML"):
        parse_rules("rules: [\n  - {", schema=SCHEMA)


def test_unreadable_file_says_to_reinstall(tmp_path):
    with pytest.raises(RulesFileError, match="Reinstall the program"):
        load_rules(tmp_path / "missing.yaml", tmp_path / "missing.json")


def test_placeholders_documented_in_the_file_header():
    header = RULES.read_text(encoding="utf-8").split("version:")[0]
    named = set(re.findall(r"\b([a-z_]+)\b", header))
    assert named >= PLACEHOLDERS


def test_most_specific_rule_wins():
    engine = ExplanationEngine(
        parse_rules(
            _with(
                [
                    _rule(id="broad", match={"status": "4xx"}),
                    _rule(id="exact", match={"status": 401}),
                    _rule(id="body", match={"status": "4xx", "body": {"error": "x"}}),
                    _rule(id="forced", priority=1, match={"status": 418}),
                ]
            ),
            schema=SCHEMA,
        )
    )
    assert engine.explain_parts(400, b"").rule_id == "broad"
    assert engine.explain_parts(401, b"").rule_id == "exact"
    assert engine.explain_parts(401, b'{"error":"X"}').rule_id == "body"
    assert engine.explain_parts(418, b'{"error":"x"}').rule_id == "forced"
