"""The figures of the overview against the five decided cases of the
overview's conftest (`decided`), with exact numbers. Apart from
test_selectors.py, whose tests each start from bureaus without cases: these
start from the same five cases, built once for the module (their units'
names are unique, so the two sets cannot share a module)."""

import pytest

from cases.workflow import CaseState
from overview.selectors import (
    PENDING,
    cases_by_stage,
    cases_by_unit,
    clause_uses,
    officers_by_outcome,
)
from tests.conftest import built_once_per_module, for_one_test
from tests.overview.conftest import counts_by_key, make_bureaus, make_decided, scope_of

pytestmark = pytest.mark.django_db


def _decided():
    return make_decided(make_bureaus())


# Five cases taken through the workflow (some thirty seconds when each test built them).
_decided_built = built_once_per_module(_decided)


@pytest.fixture
def decided(_decided_built, settings):
    return for_one_test(_decided_built, settings)


def test_it_counts_cases_by_stage_in_workflow_order(decided):
    b = decided.bureaus
    counts = cases_by_stage(scope_of(b.city, b.district, b.other).cases())
    assert [item.key for item in counts] == list(CaseState.values)
    assert {k: n for k, n in counts_by_key(counts).items() if n} == {
        "decided": 3,
        "investigating": 1,
        "withdrawn": 1,
    }
    assert counts[0].label == "草稿"


def test_it_counts_each_officer_once_under_the_adopted_outcome(decided):
    b = decided.bureaus
    counts = counts_by_key(officers_by_outcome(scope_of(b.city, b.other).cases()))
    # T2's two officers and T1's are exempt; L mitigated; P pending; W withdrawn.
    assert counts == {
        "exempt": 3,
        "no_fault": 0,
        "mitigated": 1,
        "liable": 0,
        "transferred": 0,
        PENDING: 1,
    }


def test_it_counts_cases_by_unit_most_first(decided):
    b = decided.bureaus
    rows = cases_by_unit(scope_of(b.city, b.district, b.other).cases())
    assert [(row.name, row.count) for row in rows] == [
        ("泰安市市场监督管理局", 3),
        ("连云港市市场监督管理局", 2),
    ]


def test_it_counts_how_often_each_clause_is_relied_on(decided):
    b = decided.bureaus
    uses = clause_uses(scope_of(b.city, b.other).cases())
    assert [(u.slug, u.ref, u.claimed, u.found_satisfied, u.cited) for u in uses] == [
        ("taian-2020", "6.4", 4, 3, 3),
        ("lianyungang-2022", "9.2", 2, 1, 1),
        ("taian-2020", "6.1", 0, 0, 1),
    ]
    first = uses[0]
    assert (first.jurisdiction, first.kind) == ("泰安市", "免责情形")
    assert first.text.startswith("已按照法律、法规、规章规定")


def test_the_clause_counts_stay_within_thescope_of(decided):
    uses = clause_uses(scope_of(decided.bureaus.other).cases())
    assert [(u.ref, u.claimed, u.found_satisfied, u.cited) for u in uses] == [("9.2", 2, 1, 1)]
