"""The lianyungang-2022 catalogue against the source text of 连市监〔2022〕257号.

Every article is compared with the source after the extraction noise is
cleaned here: „‟ read as 〔〕, page numbers dropped, lines broken by the page
layout joined into paragraphs, stray spaces removed. No database is needed.
"""

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO.parent / "shared" / "regulations" / "003_9ccdf91b98a2fcca.txt"
CATALOGUE = REPO / "exemptions" / "catalogs" / "lianyungang-2022.yaml"

DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
CN_NUMBER = "[一二三四五六七八九十]+"
ARTICLE_HEADING = re.compile(rf"第({CN_NUMBER})条\s+")
ITEM_NUMBER = re.compile(rf"（{CN_NUMBER}）")
PAGE_NUMBER = re.compile(r"-\s*\d+\s*-")
# A line ending with one of these closes its paragraph (a sentence, an item,
# or the lead-in to a list of items); any other line was cut by the layout.
PARAGRAPH_END = "。；：:"

EXPECTED_REFS = {f"8.{i}": "exemption" for i in range(1, 29)} | {
    f"9.{i}": "mitigation" for i in range(1, 4)
}


def cn_to_int(text: str) -> int:
    """Chinese numerals up to 99: 八 → 8, 十一 → 11, 二十八 → 28."""
    if "十" not in text:
        return DIGITS[text]
    tens, _, units = text.partition("十")
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[units] if units else 0)


def int_to_cn(number: int) -> str:
    """The inverse of cn_to_int: 28 → 二十八."""
    names = " 一二三四五六七八九"
    tens, units = divmod(number, 10)
    if not tens:
        return names[units]
    return ("" if tens == 1 else names[tens]) + "十" + names[units].strip()


def source_articles(raw: str) -> dict[int, str]:
    """Article number → cleaned text (paragraphs joined by newlines, no heading)."""
    raw = raw.replace("„", "〔").replace("‟", "〕")
    lines = [line.strip() for line in raw.splitlines()]
    lines = [line for line in lines if line and not PAGE_NUMBER.fullmatch(line)]
    start = next(i for i, line in enumerate(lines) if line.startswith("第一条"))
    articles: dict[int, list[str]] = {}
    paragraphs: list[str] = []
    for line in lines[start:]:
        heading = ARTICLE_HEADING.match(line)
        if heading:
            number = cn_to_int(heading.group(1))
            paragraphs = [re.sub(r"\s+", "", line[heading.end() :])]
            articles[number] = paragraphs
            if line.startswith("第二十二条"):
                break
            continue
        line = re.sub(r"\s+", "", line)
        if ITEM_NUMBER.match(line) or paragraphs[-1][-1] in PARAGRAPH_END:
            paragraphs.append(line)
        else:
            paragraphs[-1] += line
    return {number: "\n".join(paras) for number, paras in articles.items()}


