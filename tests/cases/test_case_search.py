"""The case list's full-text search: the narrative, the allegation, the
facts' notes and the investigation report's texts, within the cases the
user may read; on PostgreSQL through the trigram indexes."""

import pytest
from django.db import connection
from django.urls import reverse

from cases import search
from cases.models import Case, FactRecord
from cases.search import case_search_condition, matching_case_ids
from investigation.models import InvestigationReport
from tests.factories import CaseFactory, SubjectOfficerFactory

pytestmark = pytest.mark.django_db

LIST = reverse("cases:list")


@pytest.fixture(autouse=True, params=["few found", "many found"])
def found(request, monkeypatch):
    """Every test runs both ways a search is put to the list: the ids found
    (the usual search) and, as for a common word found in more cases than
    search.FEW_CASES, the conditions tested on the rows."""
    if request.param == "many found":
        monkeypatch.setattr(search, "FEW_CASES", 0)
    return request.param


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
        "case_number_trgm",
        "fact_note_trgm",
        "report_findings_trgm",
        "report_conclusion_trgm",
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="short-gram indexes: PostgreSQL")
def test_the_short_gram_indexes_exist_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_grams"])
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        "case_summary_grams",
        "case_allegation_grams",
        "case_number_grams",
        "fact_note_grams",
        "report_findings_grams",
        "report_conclusion_grams",
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="short-gram indexes: PostgreSQL")
def test_the_short_grams_are_every_substring_of_one_and_two_characters():
    with connection.cursor() as cursor:
        cursor.execute("SELECT cases_short_grams(%s), cases_short_grams(%s)", ["伪造A", ""])
        grams, empty = cursor.fetchone()
    assert sorted(grams) == sorted(["伪", "造", "A", "伪造", "造A"])
    assert empty == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL")
def test_a_narrative_search_reads_the_trigram_index_on_postgresql():
    with connection.cursor() as cursor:
        # The test table is tiny: without these the planner rightly prefers
        # a scan; the list's default order is dropped for the same reason.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = Case.objects.filter(incident_summary__icontains="伪造检验").order_by().explain()
    assert "case_summary_trgm" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="short-gram indexes: PostgreSQL")
@pytest.mark.parametrize(
    ("text", "indexes"),
    [
        ("伪造", {"case_summary_grams", "case_number_grams", "fact_note_grams"}),
        ("伪造检验", {"case_summary_trgm", "case_number_trgm", "fact_note_trgm"}),
    ],
)
def test_the_search_reads_an_index_for_every_text_on_postgresql(text, indexes):
    with connection.cursor() as cursor:
        # The test tables are tiny: without this the planner rightly scans.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = matching_case_ids(text).explain()
    assert {name for name in indexes if name not in plan} == set()


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


def test_two_characters_find_the_allegation_the_notes_and_the_report(inspector, unit):
    by_allegation = CaseFactory(unit=unit, created_by=inspector, allegation="涉嫌渎职")
    by_note, by_report = CaseFactory(unit=unit), CaseFactory(unit=unit)
    CaseFactory(unit=unit, allegation="未履行职责")
    FactRecord.objects.create(
        case=by_note,
        stage="intake",
        fact_key="fault_established",
        value=False,
        note="当事人渎职",
        recorded_by=inspector,
    )
    InvestigationReport.objects.create(
        case=by_report, findings_summary="-", conclusion="构成渎职", updated_by=inspector
    )
    found = set(Case.objects.filter(case_search_condition("渎职")).values_list("pk", flat=True))
    assert found == {by_allegation.pk, by_note.pk, by_report.pk}


def test_part_of_a_number_finds_the_case(as_inspector, inspector, unit):
    wanted = CaseFactory(unit=unit, created_by=inspector)
    CaseFactory(unit=unit, created_by=inspector)
    sequence = wanted.number.rsplit("〕", 1)[1]  # "7号"
    assert wanted.number in numbers(as_inspector.get(LIST, {"q": f"〕{sequence}"}))
    assert numbers(as_inspector.get(LIST, {"q": wanted.number})) == [wanted.number]


def test_an_officer_name_of_one_character_finds_the_case(inspector, unit):
    wanted = SubjectOfficerFactory(case__unit=unit, officer__name="欧阳明").case
    SubjectOfficerFactory(case__unit=unit, officer__name="王强")
    found = list(Case.objects.filter(case_search_condition("欧")).values_list("pk", flat=True))
    assert found == [wanted.pk]


@pytest.mark.parametrize("text", ["%", "_", "5%", "a_"])
def test_like_wildcards_are_searched_as_characters(inspector, unit, text):
    wanted = CaseFactory(unit=unit, created_by=inspector, incident_summary=f"比例 {text} 以上")
    CaseFactory(unit=unit, created_by=inspector, incident_summary="比例 50 以上 ab")
    found = list(Case.objects.filter(case_search_condition(text)).values_list("pk", flat=True))
    assert found == [wanted.pk]


def test_the_setting_that_steers_the_lookup_does_not_outlive_it(inspector, unit):
    CaseFactory(unit=unit, created_by=inspector, incident_summary="伪造")
    list(Case.objects.filter(case_search_condition("伪造")))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"
