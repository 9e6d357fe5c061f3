"""The publication scope is decided with the determination, so the filing
package states the scope the decision is then published in."""

import pytest
from django.core.exceptions import ValidationError

from cases.workflow import CaseState
from deliberation import errors as deliberation_errors
from tests.flows import (
    convene,
    deliberation_facts,
    lianyungang_case_at,
    nothing_changes,
    propose,
    taian_case_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting_open():
    flow = taian_case_at(CaseState.DELIBERATION)
    deliberation_facts(flow)
    convene(flow)
    return flow


def test_it_records_the_scope_chosen(meeting_open):
    determination = propose(meeting_open, publication_scope="system")
    assert determination.publication_scope == "system"


def test_a_no_liability_decision_is_published_in_the_unit_by_default(meeting_open):
    assert propose(meeting_open).publication_scope == "unit"


def test_an_unknown_scope_is_refused_and_nothing_changes(meeting_open):
    with nothing_changes(meeting_open.case), pytest.raises(ValidationError) as refused:
        propose(meeting_open, publication_scope="world")
    assert refused.value.message_dict["publication_scope"] == [
        str(deliberation_errors.SCOPE_INVALID)
    ]
    assert not meeting_open.case.determinations.exists()


def test_a_mitigated_decision_has_no_publication_scope():
    flow = lianyungang_case_at(CaseState.DELIBERATION)
    deliberation_facts(flow)
    convene(flow)
    assert propose(flow, publication_scope="public").publication_scope == ""