@pytest.fixture(scope="module")
def source() -> dict[int, str]:
    if not SOURCE.exists():
        pytest.skip(f"source text not available: {SOURCE}")
    return source_articles(SOURCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalogue() -> dict:
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def articles(catalogue) -> dict[int, dict]:
    return {article["number"]: article for article in catalogue["articles"]}


@pytest.fixture(scope="module")
def clauses(catalogue) -> list[tuple[dict, dict]]:
    return [
        (article, clause)
        for article in catalogue["articles"]
        for clause in article.get("clauses", [])
    ]


def test_the_source_has_twenty_two_articles(source):
    assert sorted(source) == list(range(1, 23))


def test_the_catalogue_has_exactly_twenty_two_articles_in_order(catalogue):
    assert [article["number"] for article in catalogue["articles"]] == list(range(1, 23))


@pytest.mark.parametrize("number", range(1, 23))
def test_article_text_equals_the_cleaned_source(number, source, articles):
    assert articles[number]["text"] == source[number]


def test_no_extraction_noise_is_left_in_the_catalogue(articles):
    for article in articles.values():
        text = article["text"]
        assert not set(text) & {"„", "‟", " ", "\u3000", "\t"}, article["number"]
        assert not PAGE_NUMBER.search(text), article["number"]
        assert not text.startswith("第"), article["number"]


def test_items_are_paragraphs_of_their_own(articles):
    for number in (8, 9):
        for paragraph in articles[number]["text"].split("\n")[1:]:
            assert ITEM_NUMBER.match(paragraph), paragraph
    assert len(articles[8]["text"].split("\n")) == 1 + 28
    assert len(articles[9]["text"].split("\n")) == 1 + 3


def test_the_expected_clause_refs_and_kinds_are_present(clauses):
    found = {clause["ref"]: clause["kind"] for _, clause in clauses}
    assert len(found) == len(clauses)
    assert found == EXPECTED_REFS


def test_every_clause_belongs_to_the_article_its_ref_names(clauses):
    for article, clause in clauses:
        assert clause["ref"].split(".")[0] == str(article["number"])


def test_every_clause_text_is_a_substring_of_its_article(clauses):
    for article, clause in clauses:
        assert clause["text"] in article["text"], clause["ref"]


def test_every_clause_text_is_its_whole_numbered_item(clauses):
    for article, clause in clauses:
        item = int(clause["ref"].split(".")[1])
        numbered = f"（{int_to_cn(item)}）{clause['text']}"
        paragraphs = article["text"].split("\n")
        assert numbered + "；" in paragraphs or numbered + "。" in paragraphs, clause["ref"]


def test_chinese_numerals_round_trip():
    assert [int_to_cn(n) for n in (1, 10, 11, 20, 28)] == ["一", "十", "十一", "二十", "二十八"]
    assert all(cn_to_int(int_to_cn(n)) == n for n in range(1, 30))


def test_metadata(catalogue):
    assert catalogue["slug"] == "lianyungang-2022"
    assert catalogue["title"] == "连云港市市场监督管理行政执法人员履职尽责免责办法（试行）"
    assert catalogue["issuing_body"] == "连云港市市场监督管理局"
    assert catalogue["document_number"] == "连市监〔2022〕257号"
    assert str(catalogue["issued_on"]) == "2022-10-11"
    assert str(catalogue["effective_on"]) == "2022-10-11"
    assert catalogue["jurisdiction"] == {
        "code": "lianyungang",
        "name": "连云港市",
        "province": "江苏省",
    }


def test_the_document_number_and_title_appear_in_the_source():
    if not SOURCE.exists():
        pytest.skip(f"source text not available: {SOURCE}")
    raw = SOURCE.read_text(encoding="utf-8").replace("„", "〔").replace("‟", "〕")
    flat = re.sub(r"\s+", "", raw)
    assert "连市监〔2022〕257号" in flat
    assert "连云港市市场监督管理行政执法人员履职尽责免责办法（试行）" in flat
    assert "2022年10月11日" in flat


def test_procedure_rules(catalogue):
    procedure = catalogue["procedure"]
    assert {key: rule["value"] for key, rule in procedure.items()} == {
        "expert_panel_required_when_disputed": False,
        "no_liability_filing_required": False,
        "no_liability_publication_required": False,
        "close_requires_filing_and_publication": False,
        "fault_requires_intent_or_gross_negligence": True,
        "fault_requires_consequence": True,
        "intervention_opinion": "optional",
        "transfer_to_discipline_organs": True,
        "no_second_sanction_after_discipline_organs": True,
        "measures": [
            "talk_reminder",
            "criticism_education",
            "ordered_self_examination",
            "admonishment",
            "removal_from_enforcement_post",
            "revocation_of_enforcement_qualification",
        ],
    }
    assert procedure["fault_requires_intent_or_gross_negligence"]["article"] == 7
    assert procedure["fault_requires_consequence"]["article"] == 7
    assert procedure["intervention_opinion"]["article"] == 14
    assert procedure["transfer_to_discipline_organs"]["article"] == 13
    assert procedure["no_second_sanction_after_discipline_organs"]["article"] == 13
    assert procedure["measures"]["article"] == 12
