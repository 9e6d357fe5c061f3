"""The taian-2020 catalogue against the published text of the regulation.

The source is the plain-text extraction in /work/shared/regulations (beside the
repository). Page breaks in it cut sentences across blank lines; the test
rejoins them the same way the catalogue does and then compares exactly.
No database is needed.
"""

import datetime
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO.parent / "shared" / "regulations" / "000_5bad2d6e6dad1b51.txt"
CATALOGUE = REPO / "exemptions" / "catalogs" / "taian-2020.yaml"

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

ARTICLE_HEADING = re.compile(r"^第([一二三四五六七八九十]+)条\s*")
ITEM_MARKER = re.compile(r"^（[一二三四五六七八九十]+）")
# A paragraph of the regulation ends with one of these; a line ending
# otherwise was cut by a page break and continues on the next line.
PARAGRAPH_END = ("。", "；", "：")

EXPECTED_KINDS = {
    "4:no-duty": "principle",
    "4:level": "principle",
    "4:causation": "principle",
    **{f"6.{i}": "exemption" for i in range(1, 17)},
    **{f"7.{i}": "mitigation" for i in range(1, 4)},
}


def cn_number(text: str) -> int:
    """Chinese numerals up to 99: 一 … 十 … 十五 … 二十三."""
    if text == "十":
        return 10
    if "十" in text:
        tens, _, units = text.partition("十")
        return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)
    return CN_DIGITS[text]


def cn_numeral(number: int) -> str:
    digits = {v: k for k, v in CN_DIGITS.items()}
    if number < 10:
        return digits[number]
    tens, units = divmod(number, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[units] if units else "")


def source_lines() -> list[str]:
    if not SOURCE.exists():
        pytest.skip(f"regulation source not available: {SOURCE}")
    lines = [re.sub(r"\s+", " ", line).strip() for line in SOURCE.read_text("utf-8").splitlines()]
    return [line for line in lines if line]


