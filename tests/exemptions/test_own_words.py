"""Each regulation in its own words: the legal effect of every article, the
fact labels per regulation, and the facts split so that each carries one
element (issue 20)."""

import copy
from pathlib import Path

import pytest
import yaml

from exemptions import engine
from exemptions.effects import decision_outcome_phrase, effect_wording
from exemptions.engine import CatalogError, VocabularyError, parse_catalog, parse_vocabulary
from tests.exemptions.test_engine import catalog, clause

CATALOGS = Path(__file__).resolve().parents[2] / "exemptions" / "catalogs"
SLUGS = ("taian-2020", "lianyungang-2022")


def read(name):
    return yaml.safe_load((CATALOGS / name).read_text("utf-8"))


VOCABULARY = parse_vocabulary(read("facts.yaml"))


def shipped(slug):
    return parse_catalog(read(f"{slug}.yaml"), VOCABULARY, f"{slug}.yaml")


def article_text(slug, number):
    return next(a.text for a in shipped(slug).articles if a.number == number)


# --- effects in the catalogue format -------------------------------------------------


def test_a_clause_takes_its_article_s_effect():
    data = catalog(clause("6.1", "a")).clauses[0]
    assert data.effect is None  # a version stored before effects: nothing invented

    built = _with_effect(article="may_exempt")
    assert built.clause("6.1").effect == "may_exempt"


def test_a_clause_may_override_its_article_s_effect():
    built = _with_effect(article="shall_not_pursue", clause_effect="presumed_not_pursued")
    assert built.clause("6.1").effect == "presumed_not_pursued"


@pytest.mark.parametrize(
    ("article", "clause_effect", "kind", "message"),
    [
        ("maybe", None, "exemption", "bad effect 'maybe'"),
        (None, "sometimes", "exemption", "bad effect 'sometimes'"),
        ("may_mitigate", None, "exemption", "effect 'may_mitigate' does not fit a exemption"),
        ("not_a_fault", None, "mitigation", "effect 'not_a_fault' does not fit a mitigation"),
    ],
)
def test_a_bad_effect_is_refused_with_its_place(article, clause_effect, kind, message):
    with pytest.raises(CatalogError) as error:
        _with_effect(article=article, clause_effect=clause_effect, kind=kind)
    assert message in str(error.value)
    assert error.value.source == "test-2020.yaml"


def _with_effect(*, article=None, clause_effect=None, kind="exemption"):
    base = catalog(clause("6.1", "a", kind=kind))
    from exemptions.services import catalog_canonical_data

    data = copy.deepcopy(catalog_canonical_data(base))
    if article is not None:
        data["articles"][0]["effect"] = article
    if clause_effect is not None:
        data["articles"][0]["clauses"][0]["effect"] = clause_effect
    return parse_catalog(data, base.vocabulary, "test-2020.yaml")


@pytest.mark.parametrize("slug", SLUGS)
def test_every_shipped_clause_has_an_effect_fitting_its_kind(slug):
    for item in shipped(slug).clauses:
        assert item.effect in engine.EFFECTS, item.ref
        assert (item.effect == engine.MAY_MITIGATE) == (item.kind == engine.MITIGATION), item.ref


def test_the_effects_are_the_articles_own():
    taian, lyg = shipped("taian-2020"), shipped("lianyungang-2022")
    assert "应不予追究相关责任" in article_text("taian-2020", 4)
    assert taian.clause("4:causation").effect == engine.SHALL_NOT_PURSUE
    assert taian.clause("4:level").effect == engine.PRESUMED_NOT_PURSUED
    assert "可以不予或者免予追究执法过错责任" in article_text("taian-2020", 6)
    assert taian.clause("6.9").effect == engine.MAY_EXEMPT
    assert "不认定为行政执法过错行为，不应追究行政执法责任" in article_text("lianyungang-2022", 8)
    assert lyg.clause("8.19").effect == engine.NOT_A_FAULT
    assert lyg.clause("9.1").effect == taian.clause("7.1").effect == engine.MAY_MITIGATE


def test_effects_survive_the_canonical_form_that_versions_store():
    from exemptions.services import catalog_canonical_data

    for slug in SLUGS:
        original = shipped(slug)
        again = parse_catalog(catalog_canonical_data(original), VOCABULARY, slug)
        assert [c.effect for c in again.clauses] == [c.effect for c in original.clauses]
        data = catalog_canonical_data(original)
        # Stored once per article; a clause repeats it only where it differs.
        overrides = [c["ref"] for a in data["articles"] for c in a["clauses"] if "effect" in c]
        assert overrides == (["4:level"] if slug == "taian-2020" else [])


# --- the wording of effects ----------------------------------------------------------------


@pytest.mark.parametrize("effect", engine.EFFECTS)
def test_every_effect_has_wording_in_chinese_and_english(effect):
    wording = effect_wording(effect)
    assert wording.effect == effect
    assert all([wording.statement_zh, wording.statement_en, wording.decision_zh])
    assert wording.statement("en") == wording.statement_en
    assert wording.statement("zh-hans") == wording.statement_zh
    assert wording.decision("en") == wording.decision_en


def test_no_effect_has_no_wording_and_an_unknown_one_is_an_error():
    assert effect_wording(None) is None
    assert effect_wording("") is None
    with pytest.raises(KeyError):
        effect_wording("forgiven")


def test_lianyungang_decisions_say_the_conduct_is_not_a_fault():
    phrase = decision_outcome_phrase(
        shipped("lianyungang-2022"), "exempt", "不予追究责任", ["8.16"]
    )
    assert phrase == "不认定为行政执法过错行为，不予追究行政执法责任"


