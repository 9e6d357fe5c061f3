"""Semantics of the clause engine on small hand-written catalogues."""

import json

import pytest

from exemptions.engine import (
    FAULT_WITHOUT_INTENT,
    ClaimError,
    ClauseResult,
    FactError,
    assess,
    evaluate_clause,
    parse_catalog,
    parse_vocabulary,
    validate_claimed,
    validate_facts,
)

BOOL_FACTS = (
    *("a", "b", "c", "d", "e"),
    *("fault_established", "intentional_violation", "gross_negligence"),
)
VOCABULARY = parse_vocabulary(
    {
        **{key: {"type": "bool", "label_zh": key, "description": key} for key in BOOL_FACTS},
        "consequence": {
            "type": "enum",
            "values": ["none", "minor", "major", "severe"],
            "label_zh": "后果",
            "description": "ordered",
        },
    }
)


def clause(ref, requires, kind="exemption", **extra):
    return {"ref": ref, "kind": kind, "text": f"clause {ref}", "requires": requires, **extra}


def catalog(*clauses, fault_rule=False):
    """A catalogue with one article per article number used by the clause refs."""
    articles = {}
    for item in clauses:
        number = int(item["ref"].replace(":", ".").split(".")[0])
        articles.setdefault(number, []).append(item)
    data = {
        "slug": "test-2020",
        "title": "测试办法",
        "issuing_body": "测试局",
        "document_number": "测字〔2020〕1号",
        "issued_on": "2020-01-01",
        "effective_on": "2020-01-01",
        "jurisdiction": {"code": "test", "name": "测试市"},
        "procedure": {
            **{
                key: {"value": False}
                for key in (
                    "expert_panel_required_when_disputed",
                    "no_liability_filing_required",
                    "no_liability_publication_required",
                    "close_requires_filing_and_publication",
                    "transfer_to_discipline_organs",
                    "no_second_sanction_after_discipline_organs",
                )
            },
            "fault_requires_intent_or_gross_negligence": {"value": fault_rule},
            "intervention_opinion": {"value": "none"},
            "measures": {"value": []},
        },
        "articles": [
            {
                "number": number,
                "text": "；".join(item["text"] for item in items),
                "clauses": items,
            }
            for number, items in sorted(articles.items())
        ],
    }
    return parse_catalog(data, VOCABULARY, "test-2020.yaml")


def result_of(item, **facts):
    return evaluate_clause(catalog(item).clauses[0], facts)


# --- clause results -------------------------------------------------------------


def test_it_is_satisfied_when_requires_holds_and_every_exclusion_is_false():
    item = clause("6.1", ["a", "b"], excluded_if=["c", "d"])
    assert result_of(item, a=True, b=True, c=False, d=False) == ClauseResult(
        "6.1", "exemption", "satisfied", []
    )


def test_it_is_satisfied_without_exclusions_when_requires_holds():
    assert result_of(clause("6.1", "a"), a=True).result == "satisfied"


def test_it_is_excluded_when_an_exclusion_is_true():
    item = clause("6.1", "a", excluded_if=["c", "d"])
    assert result_of(item, a=True, c=False, d=True).result == "excluded"


@pytest.mark.parametrize("a", [False, None])
def test_exclusion_comes_first_whatever_the_requirements(a):
    item = clause("6.1", "a", excluded_if=["c"])
    assert result_of(item, a=a, c=True) == ClauseResult("6.1", "exemption", "excluded", [])


def test_it_is_not_met_when_requires_is_false():
    item = clause("6.1", ["a", "b"], excluded_if=["c"])
    assert result_of(item, a=True, b=False) == ClauseResult("6.1", "exemption", "not_met", [])


def test_it_is_undetermined_when_requires_is_unknown():
    item = clause("6.1", ["a", "b"])
    assert result_of(item, a=True) == ClauseResult("6.1", "exemption", "undetermined", ["b"])


def test_an_unknown_exclusion_is_not_assumed_away():
    item = clause("6.1", "a", excluded_if=["c", "d", "e"])
    result = result_of(item, a=True, c=False)
    assert result.result == "undetermined"
    assert result.missing_facts == ["d", "e"]


