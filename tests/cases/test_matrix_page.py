"""The readable clause matrix: citations and the clauses' words instead of
codes, one folding block per officer, the missing facts once per clause, the
full matrix per stage reachable from the case page, and the sidebar's
"still to establish" taken from the same selector as the matrix."""

import re

import pytest
from django.urls import reverse

from cases.assessment import engine_catalog
from cases.selectors import case_detail
from cases.selectors_matrix import establishing_stage, matrix_blocks
from cases.workflow import CaseState, Stage
from tests import flows
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(unit):
    return flows.taian_case_at(CaseState.INVESTIGATING, unit=unit)


@pytest.fixture
def reader(client, flow):
    client.force_login(flow.staff.investigator)
    return client


def found_testids(html: str, prefix: str) -> list[str]:
    return re.findall(rf'data-testid="({re.escape(prefix)}[^"]*)"', html)


def test_the_case_page_cites_clauses_as_the_regulation_numbers_them(reader, flow):
    html = reader.get(reverse("cases:detail", args=[flow.case.pk])).content.decode()
    assert "第六条第（四）项" in html
    assert ">6.4<" not in html


def test_each_officer_has_one_folding_block_the_first_open(reader, flow):
    html = reader.get(reverse("cases:matrix", args=[flow.case.pk])).content.decode()
    blocks = re.findall(r'<details class="card mb-3 matrix-block"[^>]*>', html)
    assert len(blocks) == len(flow.subject_officers)
    assert blocks[0].endswith(" open>")
    assert all(not block.endswith(" open>") for block in blocks[1:])


def test_the_full_matrix_lists_every_clause_with_its_words(reader, flow):
    catalog = engine_catalog(flow.case.regulation)
    officer = flow.subject_officers[0]
    html = reader.get(reverse("cases:matrix", args=[flow.case.pk])).content.decode()
    rows = found_testids(html, f"matrix-row-{officer.pk}-")
    assert rows == [f"matrix-row-{officer.pk}-{clause.ref}" for clause in catalog.clauses]
    clause = catalog.by_ref["6.4"]
    assert clause.text in html


def test_the_missing_facts_are_stated_once_per_clause(flow):
    [block, *_] = matrix_blocks(case_detail(flow.case.pk))
    for line in block.lines:
        assert len(line.missing) == len(set(line.missing))
        unknown_somewhere = {key for cell in line.row.cells.values() for key in cell.missing_facts}
        assert set(line.missing) == unknown_somewhere


def test_a_clause_row_says_what_is_missing_once(reader, flow):
    html = reader.get(reverse("cases:matrix", args=[flow.case.pk])).content.decode()
    for row in re.findall(r'<tr[^>]*data-testid="matrix-row-.*?</tr>', html, re.S):
        assert row.count('data-testid="clause-missing"') <= 1
        assert row.count("待查明：") <= 1


def test_the_stage_view_shows_one_stage(reader, flow):
    html = reader.get(
        reverse("cases:matrix_stage", args=[flow.case.pk, "investigation"])
    ).content.decode()
    officer = flow.subject_officers[0]
    assert found_testids(html, f"outcome-{officer.pk}-") == [f"outcome-{officer.pk}-investigation"]


def test_the_case_page_links_to_the_full_matrix_of_each_stage(reader, flow):
    html = reader.get(reverse("cases:detail", args=[flow.case.pk])).content.decode()
    assert reverse("cases:matrix", args=[flow.case.pk]) in html
    for stage in ("intake", "investigation", "deliberation"):
        assert reverse("cases:matrix_stage", args=[flow.case.pk, stage]) in html


def test_the_sidebar_and_the_matrix_agree_on_what_is_still_to_establish(reader, flow):
    flows.record_facts(flow, Stage.INVESTIGATION, {}, flow.staff.investigator)
    response = reader.get(reverse("cases:detail", args=[flow.case.pk]))
    html = response.content.decode()
    for block in response.context["blocks"]:
        pk = block.subject_officer.pk
        sidebar = re.search(rf'data-testid="still-to-establish-{pk}">(.*?)</ul>', html, re.S)
        matrix = re.search(rf'data-testid="matrix-still-to-establish-{pk}">(.*?)</div>', html, re.S)
        facts = response.context["facts"]
        labels = [facts[key].label for key in block.still_to_establish]
        assert labels, "the scenario leaves facts to establish"
        for label in labels:
            assert label in sidebar.group(1)
            assert label in matrix.group(1)
    assert establishing_stage(flow.reload()) == Stage.INVESTIGATION


def test_an_unknown_stage_is_not_found(reader, flow):
    url = reverse("cases:matrix_stage", args=[flow.case.pk, "expert_review"])
    assert reader.get(url).status_code == 404


def test_a_user_of_another_unit_does_not_see_the_matrix(client, flow):
    client.force_login(UserFactory(units=[UnitFactory()], roles=["investigator"]))
    assert client.get(reverse("cases:matrix", args=[flow.case.pk])).status_code == 404


@pytest.mark.parametrize(
    "url_name", ["cases:detail", "cases:matrix", "deliberation:deliberation"], ids=str
)
def test_the_pages_people_print_have_a_print_button(reader, flow, url_name):
    html = reader.get(reverse(url_name, args=[flow.case.pk])).content.decode()
    assert re.search(r'<button type="button"[^>]*data-action="print"', html)
    assert "css/print.css" in html


def test_the_catalogue_shows_fact_labels_not_keys(client, flow):
    client.force_login(flow.staff.investigator)
    html = client.get(reverse("exemptions:clause", args=["taian-2020", "6.4"])).content.decode()
    assert not re.search(r"<code[^>]*>[a-z_]+_[a-z_]+</code>", html)
    assert "inspection_plan_followed<" not in html
    assert 'data-fact="inspection_plan_followed"' in html
