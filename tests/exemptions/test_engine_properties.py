"""Properties of the engine over random fact sets, on the real catalogues and a synthetic one."""

from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exemptions.engine import (
    EXCLUDED,
    MITIGATION,
    NOT_MET,
    SATISFIED,
    UNDETERMINED,
    assess,
    evaluate_clause,
    parse_catalog,
    parse_vocabulary,
)

CATALOGS = Path(__file__).resolve().parents[2] / "exemptions" / "catalogs"
REAL = ("taian-2020", "lianyungang-2022")
# No example database: the tests must not write into the repository.
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

SYNTHETIC_FACTS = (
    *("a", "b", "c", "d", "e", "f", "g"),
    *("fault_established", "intentional_violation", "gross_negligence"),
)
SYNTHETIC_CLAUSES = [
    ("4:no-duty", "principle", {"not": "a"}, {}),
    ("4:level", "principle", ["b", {"not": "c"}], {}),
    ("6.1", "exemption", ["a", "b"], {"consequence_below": "severe", "excluded_if": ["d"]}),
    ("6.2", "exemption", {"any": ["c", {"all": ["d", {"not": "e"}]}]}, {}),
    ("6.3", "exemption", ["e", {"any": [{"consequence_below": "minor"}, "f"]}], {}),
    (
        "6.4",
        "exemption",
        {"any": ["a", "g"]},
        {
            "consequence_below": "major",
            "excluded_if": [{"all": ["b", "c"]}, "intentional_violation"],
        },
    ),
    ("6.5", "exemption", ["f", {"any": ["f", "g"]}], {"excluded_if": ["g", {"not": "a"}]}),
    ("7.1", "mitigation", "g", {}),
    ("7.2", "mitigation", {"all": ["e", "f"]}, {"excluded_if": ["gross_negligence"]}),
]


def synthetic_catalog():
    vocabulary = parse_vocabulary(
        {
            **{
                key: {"type": "bool", "label_zh": key, "description": key}
                for key in SYNTHETIC_FACTS
            },
            "consequence": {
                "type": "enum",
                "values": ["none", "minor", "major", "severe"],
                "label_zh": "后果",
                "description": "ordered",
            },
        }
    )
    articles = {}
    for ref, kind, requires, extra in SYNTHETIC_CLAUSES:
        number = int(ref.replace(":", ".").split(".")[0])
        clause = {"ref": ref, "kind": kind, "text": f"clause {ref}", "requires": requires, **extra}
        articles.setdefault(number, []).append(clause)
    data = {
        "slug": "synthetic-2020",
        "title": "合成办法",
        "issuing_body": "测试局",
        "document_number": "测字〔2020〕2号",
        "issued_on": "2020-01-01",
        "effective_on": "2020-01-01",
        "jurisdiction": {"code": "synthetic", "name": "合成市"},
        "procedure": {
            **{
                key: {"value": True}
                for key in (
                    "expert_panel_required_when_disputed",
                    "no_liability_filing_required",
                    "no_liability_publication_required",
                    "close_requires_filing_and_publication",
                    "fault_requires_intent_or_gross_negligence",
                    "transfer_to_discipline_organs",
                    "no_second_sanction_after_discipline_organs",
                )
            },
            "intervention_opinion": {"value": "optional"},
            "measures": {"value": ["talk_reminder"]},
        },
        "articles": [
            {"number": n, "text": "；".join(c["text"] for c in items), "clauses": items}
            for n, items in sorted(articles.items())
        ],
    }
    return parse_catalog(data, vocabulary, "synthetic-2020.yaml")


@cache
def load(name):
    if name == "synthetic":
        return synthetic_catalog()
    path = CATALOGS / f"{name}.yaml"
    if not path.exists():
        pytest.skip(f"{path.name} is not written yet")
    vocabulary = parse_vocabulary(yaml.safe_load((CATALOGS / "facts.yaml").read_text("utf-8")))
    return parse_catalog(yaml.safe_load(path.read_text("utf-8")), vocabulary, path.name)


CATALOG_NAMES = pytest.mark.parametrize("name", ["synthetic", *REAL])


def values_of(catalog, key):
    """The values a fact can take: None (unknown) first, so Hypothesis shrinks towards it."""
    fact = catalog.vocabulary[key]
    return [None, True, False] if fact.type == "bool" else [None, *fact.values]


def draw_facts(data, catalog):
    """Facts over every key the catalogue mentions plus the outcome facts, some unknown."""
    keys = {key for clause in catalog.clauses for key in clause.facts()}
    keys |= {"fault_established", "intentional_violation", "gross_negligence"}
    keys &= set(catalog.vocabulary)
    drawn = data.draw(
        st.fixed_dictionaries(
            {key: st.sampled_from(values_of(catalog, key)) for key in sorted(keys)}
        )
    )
    return {key: value for key, value in drawn.items() if value is not None}


def draw_known_value(data, catalog, key):
    return data.draw(st.sampled_from(values_of(catalog, key)[1:]))


@CATALOG_NAMES
@PROPERTY
@given(data=st.data())
def test_assess_is_deterministic(name, data):
    catalog = load(name)
    facts = draw_facts(data, catalog)
    claimed = data.draw(st.lists(st.sampled_from(list(catalog.by_ref)), max_size=3))
    first = assess(catalog, facts, claimed).to_dict()
    assert assess(catalog, facts, claimed).to_dict() == first
    assert assess(catalog, dict(reversed(facts.items())), claimed).to_dict() == first


