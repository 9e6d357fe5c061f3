"""The one citation helper: where a clause is, and its article's lead-in
taken from the catalogue text, which carries the legal effect."""

import pytest

from documents.prose import fact_sentence, facts_paragraph
from exemptions.citations import article_lead_in, clause_citation, clause_where
from exemptions.selectors import catalog_for_engine

pytestmark = pytest.mark.django_db


def test_it_names_article_and_item():
    assert clause_where("6.12") == "第六条第（十二）项"
    assert clause_where("4:no-duty") == "第四条"


def test_the_taian_lead_in_carries_the_exemption():
    catalog = catalog_for_engine("taian-2020")
    citation = clause_citation("6.4", catalog, "泰安办法")
    assert citation.lead_in == (
        "行政执法人员在履行法定职责过程中，有下列情形之一的，可以不予或者免予追究执法过错责任"
    )
    assert citation.quotation.startswith("“" + citation.lead_in + "：（四）")
    assert citation.quotation.endswith("。”") and "；。" not in citation.quotation
    assert citation.sentence.startswith("依据《泰安办法》第六条第（四）项：“")


def test_the_lianyungang_lead_in_is_read_from_its_own_text():
    catalog = catalog_for_engine("lianyungang-2022")
    assert clause_citation("8.1", catalog, "连云港办法").lead_in == (
        "行政执法人员在行政执法活动中的下列情形，不认定为行政执法过错行为，不应追究行政执法责任"
    )
    assert clause_citation("9.2", catalog, "连云港办法").lead_in.endswith(
        "可以从轻或者减轻追究其执法过错责任"
    )


def test_an_article_without_items_has_no_lead_in():
    assert article_lead_in("本办法自印发之日起施行。") == ""
    assert article_lead_in("第一段。\n有下列情形之一的：\n（一）甲；\n（二）乙。") == (
        "有下列情形之一的"
    )


def test_facts_read_as_sentences_closed_once():
    assert fact_sentence("fault_established", False) == "当事执法人员不存在行政执法过错行为"
    assert fact_sentence("consequence", "minor") == "事件情节轻微、影响较小"
    assert fact_sentence("unknown_fact", True, "某事实。") == "某事实"
    paragraph = facts_paragraph(["甲。", "乙；", "", "丙"])
    assert paragraph == "经查，甲；乙；丙。"
