"""The catalogue pages: the index, a regulation's articles with its clauses marked,
and a clause's condition in words; plus the plain functions that render them."""

import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from exemptions.citations import chinese_numeral, clause_where_for_reader
from exemptions.models import Article, Clause, Fact, Regulation, RegulationVersion
from exemptions.services import CATALOG_DIR
from exemptions.templatetags.catalog_text import (
    ConditionNode,
    article_segments,
    condition_sections,
    expression_node,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_catalogs(db):
    """No catalogue in the database: the test session loads them for everyone;
    the deletions roll back with the test."""
    for model in (Clause, Article, RegulationVersion, Regulation, Fact):
        model.objects.all().delete()


@pytest.fixture
def loaded():
    call_command("load_catalogs", stdout=StringIO())


@pytest.fixture
def reader(client):
    """A logged-in user with no role and no unit: reading clauses needs neither."""
    client.force_login(UserFactory())
    return client


def page(client, name, *args) -> str:
    response = client.get(reverse(f"exemptions:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        ("index", ()),
        ("catalog", ("taian-2020",)),
        ("catalog_version", ("taian-2020", 1)),
        ("clause", ("taian-2020", "6.12")),
        ("clause_version", ("taian-2020", 1, "6.12")),
    ],
)
def test_it_sends_anonymous_users_to_login(client, loaded, name, args):
    response = client.get(reverse(f"exemptions:{name}", args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_permission_is_every_logged_in_user(loaded):
    assert UserFactory().has_perm("exemptions.view_catalog")


@pytest.mark.parametrize(
    "name, args",
    [
        ("catalog", ("nowhere-2030",)),
        ("catalog_version", ("taian-2020", 9)),
        ("clause", ("taian-2020", "6.99")),
        ("clause", ("taian-2020", "8.1")),
        ("clause", ("nowhere-2030", "6.1")),
        ("clause_version", ("taian-2020", 9, "6.1")),
    ],
)
def test_it_404s_on_what_does_not_exist(reader, loaded, name, args):
    assert reader.get(reverse(f"exemptions:{name}", args=args)).status_code == 404


def test_the_navigation_links_to_the_index(reader, loaded):
    html = page(reader, "index")
    assert f'href="{reverse("exemptions:index")}">免责条款<' in html


def test_the_admin_shows_the_catalogues_read_only(client, loaded):
    # The system administrator keeps the catalogues (三员分立); read-only here.
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR], is_staff=True))
    clause = Clause.objects.filter(version__is_current=True).first()
    assert client.get(reverse("admin:exemptions_clause_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:exemptions_clause_change", args=[clause.pk])).status_code == 200
    )
    assert client.get(reverse("admin:exemptions_clause_add")).status_code == 403
    response = client.post(
        reverse("admin:exemptions_clause_delete", args=[clause.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Clause.objects.filter(pk=clause.pk).exists()


# --- index ------------------------------------------------------------------------------------------


def test_the_index_lists_the_regulations_with_their_current_version(reader, loaded):
    html = page(reader, "index")
    assert "泰安市市场监督管理系统依法履职尽责免责办法（试行）" in html
    assert "连市监〔2022〕257号" in html
    assert reverse("exemptions:catalog", args=["lianyungang-2022"]) in html
    assert "第 1 版" in html


def test_the_index_says_when_nothing_is_loaded(reader, empty_catalogs):
    assert "尚未载入任何免责办法" in page(reader, "index")


# --- a regulation -----------------------------------------------------------------------------------


def test_the_catalogue_page_shows_the_metadata(reader, loaded):
    html = page(reader, "catalog", "taian-2020")
    assert "泰安市市场监督管理局" in html
    assert "泰市监字〔2020〕47号" in html
    assert "2020年4月24日" in html
    assert "山东省泰安市" in html


def test_the_catalogue_page_has_every_article_in_full(reader, loaded):
    html = page(reader, "catalog", "taian-2020")
    version = RegulationVersion.objects.get(regulation__slug="taian-2020")
    for article in version.articles.all():
        assert f"第{chinese_numeral(article.number)}条" in html
    assert "第十五条" in html
    assert (
        "行政执法人员在履行法定职责过程中，有下列情形之一的，可以不予或者免予追究执法过错责任："
        in html
    )


def test_the_catalogue_page_marks_and_links_every_clause(reader, loaded):
    html = page(reader, "catalog", "lianyungang-2022")
    version = RegulationVersion.objects.get(regulation__slug="lianyungang-2022")
    for clause in version.clauses.all():
        assert reverse("exemptions:clause", args=["lianyungang-2022", clause.ref]) in html
    assert html.count("<mark ") == 31


def test_the_clause_text_is_marked_inside_its_article(reader, loaded):
    html = page(reader, "catalog", "taian-2020")
    link = reverse("exemptions:clause", args=["taian-2020", "6.12"])
    assert (
        f'<a href="{link}" class="text-reset" title="6.12 · 免责情形">'
        "因出现新的证据，使原认定事实和案件性质发生变化的，行政执法人员故意隐瞒或者因重大过失遗漏证据的除外</a>"
    ) in html


def count_queries(client, name, *args) -> tuple[int, int]:
    """(all queries, queries on the catalogue tables) of one page. The rest (session,
    user, navigation) is the same on every page and not this app's to fix."""
    with CaptureQueriesContext(connection) as context:
        page(client, name, *args)
    ours = [query for query in context.captured_queries if '"exemptions_' in query["sql"]]
    return len(context), len(ours)


def test_the_catalogue_page_runs_a_fixed_number_of_queries(reader, loaded):
    # version with regulation, articles, clauses, the version list; 15 or 22 articles.
    taian = count_queries(reader, "catalog", "taian-2020")
    assert taian[1] == 4
    assert count_queries(reader, "catalog", "lianyungang-2022") == taian


def test_the_index_runs_a_fixed_number_of_queries(reader, loaded):
    assert count_queries(reader, "index")[1] == 1


# --- a clause ---------------------------------------------------------------------------------------


def test_a_clause_page_shows_requirements_and_exclusions_in_words(reader, loaded):
    html = page(reader, "clause", "taian-2020", "6.12")
    assert "第六条第（十二）项" in html
    assert "所需要件" in html
    assert "因出现新的证据，使原认定事实和案件性质发生变化" in html  # 6.12's own 和
    assert "排除情形" in html
    assert "执法人员故意隐瞒证据" in html
    assert "执法人员因重大过失遗漏证据" in html
    assert "后果限制" not in html


@pytest.mark.parametrize(
    ("slug", "ref", "own", "foreign"),
    [
        (
            "taian-2020",
            "6.5",
            "因审慎监管、技术条件、监管手段、执法装备等客观原因未能及时发现",
            "科学技术",
        ),
        ("lianyungang-2022", "8.13", "因科学技术、监管手段等客观条件的限制", "审慎监管"),
        ("lianyungang-2022", "8.27", "及时主动自行纠正或者经批评教育后及时改正", "（主动）"),
        ("taian-2020", "6.9", "发现违法行为后已经向本级人民政府报告", "本部门职责"),
    ],
)
def test_a_clause_page_shows_each_fact_in_its_regulation_s_words(
    reader, loaded, slug, ref, own, foreign
):
    html = page(reader, "clause", slug, ref)
    assert own in html
    assert foreign not in html


@pytest.mark.parametrize(
    ("slug", "ref", "words"),
    [
        ("lianyungang-2022", "8.1", "不认定为行政执法过错行为，不应追究行政执法责任"),
        ("taian-2020", "6.1", "可以不予或者免予追究执法过错责任"),
        ("taian-2020", "4:no-duty", "应不予追究相关责任"),
        ("taian-2020", "7.2", "可以从轻或者减轻追究其执法过错责任"),
    ],
)
def test_a_clause_page_states_its_legal_effect(reader, loaded, slug, ref, words):
    assert words in page(reader, "clause", slug, ref)


def test_the_level_principle_says_that_generally_makes_it_a_presumption(reader, loaded):
    html = page(reader, "clause", "taian-2020", "4:level")
    assert "“一般”使之成为推定" in html
    assert "presumed_not_pursued" in html


def test_a_clause_page_shows_the_consequence_limit(reader, loaded):
    html = page(reader, "clause", "lianyungang-2022", "8.1")
    assert "后果限制" in html
    assert "危害后果或不良影响的程度低于：重大影响和损失" in html
    assert "故意违法" in html
    assert "以下全部：" in html


def test_a_clause_page_nests_any_and_not(reader, loaded):
    html = page(reader, "clause", "taian-2020", "6.3")
    assert "以下任一：" in html
    assert "并非监管部门已接到举报" in html


def test_a_clause_page_quotes_its_article_with_the_clause_marked(reader, loaded):
    html = page(reader, "clause", "taian-2020", "4:no-duty")
    assert "第四条" in html
    assert "<mark>无监管职责则无责任追究</mark>" in html
    assert "并非涉事事项属于当事执法人员（所在部门）的法定监管职责" in html


def test_a_clause_page_runs_a_fixed_number_of_queries(reader, loaded):
    # the clause with its version, regulation and article; the facts.
    simple = count_queries(reader, "clause", "taian-2020", "6.12")
    assert simple[1] == 2
    assert count_queries(reader, "clause", "lianyungang-2022", "8.27") == simple


# --- older versions ---------------------------------------------------------------------------------


def test_an_older_version_stays_readable_and_says_it_is_superseded(reader, loaded, tmp_path):
    for name in ("facts.yaml", "taian-2020.yaml"):
        shutil.copy(CATALOG_DIR / name, tmp_path / name)
    path = tmp_path / "taian-2020.yaml"
    path.write_text(
        path.read_text("utf-8").replace("consequence_below: severe", "consequence_below: major", 1),
        "utf-8",
    )
    call_command("load_catalogs", "--dir", str(tmp_path), stdout=StringIO())

    html = page(reader, "catalog_version", "taian-2020", 1)
    assert "已被现行版本取代" in html
    assert reverse("exemptions:clause_version", args=["taian-2020", 1, "6.2"]) in html
    old = page(reader, "clause_version", "taian-2020", 1, "6.2")
    assert "低于：恶劣影响或严重后果" in old
    assert "低于：重大影响和损失" in page(reader, "clause", "taian-2020", "6.2")
    assert "第 2 版" in page(reader, "catalog", "taian-2020")


# --- the rendering functions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number, numeral",
    [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (28, "二十八"), (99, "九十九")],
)
def test_it_writes_chinese_numerals(number, numeral):
    assert chinese_numeral(number) == numeral


def test_it_cites_clauses_as_the_regulation_does():
    assert clause_where_for_reader("6.12") == "第六条第（十二）项"
    assert clause_where_for_reader("8.28") == "第八条第（二十八）项"
    assert clause_where_for_reader("4:no-duty") == "第四条"


class _Clause:
    def __init__(self, ref, text):
        self.ref, self.text = ref, text


def test_it_cuts_an_article_around_its_clauses():
    first, second = _Clause("1.1", "甲乙"), _Clause("1.2", "丁")
    segments = article_segments("前言：甲乙；丙丁。", [second, first])
    assert [(s.text, s.clause) for s in segments] == [
        ("前言：", None),
        ("甲乙", first),
        ("；丙", None),
        ("丁", second),
        ("。", None),
    ]


def test_a_clause_not_found_or_overlapping_is_left_unmarked():
    first, overlapping, absent = (
        _Clause("1.1", "甲乙"),
        _Clause("1.2", "乙丙"),
        _Clause("1.3", "无"),
    )
    segments = article_segments("甲乙丙", [first, overlapping, absent])
    assert [(s.text, s.clause) for s in segments] == [("甲乙", first), ("丙", None)]


class _Fact:
    def __init__(self, label):
        self.label_zh = label


FACTS = {"a": _Fact("甲"), "b": _Fact("乙"), "c": _Fact("丙"), "consequence": _Fact("后果")}


def test_it_renders_an_expression_as_a_tree_of_labels():
    node = expression_node(["a", {"any": [{"not": "b"}, {"consequence_below": "minor"}]}], FACTS)
    assert node == ConditionNode(
        "以下全部：",
        (
            ConditionNode("甲", key="a"),
            ConditionNode(
                "以下任一：",
                (
                    ConditionNode("并非乙", key="b"),
                    ConditionNode("后果低于：情节轻微、影响较小", key="consequence"),
                ),
            ),
        ),
    )


def test_it_renders_a_negated_group():
    node = expression_node({"not": {"all": ["a", "b"]}}, FACTS)
    assert node.text == "并非："
    assert node.children[0].text == "以下全部："


def test_it_splits_a_condition_under_the_three_headings():
    sections = condition_sections(
        {"requires": "a", "consequence_below": "severe", "excluded_if": ["b", {"not": "c"}]}, FACTS
    )
    assert sections.requires == ConditionNode("甲", key="a")
    assert sections.consequence == "后果低于：恶劣影响或严重后果"
    assert [node.text for node in sections.excluded_if] == ["乙", "并非丙"]


def test_a_condition_without_limit_or_exclusion_has_empty_sections():
    sections = condition_sections({"requires": "a"}, FACTS)
    assert sections.consequence == ""
    assert sections.excluded_if == ()


def test_a_clause_page_states_the_effect_in_english_on_request(reader, loaded):
    reader.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = page(reader, "clause", "lianyungang-2022", "8.3")
    assert 'data-testid="clause-effect">The conduct is not deemed an enforcement fault' in html
