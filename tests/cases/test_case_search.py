"""The case list's full-text search: the narrative, the allegation, the
facts' notes and the investigation report's texts, within the cases the
user may read; on PostgreSQL through the trigram indexes."""

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import Case, FactRecord
from cases.search import case_search_condition
from investigation.models import InvestigationReport
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

LIST = reverse("cases:list")


@pytest.fixture
def as_inspector(client, inspector):
    client.force_login(inspector)
    return client


def numbers(response) -> list[str]:
    return [case.number for case in response.context["page"].object_list]


def test_it_finds_a_word_of_the_narrative(as_inspector, inspector, unit):
    wanted = CaseFactory(
        unit=unit, created_by=inspector, incident_summary="当事人伪造检验报告，执法人员未发现。"
    )
    CaseFactory(unit=unit, created_by=inspector, incident_summary="群众举报无证经营。")
    assert numbers(as_inspector.get(LIST, {"q": "伪造"})) == [wanted.number]


def test_it_finds_a_word_of_the_allegation(as_inspector, inspector, unit):
    wanted = CaseFactory(unit=unit, created_by=inspector, allegation="执法人员涉嫌滥用职权。")
    CaseFactory(unit=unit, created_by=inspector)
    assert numbers(as_inspector.get(LIST, {"q": "滥用职权"})) == [wanted.number]


def test_it_finds_a_fact_note(as_inspector, inspector, unit):
    wanted = CaseFactory(unit=unit, created_by=inspector)
    CaseFactory(unit=unit, created_by=inspector)
    FactRecord.objects.create(
        case=wanted,
        stage="intake",
        fact_key="fault_established",
        value=False,
        note="现场照片显示封条完好",
        recorded_by=inspector,
    )
    assert numbers(as_inspector.get(LIST, {"q": "封条"})) == [wanted.number]


def test_it_finds_the_report_text(as_inspector, inspector, unit):
    by_findings, by_conclusion = (
        CaseFactory(unit=unit, created_by=inspector),
        CaseFactory(unit=unit, created_by=inspector),
    )
    CaseFactory(unit=unit, created_by=inspector)
    InvestigationReport.objects.create(
        case=by_findings,
        findings_summary="抽检样品系冒用他人厂名",
        conclusion="-",
        updated_by=inspector,
    )
    InvestigationReport.objects.create(
        case=by_conclusion,
        findings_summary="-",
        conclusion="建议冒用者另案处理",
        updated_by=inspector,
    )
    assert sorted(numbers(as_inspector.get(LIST, {"q": "冒用"}))) == sorted(
        [by_findings.number, by_conclusion.number]
    )


def test_latin_words_match_in_any_case(as_inspector, inspector, unit):
    wanted = CaseFactory(
        unit=unit, created_by=inspector, incident_summary="涉事网店 ShopMart 销售假冒商品"
    )
    assert numbers(as_inspector.get(LIST, {"q": "shopmart"})) == [wanted.number]


def test_the_search_keeps_to_the_cases_the_user_reads(as_inspector, inspector, unit, other_unit):
    own = CaseFactory(unit=unit, created_by=inspector, incident_summary="伪造合格证明")
    CaseFactory(unit=other_unit, incident_summary="伪造合格证明")
    assert numbers(as_inspector.get(LIST, {"q": "伪造"})) == [own.number]


def test_the_search_combines_with_the_other_filters(as_inspector, inspector, unit):
    CaseFactory(unit=unit, created_by=inspector, incident_summary="伪造标签", field="food")
    drug = CaseFactory(unit=unit, created_by=inspector, incident_summary="伪造标签", field="drugs")
    assert numbers(as_inspector.get(LIST, {"q": "伪造", "field": "drugs"})) == [drug.number]


def test_a_search_longer_than_allowed_is_refused_and_lists_all(as_inspector, inspector, unit):
    case = CaseFactory(unit=unit, created_by=inspector, incident_summary="伪造标签")
    response = as_inspector.get(LIST, {"q": "伪" * 61})
    assert numbers(response) == [case.number]
    assert response.context["invalid_filters"] == ["搜索"]


def test_a_case_found_two_ways_is_listed_once(as_inspector, inspector, unit):
    case = CaseFactory(unit=unit, created_by=inspector, incident_summary="伪造", allegation="伪造")
    assert Case.objects.filter(case_search_condition("伪造")).count() == 1
    assert numbers(as_inspector.get(LIST, {"q": "伪造"})) == [case.number]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL")
def test_the_trigram_indexes_exist_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"])
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        "case_summary_trgm",
        "case_allegation_trgm",
        "fact_note_trgm",
        "report_findings_trgm",
        "report_conclusion_trgm",
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL")
def test_a_narrative_search_reads_the_trigram_index_on_postgresql():
    with connection.cursor() as cursor:
        # The test table is tiny: without these the planner rightly prefers
        # a scan; the list's default order is dropped for the same reason.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = Case.objects.filter(incident_summary__icontains="伪造检验").order_by().explain()
    assert "case_summary_trgm" in plan


def test_a_short_search_ignores_case_too(as_inspector, inspector, unit):
    wanted = CaseFactory(
        unit=unit, created_by=inspector, incident_summary="涉事网店 ShopMart 销售假冒商品"
    )
    CaseFactory(unit=unit, created_by=inspector)
    assert numbers(as_inspector.get(LIST, {"q": "sH"})) == [wanted.number]


def test_a_single_character_finds_the_narrative(as_inspector, inspector, unit):
    wanted = CaseFactory(unit=unit, created_by=inspector, incident_summary="当事人伪造检验报告")
    CaseFactory(unit=unit, created_by=inspector, incident_summary="群众举报无证经营。")
    assert numbers(as_inspector.get(LIST, {"q": "伪"})) == [wanted.number]