def test_unknown_requirements_and_exclusions_are_both_missing_in_reading_order():
    item = clause("6.1", ["b", "a"], consequence_below="major", excluded_if=["e", "c"])
    assert result_of(item).missing_facts == ["b", "a", "consequence", "e", "c"]


def test_missing_facts_are_listed_once_where_first_read():
    item = clause("6.1", ["a", {"any": ["b", "a"]}], excluded_if=["b", "c"])
    assert result_of(item).missing_facts == ["a", "b", "c"]


def test_a_value_that_is_not_a_bool_counts_as_unknown():
    assert result_of(clause("6.1", "a"), a="yes").missing_facts == ["a"]


# --- missing facts through nested expressions -------------------------------------


def test_an_unknown_all_lists_only_its_unknown_parts():
    item = clause("6.1", {"all": ["a", "b", "c"]})
    assert result_of(item, b=True).missing_facts == ["a", "c"]


def test_an_unknown_any_lists_its_unknown_parts_not_the_false_ones():
    item = clause("6.1", {"any": ["a", "b", "c"]})
    assert result_of(item, b=False).missing_facts == ["a", "c"]


def test_a_true_any_decides_even_with_unknown_parts():
    item = clause("6.1", ["a", {"any": ["b", "c"]}])
    assert result_of(item, c=True).missing_facts == ["a"]


def test_a_false_all_inside_an_any_contributes_nothing():
    item = clause("6.1", {"any": [{"all": ["a", "b"]}, "c"]})
    assert result_of(item, a=False).missing_facts == ["c"]


def test_not_descends_into_its_operand():
    item = clause("6.1", {"not": {"all": ["a", "b"]}})
    result = result_of(item, a=True)
    assert (result.result, result.missing_facts) == ("undetermined", ["b"])


@pytest.mark.parametrize(
    ("facts", "result"),
    [({"a": False}, "satisfied"), ({"a": True}, "not_met"), ({}, "undetermined")],
)
def test_not_negates_three_valued(facts, result):
    assert result_of(clause("6.1", {"not": "a"}), **facts).result == result


def test_deeply_nested_expression_lists_what_still_decides_it():
    item = clause(
        "6.1",
        ["a", {"any": [{"all": ["b", {"not": "c"}]}, {"consequence_below": "minor"}]}],
        excluded_if=[{"all": ["d", "e"]}],
    )
    assert result_of(item, a=True, b=True, d=True).missing_facts == ["c", "consequence", "e"]
    assert result_of(item, a=True, b=False, d=False).missing_facts == ["consequence"]
    assert result_of(item, a=True, b=True, c=False, e=False).result == "satisfied"


def test_when_requires_holds_only_the_unknown_exclusions_are_missing():
    item = clause("6.1", ["a", "b"], consequence_below="severe", excluded_if=["c", "d"])
    result = result_of(item, a=True, b=True, consequence="minor", d=False)
    assert result.missing_facts == ["c"]


def test_when_requires_holds_an_unknown_consequence_is_missing():
    item = clause("6.1", "a", consequence_below="severe", excluded_if=["c"])
    assert result_of(item, a=True, c=False).missing_facts == ["consequence"]


# --- consequence limits -------------------------------------------------------------


@pytest.mark.parametrize(
    ("consequence", "result"),
    [("none", "satisfied"), ("minor", "satisfied"), ("major", "not_met"), ("severe", "not_met")],
)
def test_consequence_below_major_is_strict(consequence, result):
    item = clause("6.1", "a", consequence_below="major")
    assert result_of(item, a=True, consequence=consequence).result == result


@pytest.mark.parametrize(
    ("limit", "below", "at"), [("minor", "none", "minor"), ("severe", "major", "severe")]
)
def test_consequence_boundary_is_one_level_below_the_limit(limit, below, at):
    item = clause("6.1", "a", consequence_below=limit)
    assert result_of(item, a=True, consequence=below).result == "satisfied"
    assert result_of(item, a=True, consequence=at).result == "not_met"


