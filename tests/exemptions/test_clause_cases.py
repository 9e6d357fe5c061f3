"""Per-clause cases, written like the law's examples: one test per case, plus coverage.

Each catalogue `exemptions/catalogs/<slug>.yaml` has a case file
`tests/exemptions/clause_cases/<slug>.yaml`: a list of {clause, cases}, each case
{name, facts, result, missing_facts?}. A case's facts go through validate_facts,
so a typo in a fact key or value fails the case.
"""

from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
import yaml

from exemptions.engine import (
    CONSEQUENCE,
    EXCLUDED,
    NOT_MET,
    RESULTS,
    SATISFIED,
    UNDETERMINED,
    evaluate_clause,
    parse_catalog,
    parse_vocabulary,
    validate_facts,
)

CATALOGS = Path(__file__).resolve().parents[2] / "exemptions" / "catalogs"
CASES = Path(__file__).resolve().parent / "clause_cases"
SLUGS = sorted(
    {"taian-2020", "lianyungang-2022"}
    | {path.stem for path in CATALOGS.glob("*.yaml") if path.name != "facts.yaml"}
)
CASE_KEYS = {"name", "facts", "result", "missing_facts"}


@cache
def load_catalog(slug):
    path = CATALOGS / f"{slug}.yaml"
    if not path.exists():
        pytest.skip(f"{path.name} is not written yet")
    vocabulary = parse_vocabulary(yaml.safe_load((CATALOGS / "facts.yaml").read_text("utf-8")))
    return parse_catalog(yaml.safe_load(path.read_text("utf-8")), vocabulary, path.name)


@cache
def load_entries(slug):
    """The case file as written, or None when it does not exist (yet)."""
    path = CASES / f"{slug}.yaml"
    if not path.exists():
        return None
    return yaml.safe_load(path.read_text("utf-8"))


def entries_or_skip(slug):
    load_catalog(slug)
    entries = load_entries(slug)
    if entries is None:
        pytest.skip(f"clause_cases/{slug}.yaml is not written yet")
    return entries


def case_params():
    """One parameter per case; a malformed file still collects, and fails in the format test."""
    params = []
    for slug in SLUGS:
        try:
            entries = load_entries(slug)
        except yaml.YAMLError:
            continue
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("cases"), list):
                continue
            for index, case in enumerate(entry["cases"], start=1):
                name = case.get("name", f"case {index}") if isinstance(case, dict) else index
                params.append(
                    pytest.param(
                        slug, entry.get("clause"), case, id=f"{slug}:{entry.get('clause')}:{name}"
                    )
                )
    return params or [pytest.param(None, None, None, id="no-cases")]


@pytest.mark.parametrize(("slug", "ref", "case"), case_params())
def test_clause_case(slug, ref, case):
    if slug is None:
        pytest.skip("no case files written yet")
    catalog = load_catalog(slug)
    assert ref in catalog.by_ref, f"unknown clause {ref!r}"
    assert isinstance(case, dict) and set(case) <= CASE_KEYS, f"bad case keys in {case!r}"
    facts = validate_facts(catalog.vocabulary, case.get("facts") or {})
    result = evaluate_clause(catalog.clause(ref), facts)
    assert result.result == case["result"]
    if "missing_facts" in case:
        assert result.missing_facts == case["missing_facts"]


@pytest.mark.parametrize("slug", SLUGS)
def test_case_file_is_well_formed(slug):
    entries = entries_or_skip(slug)
    catalog = load_catalog(slug)
    assert isinstance(entries, list), "a case file is a list of {clause, cases}"
    problems = []
    names = defaultdict(list)
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != {"clause", "cases"}:
            problems.append(f"entry {entry!r}: needs exactly 'clause' and 'cases'")
            continue
        ref = entry["clause"]
        if ref not in catalog.by_ref:
            problems.append(f"clause {ref!r} is not in {catalog.slug}")
        if not isinstance(entry["cases"], list) or not entry["cases"]:
            problems.append(f"clause {ref}: 'cases' must be a non-empty list")
            continue
        for case in entry["cases"]:
            if not isinstance(case, dict) or not {"name", "facts", "result"} <= set(case):
                problems.append(f"clause {ref}: case {case!r} needs name, facts and result")
                continue
            names[ref].append(case["name"])
            if set(case) - CASE_KEYS:
                problems.append(
                    f"clause {ref}: {case['name']}: unknown keys {set(case) - CASE_KEYS}"
                )
            if case["result"] not in RESULTS:
                problems.append(f"clause {ref}: {case['name']}: bad result {case['result']!r}")
            missing = case.get("missing_facts", [])
            if not isinstance(missing, list) or not set(missing) <= set(catalog.vocabulary.keys()):
                problems.append(f"clause {ref}: {case['name']}: bad missing_facts {missing!r}")
    for ref, ref_names in names.items():
        if len(set(ref_names)) != len(ref_names):
            problems.append(f"clause {ref}: case names repeat")
    assert not problems, "\n".join(problems)


def cases_by_clause(slug):
    by_ref = defaultdict(list)
    for entry in entries_or_skip(slug):
        by_ref[entry["clause"]].extend(entry["cases"])
    return by_ref


def has_case(cases, result, **where):
    return any(
        case["result"] == result and all(case["facts"].get(k) == v for k, v in where.items())
        for case in cases
    )


def coverage_gaps(slug, requirement):
    catalog = load_catalog(slug)
    by_ref = cases_by_clause(slug)
    levels = catalog.vocabulary[CONSEQUENCE].values if CONSEQUENCE in catalog.vocabulary else ()
    gaps = []
    for clause in catalog.clauses:
        cases = [case for case in by_ref.get(clause.ref, []) if isinstance(case.get("facts"), dict)]
        if requirement in (SATISFIED, NOT_MET) and not has_case(cases, requirement):
            gaps.append(f"{clause.ref}: no {requirement} case")
        elif requirement == UNDETERMINED and not any(
            case["result"] == UNDETERMINED and "missing_facts" in case for case in cases
        ):
            gaps.append(f"{clause.ref}: no undetermined case with missing_facts")
        elif requirement == EXCLUDED and clause.excluded_if and not has_case(cases, EXCLUDED):
            gaps.append(f"{clause.ref}: has excluded_if but no excluded case")
        elif requirement == "consequence boundary" and clause.consequence_below:
            limit = clause.consequence_below
            below = levels[levels.index(limit) - 1]
            if not has_case(cases, SATISFIED, **{CONSEQUENCE: below}):
                gaps.append(f"{clause.ref}: no satisfied case with consequence {below}")
            if not has_case(cases, NOT_MET, **{CONSEQUENCE: limit}):
                gaps.append(f"{clause.ref}: no not_met case with consequence {limit}")
    return gaps


@pytest.mark.parametrize(
    "requirement", [SATISFIED, NOT_MET, UNDETERMINED, EXCLUDED, "consequence boundary"]
)
@pytest.mark.parametrize("slug", SLUGS)
def test_every_clause_has_cases(slug, requirement):
    gaps = coverage_gaps(slug, requirement)
    assert not gaps, "\n".join(gaps)