def source_paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs from the first article on, with page-break cuts rejoined."""
    start = next(i for i, line in enumerate(lines) if ARTICLE_HEADING.match(line))
    paragraphs: list[str] = []
    for line in lines[start:]:
        continues = (
            paragraphs
            and not paragraphs[-1].endswith(PARAGRAPH_END)
            and not ARTICLE_HEADING.match(line)
            and not ITEM_MARKER.match(line)
        )
        if continues:
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return paragraphs


def source_articles() -> dict[int, str]:
    articles: dict[int, list[str]] = {}
    current = None
    for paragraph in source_paragraphs(source_lines()):
        heading = ARTICLE_HEADING.match(paragraph)
        if heading:
            current = cn_number(heading.group(1))
            assert current not in articles, f"article {current} appears twice in the source"
            articles[current] = [paragraph[heading.end() :]]
        else:
            articles[current].append(paragraph)
    # No Chinese text of an article carries spaces; any left are extraction noise.
    return {n: "\n".join(re.sub(r"\s+", "", p) for p in ps) for n, ps in articles.items()}


@pytest.fixture(scope="module")
def catalogue() -> dict:
    return yaml.safe_load(CATALOGUE.read_text("utf-8"))


@pytest.fixture(scope="module")
def articles(catalogue) -> dict[int, dict]:
    return {article["number"]: article for article in catalogue["articles"]}


@pytest.fixture(scope="module")
def clauses(catalogue) -> list[tuple[int, dict]]:
    return [
        (article["number"], clause)
        for article in catalogue["articles"]
        for clause in article.get("clauses") or []
    ]


def test_source_has_fifteen_articles():
    assert sorted(source_articles()) == list(range(1, 16))


def test_catalogue_has_exactly_the_fifteen_articles_in_order(catalogue):
    assert [article["number"] for article in catalogue["articles"]] == list(range(1, 16))


@pytest.mark.parametrize("number", range(1, 16))
def test_article_text_matches_source(number, articles):
    source = source_articles()
    assert number in articles, f"第{cn_numeral(number)}条 is missing from the catalogue"
    assert articles[number]["text"] == source[number]


def test_article_text_is_clean(articles):
    for number, article in articles.items():
        text = article["text"]
        assert not re.search(r"[ \t\u3000]", text), f"article {number} has stray spaces"
        assert "\n\n" not in text and text == text.strip(), f"article {number} has blank lines"
        assert not text.startswith("第"), f"article {number} keeps its heading"
        for paragraph in text.split("\n"):
            assert paragraph.endswith(PARAGRAPH_END), (
                f"article {number}: paragraph cut by a page break: {paragraph!r}"
            )


def test_clause_refs_and_kinds(clauses):
    refs = [clause["ref"] for _, clause in clauses]
    assert len(refs) == len(set(refs)), "duplicate clause refs"
    assert {clause["ref"]: clause["kind"] for _, clause in clauses} == EXPECTED_KINDS


def test_clauses_sit_under_their_article(clauses):
    for number, clause in clauses:
        ref = clause["ref"]
        article = int(re.split(r"[.:]", ref)[0])
        assert article == number, f"{ref} is filed under article {number}"


def test_clause_text_is_verbatim_substring_of_article(clauses, articles):
    for number, clause in clauses:
        text = clause["text"]
        assert text, f"{clause['ref']} has no text"
        assert text in articles[number]["text"], f"{clause['ref']} text is not verbatim"
        assert not text.endswith(("；", "。")), f"{clause['ref']} keeps its closing mark"
        assert not ITEM_MARKER.match(text), f"{clause['ref']} keeps its item number"


def test_item_clause_text_is_the_whole_numbered_item(clauses, articles):
    for number, clause in clauses:
        ref = clause["ref"]
        if ":" in ref:
            continue
        item = int(ref.split(".")[1])
        marker = f"（{cn_numeral(item)}）"
        paragraphs = articles[number]["text"].split("\n")
        assert any(
            p in (marker + clause["text"] + "；", marker + clause["text"] + "。")
            for p in paragraphs
        ), f"{ref} is not item {marker} of article {number}"


def test_item_counts_match_source(clauses):
    source = source_articles()
    for number in (6, 7):
        items = [p for p in source[number].split("\n") if ITEM_MARKER.match(p)]
        refs = [c["ref"] for n, c in clauses if n == number]
        assert refs == [f"{number}.{i}" for i in range(1, len(items) + 1)]


def test_principle_texts(clauses, articles):
    texts = {clause["ref"]: clause["text"] for _, clause in clauses}
    art4 = articles[4]["text"]
    assert texts["4:no-duty"] == "无监管职责则无责任追究"
    assert texts["4:level"].startswith("有明确监管层级的")
    assert texts["4:causation"].startswith("市场监督管理部门及其执法人员凡严格依据监管责任清单")
    for ref in ("4:no-duty", "4:level", "4:causation"):
        assert texts[ref] in art4


def test_metadata(catalogue):
    assert catalogue["slug"] == "taian-2020"
    assert catalogue["title"] == "泰安市市场监督管理系统依法履职尽责免责办法（试行）"
    assert catalogue["issuing_body"] == "泰安市市场监督管理局"
    assert catalogue["document_number"] == "泰市监字〔2020〕47号"
    assert catalogue["issued_on"] == datetime.date(2020, 4, 24)
    assert catalogue["effective_on"] == datetime.date(2020, 4, 24)
    assert catalogue["jurisdiction"] == {"code": "taian", "name": "泰安市", "province": "山东省"}


def test_metadata_matches_source(catalogue):
    lines = source_lines()
    compact = [re.sub(r"\s+", "", line) for line in lines]
    assert catalogue["title"] in compact, (
        "the title line (without its stray space) is in the source"
    )
    assert catalogue["document_number"] in compact
    assert catalogue["issuing_body"] in compact
    assert "2020年4月24日" in compact
    assert source_articles()[15] == "本办法自印发之日起施行。"


def test_procedure_rules(catalogue):
    procedure = catalogue["procedure"]
    assert procedure["expert_panel_required_when_disputed"] == {"value": True, "article": 9}
    assert procedure["no_liability_filing_required"] == {"value": True, "article": 9}
    assert procedure["no_liability_publication_required"] == {"value": True, "article": 9}
    assert procedure["close_requires_filing_and_publication"] == {"value": True, "article": 9}
    assert procedure["fault_requires_intent_or_gross_negligence"]["value"] is False
    assert procedure["intervention_opinion"] == {"value": "required", "article": 9}
    assert procedure["transfer_to_discipline_organs"]["value"] is False
    assert procedure["no_second_sanction_after_discipline_organs"]["value"] is False
    assert procedure["measures"]["value"] == []