def test_a_consequence_at_the_limit_decides_even_when_requires_is_unknown():
    item = clause("6.1", "a", consequence_below="major")
    assert result_of(item, consequence="major").result == "not_met"


def test_consequence_below_inside_an_expression():
    item = clause("6.1", {"any": [{"consequence_below": "minor"}, "a"]})
    assert result_of(item, consequence="none").result == "satisfied"
    assert result_of(item, consequence="minor", a=False).result == "not_met"
    assert result_of(item, a=False).missing_facts == ["consequence"]


# --- clause metadata ---------------------------------------------------------------


def test_clause_facts_are_listed_once_in_reading_order():
    item = clause(
        "6.1",
        ["b", {"any": ["a", {"not": "b"}]}],
        consequence_below="major",
        excluded_if=["c", "a"],
    )
    assert catalog(item).clauses[0].facts() == ["b", "a", "consequence", "c"]


def test_clauses_keep_their_file_order_across_articles():
    parsed = catalog(
        clause("4:no-duty", {"not": "a"}, kind="principle"),
        clause("6.2", "b"),
        clause("6.1", "c"),
        clause("7.1", "d", kind="mitigation"),
    )
    assert [item.ref for item in parsed.clauses] == ["4:no-duty", "6.2", "6.1", "7.1"]
    assert [article.number for article in parsed.articles] == [4, 6, 7]
    assert parsed.clause("6.1").article == 6


# --- outcome ------------------------------------------------------------------------

OUTCOME_CATALOG = catalog(
    clause("4:no-duty", {"not": "a"}, kind="principle"),
    clause("6.1", "b"),
    clause("6.2", "c"),
    clause("7.1", "d", kind="mitigation"),
)


def outcome(claimed=(), **facts):
    return assess(OUTCOME_CATALOG, facts, claimed).outcome


def test_a_satisfied_exemption_makes_the_outcome_exempt_even_with_a_fault():
    assert outcome(b=True, fault_established=True) == "exempt"


def test_a_satisfied_principle_makes_the_outcome_exempt():
    assert outcome(a=False) == "exempt"


def test_exempt_wins_over_an_undetermined_claimed_clause():
    assert outcome(claimed=["6.2"], b=True) == "exempt"


def test_an_unknown_fault_leaves_the_outcome_undetermined():
    assert outcome(a=True, b=False, c=False, d=True) == "undetermined"


def test_an_undetermined_claimed_clause_leaves_the_outcome_undetermined():
    assert outcome(claimed=["6.2"], a=True, b=False, fault_established=True) == "undetermined"


def test_a_claimed_clause_that_is_not_met_does_not_hold_the_outcome():
    facts = {"a": True, "b": False, "c": False, "fault_established": True}
    assert outcome(claimed=["6.2"], **facts) == "liable"


def test_unclaimed_undetermined_clauses_do_not_hold_the_outcome():
    assert outcome(fault_established=True) == "liable"


def test_no_fault_when_the_fault_is_established_false():
    assert outcome(fault_established=False) == "no_fault"


def test_no_fault_wins_over_a_satisfied_mitigation():
    assert outcome(fault_established=False, d=True) == "no_fault"


def test_mitigated_when_a_fault_is_established_and_a_mitigation_holds():
    assert outcome(fault_established=True, d=True) == "mitigated"


def test_a_satisfied_mitigation_alone_is_not_an_exemption():
    assert outcome(d=True) == "undetermined"


def test_liable_when_a_fault_is_established_and_nothing_applies():
    assert outcome(a=True, b=False, c=False, d=False, fault_established=True) == "liable"


def test_assess_reports_every_clause_in_catalogue_order():
    assessment = assess(OUTCOME_CATALOG, {"b": True})
    assert [(r.ref, r.kind, r.result) for r in assessment.clauses] == [
        ("4:no-duty", "principle", "undetermined"),
        ("6.1", "exemption", "satisfied"),
        ("6.2", "exemption", "undetermined"),
        ("7.1", "mitigation", "undetermined"),
    ]