@CATALOG_NAMES
@PROPERTY
@given(data=st.data())
def test_every_clause_is_reported_once_in_catalogue_order(name, data):
    catalog = load(name)
    results = assess(catalog, draw_facts(data, catalog)).clauses
    assert [(r.ref, r.kind) for r in results] == [(c.ref, c.kind) for c in catalog.clauses]


@CATALOG_NAMES
@PROPERTY
@given(data=st.data())
def test_a_fact_the_clause_does_not_mention_never_changes_it(name, data):
    catalog = load(name)
    facts = draw_facts(data, catalog)
    key = data.draw(st.sampled_from(list(catalog.vocabulary)))
    changed = {**facts, key: draw_known_value(data, catalog, key)}
    unset = {k: v for k, v in facts.items() if k != key}
    for clause in catalog.clauses:
        if key not in clause.facts():
            before = evaluate_clause(clause, facts)
            assert evaluate_clause(clause, changed) == before
            assert evaluate_clause(clause, unset) == before


# What establishing one more fact may turn a result into (Kleene logic is monotone).
ALLOWED_AFTER = {
    SATISFIED: {SATISFIED},
    EXCLUDED: {EXCLUDED},
    NOT_MET: {NOT_MET, EXCLUDED},
    UNDETERMINED: {SATISFIED, EXCLUDED, NOT_MET, UNDETERMINED},
}


@CATALOG_NAMES
@PROPERTY
@given(data=st.data())
def test_establishing_an_unknown_fact_never_undoes_a_result(name, data):
    catalog = load(name)
    facts = draw_facts(data, catalog)
    unknown = [key for key in catalog.vocabulary if key not in facts]
    if not unknown:
        return
    key = data.draw(st.sampled_from(unknown))
    established = {**facts, key: draw_known_value(data, catalog, key)}
    for clause in catalog.clauses:
        before = evaluate_clause(clause, facts).result
        assert evaluate_clause(clause, established).result in ALLOWED_AFTER[before], clause.ref


@CATALOG_NAMES
@PROPERTY
@given(data=st.data())
def test_missing_facts_are_the_unknown_facts_of_an_undetermined_clause(name, data):
    catalog = load(name)
    facts = draw_facts(data, catalog)
    for clause in catalog.clauses:
        result = evaluate_clause(clause, facts)
        if result.result != UNDETERMINED:
            assert result.missing_facts == []
            continue
        assert result.missing_facts
        assert len(set(result.missing_facts)) == len(result.missing_facts)
        assert set(result.missing_facts) <= set(clause.facts())
        assert not set(result.missing_facts) & set(facts)


@CATALOG_NAMES
@PROPERTY
@given(data=st.data())
def test_establishing_every_missing_fact_decides_the_clause(name, data):
    catalog = load(name)
    facts = draw_facts(data, catalog)
    for clause in catalog.clauses:
        missing = evaluate_clause(clause, facts).missing_facts
        if missing:
            more = {key: draw_known_value(data, catalog, key) for key in missing}
            assert evaluate_clause(clause, {**facts, **more}).result != UNDETERMINED


@CATALOG_NAMES
@PROPERTY
@given(data=st.data())
def test_an_unknown_fact_outside_missing_facts_does_not_matter(name, data):
    catalog = load(name)
    facts = draw_facts(data, catalog)
    for clause in catalog.clauses:
        before = evaluate_clause(clause, facts)
        if before.result != UNDETERMINED:
            continue  # decided results are covered by the monotonicity property
        for key in clause.facts():
            if key not in facts and key not in before.missing_facts:
                value = draw_known_value(data, catalog, key)
                assert evaluate_clause(clause, {**facts, key: value}) == before


def expected_outcome(results, facts, claimed):
    """The contract's order, recomputed from the clause results alone."""
    fault = facts.get("fault_established")
    satisfied = {r.kind for r in results if r.result == SATISFIED}
    if satisfied - {MITIGATION}:
        return "exempt"
    if fault is None or any(r.ref in claimed and r.result == UNDETERMINED for r in results):
        return "undetermined"
    if fault is False:
        return "no_fault"
    return "mitigated" if MITIGATION in satisfied else "liable"


@CATALOG_NAMES
@PROPERTY
@given(data=st.data())
def test_the_outcome_follows_the_contract_order(name, data):
    catalog = load(name)
    facts = draw_facts(data, catalog)
    claimed = data.draw(st.lists(st.sampled_from(list(catalog.by_ref)), max_size=3))
    assessment = assess(catalog, facts, claimed)
    assert assessment.outcome == expected_outcome(assessment.clauses, facts, set(claimed))
    assert assessment.regulation == catalog.slug


@CATALOG_NAMES
@PROPERTY
@given(data=st.data())
def test_the_fault_flag_follows_the_procedure_rule(name, data):
    catalog = load(name)
    facts = draw_facts(data, catalog)
    expected = (
        catalog.procedure["fault_requires_intent_or_gross_negligence"]["value"]
        and facts.get("fault_established") is True
        and facts.get("intentional_violation") is False
        and facts.get("gross_negligence") is False
    )
    assessment = assess(catalog, facts)
    flagged = "fault_without_intent_or_gross_negligence" in assessment.flags
    assert flagged == bool(expected)
    not_a_fault = facts.get("fault_established") is True and any(
        r.result == "satisfied" and r.effect == "not_a_fault" for r in assessment.clauses
    )
    assert ("fault_established_despite_not_a_fault_clause" in assessment.flags) == not_a_fault
    no_harm = (
        catalog.procedure["fault_requires_consequence"]["value"]
        and facts.get("fault_established") is True
        and facts.get("consequence") == "none"
    )
    assert ("fault_without_harmful_consequence" in assessment.flags) == bool(no_harm)
    assert assessment.outcome == expected_outcome(assessment.clauses, facts, set())
