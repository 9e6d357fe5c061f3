"""The English interface: facts carry an English label, clauses are cited
Art. 6(1), and none of it holds Chinese characters or full-width punctuation."""

import re

import pytest
from django.utils import translation

from exemptions import engine
from exemptions.citations import (
    article_where_for_reader,
    clause_where,
    clause_where_en,
    clause_where_for_reader,
)
from exemptions.selectors import facts_by_key
from exemptions.services import CATALOG_DIR, FACTS_FILE, vocabulary_read_file
from overview.figures import clause_label
from overview.selectors import ClauseUse

NOT_ENGLISH = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_every_fact_of_the_vocabulary_has_an_english_label():
    vocabulary = vocabulary_read_file(path=CATALOG_DIR / FACTS_FILE)
    missing = [fact.key for fact in vocabulary.facts if not fact.label_en]
    assert missing == []
    chinese = {f.key: f.label_en for f in vocabulary.facts if NOT_ENGLISH.search(f.label_en)}
    assert chinese == {}


def test_an_english_label_must_be_text():
    with pytest.raises(engine.VocabularyError, match="label_en must be a string"):
        engine.parse_vocabulary(
            {"x": {"type": "bool", "label_zh": "某", "description": "d", "label_en": ["no"]}}
        )


@pytest.mark.django_db
def test_the_page_label_follows_the_reader_and_the_regulations_words_stay_in_label(catalogs):
    fact = facts_by_key(regulation="taian-2020")["formal_review_only"]
    with translation.override("en"):
        assert fact.display_label == fact.label_en
        assert fact.display_label.startswith("Law requires only a formal")
    with translation.override("zh-hans"):
        assert fact.display_label == fact.label
    assert fact.label.startswith("对监管对象登记")  # Tai'an's own words, for the record


@pytest.mark.parametrize(
    ("ref", "english", "chinese"),
    [
        ("6.1", "Art. 6(1)", "第六条第（一）项"),
        ("8.28", "Art. 8(28)", "第八条第（二十八）项"),
        ("4:no-duty", "Art. 4", "第四条"),
    ],
)
def test_the_citation_helper_cites_in_each_language(ref, english, chinese):
    assert clause_where_en(ref) == english
    assert clause_where(ref) == chinese
    with translation.override("en"):
        assert clause_where_for_reader(ref) == english
    with translation.override("zh-hans"):
        assert clause_where_for_reader(ref) == chinese


def test_article_headings_in_english():
    with translation.override("en"):
        assert article_where_for_reader(6) == "Art. 6"
    with translation.override("zh-hans"):
        assert article_where_for_reader(6) == "第六条"


def test_the_overviews_clause_labels_do_not_mix_languages():
    def use(ref):
        return ClauseUse("taian-2020", "泰安市", ref, "", "", 0, 0, 0)

    with translation.override("en"):
        assert clause_label(use("6.12")) == "Tai'an Art. 6(12)"
        assert clause_label(use("4:level")) == "Tai'an Art. 4 (4:level)"
    with translation.override("zh-hans"):
        assert clause_label(use("6.12")) == "泰安市 第六条第（十二）项"