def test_to_dict_is_the_command_line_contract():
    data = assess(OUTCOME_CATALOG, {"b": True, "fault_established": True}, ["6.1"]).to_dict()
    assert list(data) == ["regulation", "outcome", "clauses", "flags"]
    assert data["regulation"] == "test-2020"
    assert data["outcome"] == "exempt"
    assert data["flags"] == []
    assert data["clauses"][1] == {
        "ref": "6.1",
        "kind": "exemption",
        "effect": None,
        "result": "satisfied",
        "missing_facts": [],
    }
    assert data["clauses"][0]["missing_facts"] == ["a"]
    assert json.loads(json.dumps(data)) == data


# --- the art. 7 flag ----------------------------------------------------------------

FLAG_FACTS = {"fault_established": True, "intentional_violation": False, "gross_negligence": False}


def test_it_flags_a_fault_without_intent_or_gross_negligence():
    flagged = catalog(clause("8.1", "a"), fault_rule=True)
    assert assess(flagged, FLAG_FACTS).flags == [FAULT_WITHOUT_INTENT]


@pytest.mark.parametrize(
    "change",
    [
        {"intentional_violation": True},
        {"gross_negligence": True},
        {"gross_negligence": None},
        {"fault_established": False},
        {"fault_established": None},
    ],
)
def test_it_does_not_flag_a_consistent_or_open_finding(change):
    flagged = catalog(clause("8.1", "a"), fault_rule=True)
    facts = {key: value for key, value in {**FLAG_FACTS, **change}.items() if value is not None}
    assert assess(flagged, facts).flags == []


def test_it_does_not_flag_when_the_regulation_has_no_such_rule():
    assert assess(catalog(clause("6.1", "a")), FLAG_FACTS).flags == []


# --- claimed clauses ----------------------------------------------------------------


def test_validate_claimed_returns_each_ref_once_in_the_order_given():
    assert validate_claimed(OUTCOME_CATALOG, ["6.2", "4:no-duty", "6.2"]) == ["6.2", "4:no-duty"]


def test_validate_claimed_refuses_an_unknown_ref():
    with pytest.raises(ClaimError, match="unknown clause '6.9'") as error:
        validate_claimed(OUTCOME_CATALOG, ["6.1", "6.9"])
    assert error.value.ref == "6.9"


@pytest.mark.parametrize("ref", [6.1, None, 7])
def test_validate_claimed_refuses_a_non_string(ref):
    with pytest.raises(ClaimError) as error:
        validate_claimed(OUTCOME_CATALOG, [ref])
    assert error.value.ref == ref


def test_validate_claimed_refuses_a_bare_string():
    with pytest.raises(ClaimError, match="must be a list"):
        validate_claimed(OUTCOME_CATALOG, "6.1")


def test_assess_refuses_an_unknown_claimed_clause():
    with pytest.raises(ClaimError, match="'8.1'"):
        assess(OUTCOME_CATALOG, {}, ["8.1"])


# --- facts -------------------------------------------------------------------------


def test_validate_facts_keeps_known_values_and_drops_unknown_ones():
    facts = {"a": True, "b": False, "c": None, "consequence": "major"}
    assert validate_facts(VOCABULARY, facts) == {"a": True, "b": False, "consequence": "major"}


def test_validate_facts_refuses_an_unknown_key():
    with pytest.raises(FactError, match="unknown fact key 'z'") as error:
        validate_facts(VOCABULARY, {"a": True, "z": True})
    assert error.value.key == "z"


@pytest.mark.parametrize("value", ["true", 1, 0, "yes", [True]])
def test_validate_facts_refuses_a_bool_fact_that_is_not_a_json_bool(value):
    with pytest.raises(FactError, match="'a'") as error:
        validate_facts(VOCABULARY, {"a": value})
    assert error.value.key == "a"


@pytest.mark.parametrize("value", ["huge", True, 2, "Minor"])
def test_validate_facts_refuses_a_value_outside_the_enum(value):
    with pytest.raises(FactError, match="'consequence'") as error:
        validate_facts(VOCABULARY, {"consequence": value})
    assert error.value.key == "consequence"


def test_validate_facts_refuses_a_non_mapping():
    with pytest.raises(FactError):
        validate_facts(VOCABULARY, ["a"])