def test_taian_decisions_keep_its_wording_and_the_first_fitting_citation_decides():
    taian = shipped("taian-2020")
    assert decision_outcome_phrase(taian, "exempt", "X", ["6.1"]) == "不予追究责任"
    assert decision_outcome_phrase(taian, "exempt", "X", ["7.1", "4:no-duty", "6.1"]) == (
        "不予追究相关责任"
    )
    assert decision_outcome_phrase(taian, "mitigated", "X", ["7.2"]) == (
        "从轻或者减轻追究执法过错责任"
    )


@pytest.mark.parametrize(
    ("outcome", "refs"),
    [("liable", ["8.16"]), ("exempt", []), ("exempt", ["8.99"]), ("mitigated", ["8.16"])],
)
def test_other_outcomes_and_citations_keep_the_outcome_label(outcome, refs):
    assert decision_outcome_phrase(shipped("lianyungang-2022"), outcome, "标签", refs) == "标签"


def test_a_version_stored_before_effects_keeps_the_outcome_label():
    old = catalog(clause("6.1", "a"))
    assert decision_outcome_phrase(old, "exempt", "标签", ["6.1"]) == "标签"


# --- labels per regulation -------------------------------------------------------------------


def test_a_fact_gives_the_regulation_s_words_and_falls_back_to_the_neutral_label():
    fact = VOCABULARY["self_corrected"]
    assert fact.label_for("lianyungang-2022") == "及时主动自行纠正或者经批评教育后及时改正"
    assert fact.label_for("taian-2020") == "及时自行纠正或经批评教育后改正"
    assert fact.label_for("elsewhere-2030") == fact.label_zh
    assert fact.label_for(None) == fact.label_zh


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"labels": ["x"]}, "labels must map regulation slugs to labels"),
        ({"labels": {"Tai An": "x"}}, "bad regulation slug 'Tai An'"),
        ({"labels": {"taian-2020": " "}}, "the label for 'taian-2020' must be a non-empty"),
        ({"replaced_by": "b"}, "replaced_by must be a list of fact keys"),
        ({"replaced_by": ["nowhere"]}, "replaced_by names unknown 'nowhere'"),
    ],
)
def test_bad_labels_or_successors_are_refused(spec, message):
    data = {
        "a": {"type": "bool", "label_zh": "甲", "description": "a", **spec},
        "b": {"type": "bool", "label_zh": "乙", "description": "b"},
    }
    with pytest.raises(VocabularyError, match=message):
        parse_vocabulary(data)


def test_labels_name_only_regulations_that_exist():
    slugs = {path.stem for path in CATALOGS.glob("*.yaml")} - {"facts"}
    for fact in VOCABULARY.facts:
        assert set(fact.labels) <= slugs, fact.key


@pytest.mark.parametrize("slug", SLUGS)
def test_no_current_clause_reads_a_retired_fact(slug):
    retired = {fact.key for fact in VOCABULARY.facts if fact.replaced_by}
    assert retired == {"clue_transferred_or_reported"}
    for item in shipped(slug).clauses:
        assert not retired & set(item.facts()), item.ref


@pytest.mark.parametrize(
    ("slug", "ref", "key", "words"),
    [
        # 6.5: 审慎监管 and 及时 are the item's; 8.13 has neither.
        ("taian-2020", "6.5", "objective_limitations", ["审慎监管", "未能及时发现"]),
        ("lianyungang-2022", "8.13", "objective_limitations", ["科学技术", "未能发现存在问题"]),
        # 8.27: 及时 and 主动 are elements, not bracketed options.
        ("lianyungang-2022", "8.27", "self_corrected", ["及时主动自行纠正", "后及时改正"]),
        ("taian-2020", "6.1", "false_materials_provided", ["提供、出具虚假证据、材料"]),
        ("taian-2020", "6.10", "non_statutory_assigned_task", ["政府交办"]),
        ("taian-2020", "6.12", "new_evidence_changed_facts", ["原认定事实和案件性质"]),
        ("lianyungang-2022", "8.1", "tolerance_acceptance", ["容缺受理、容缺办理"]),
        ("lianyungang-2022", "8.12", "inspection_plan_followed", ["“双随机、一公开”监管"]),
        ("lianyungang-2022", "8.5", "pilot_shortfall_from_inexperience", ["因经验不足"]),
        ("lianyungang-2022", "8.10", "report_received_before_harm", ["造成不良影响前"]),
        ("taian-2020", "6.9", "violation_reported", ["向本级人民政府报告"]),
        ("lianyungang-2022", "8.18", "own_duties_performed", ["已经依法履行本部门职责"]),
    ],
)
def test_a_clause_s_facts_read_in_its_own_regulation_s_words(slug, ref, key, words):
    assert key in shipped(slug).clause(ref).facts()
    label = VOCABULARY[key].label_for(slug)
    for word in words:
        assert word in label
        assert word in shipped(slug).clause(ref).text


@pytest.mark.parametrize(
    ("slug", "key", "foreign"),
    [
        ("taian-2020", "false_materials_provided", "隐瞒有关情况"),
        ("taian-2020", "non_statutory_assigned_task", "上级"),
        ("taian-2020", "harm_occurred", "不良影响"),
        ("lianyungang-2022", "tolerance_acceptance", "提高效率"),
        ("lianyungang-2022", "inspection_plan_followed", "飞行检查"),
        ("taian-2020", "violation_reported", "依法报告"),
        ("lianyungang-2022", "self_corrected", "（"),
    ],
)
def test_a_label_carries_no_words_of_the_other_regulation(slug, key, foreign):
    assert foreign not in VOCABULARY[key].label_for(slug)
