"""manage.py load_catalogs: the real catalogues load, a second run changes nothing,
changed content becomes a new version, and a broken file is refused whole.

Files that are broken on purpose are copies of the real ones in tmp_path. When a
run holds a good file and a broken one, the good file loads and the broken one
changes nothing (each file is its own transaction), and the command fails.
"""

import shutil
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from exemptions import engine
from exemptions.models import Article, Clause, Fact, Regulation, RegulationVersion
from exemptions.selectors import catalog_for_version, regulation_version_detail
from exemptions.services import CATALOG_DIR, catalog_load_file, vocabulary_read_file

pytestmark = pytest.mark.django_db

TAIAN = "taian-2020.yaml"
LIANYUNGANG = "lianyungang-2022.yaml"


@pytest.fixture(autouse=True)
def empty_catalogs(db):
    """No catalogue in the database: the test session loads them for everyone;
    the deletions roll back with the test."""
    for model in (Clause, Article, RegulationVersion, Regulation, Fact):
        model.objects.all().delete()


@pytest.fixture
def catalog_dir(tmp_path):
    """A copy of the real catalogue directory that a test may break."""
    directory = tmp_path / "catalogs"
    directory.mkdir()
    for name in ("facts.yaml", TAIAN, LIANYUNGANG):
        shutil.copy(CATALOG_DIR / name, directory / name)
    return directory


def load(directory=CATALOG_DIR) -> str:
    out = StringIO()
    call_command("load_catalogs", "--dir", str(directory), stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every row the loader writes, with the fields that must not move."""
    return {
        "facts": list(Fact.objects.order_by("pk").values_list("pk", "key", "label_zh", "position")),
        "regulations": list(Regulation.objects.order_by("pk").values_list("pk", "slug")),
        "versions": list(
            RegulationVersion.objects.order_by("pk").values_list(
                "pk", "regulation_id", "number", "content_hash", "is_current", "loaded_at"
            )
        ),
        "articles": list(Article.objects.order_by("pk").values_list("pk", "version_id", "number")),
        "clauses": list(Clause.objects.order_by("pk").values_list("pk", "version_id", "ref")),
    }


def counts() -> dict:
    return {name: len(rows) for name, rows in snapshot().items()}


def edit(path, transform) -> None:
    """Rewrite a catalogue file through its parsed data."""
    data = yaml.safe_load(path.read_text("utf-8"))
    transform(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def clause_data(data, ref) -> dict:
    return next(
        clause
        for article in data["articles"]
        for clause in article.get("clauses", [])
        if clause["ref"] == ref
    )


# --- the real catalogues ------------------------------------------------------------------------


def test_it_loads_both_catalogues_and_the_vocabulary():
    output = load()
    taian = regulation_version_detail(slug="taian-2020")
    lianyungang = regulation_version_detail(slug="lianyungang-2022")
    assert (taian.articles.count(), taian.clauses.count()) == (15, 22)
    assert (lianyungang.articles.count(), lianyungang.clauses.count()) == (22, 31)
    vocabulary = yaml.safe_load((CATALOG_DIR / "facts.yaml").read_text("utf-8"))
    assert Fact.objects.count() == len(vocabulary)
    assert "taian-2020 loaded as version 1" in output
    assert "lianyungang-2022 loaded as version 1" in output


def test_it_stores_the_metadata_of_the_regulation():
    load()
    version = regulation_version_detail(slug="taian-2020")
    assert version.regulation.jurisdiction_code == "taian"
    assert version.regulation.jurisdiction_name == "泰安市"
    assert version.regulation.province == "山东省"
    assert version.document_number == "泰市监字〔2020〕47号"
    assert version.issuing_body == "泰安市市场监督管理局"
    assert str(version.effective_on) == "2020-04-24"
    assert version.procedure["expert_panel_required_when_disputed"] == {"value": True, "article": 9}
    assert version.number == 1
    assert version.is_current
    assert version.source == TAIAN


def test_it_stores_clauses_in_catalogue_order_with_their_conditions():
    load()
    version = regulation_version_detail(slug="taian-2020")
    refs = list(version.clauses.order_by("position").values_list("ref", flat=True))
    assert refs[:4] == ["4:no-duty", "4:level", "4:causation", "6.1"]
    assert refs[-1] == "7.3"
    clause = version.clauses.get(ref="6.12")
    assert clause.article.number == 6
    assert clause.kind == "exemption"
    assert clause.condition == {
        "requires": "new_evidence_changed_facts",
        "excluded_if": ["evidence_concealed_intentionally", "evidence_missed_gross_negligence"],
    }
    assert clause.text in clause.article.text


def test_it_stores_the_fact_labels():
    load()
    fact = Fact.objects.get(key="evidence_concealed_intentionally")
    assert fact.label_zh == "执法人员故意隐瞒证据"
    assert fact.type == "bool"
    consequence = Fact.objects.get(key="consequence")
    assert consequence.values == ["none", "minor", "major", "severe"]


# --- idempotence ------------------------------------------------------------------------------


def test_a_second_run_changes_nothing():
    load()
    before = snapshot()
    output = load()
    assert snapshot() == before
    assert "taian-2020 unchanged (version 1)" in output
    assert "lianyungang-2022 unchanged (version 1)" in output
    assert "0 new, 0 updated" in output


def test_a_changed_fact_label_updates_the_fact_only(catalog_dir):
    load(catalog_dir)
    before = snapshot()
    path = catalog_dir / "facts.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "label_zh: 执法人员故意隐瞒证据", "label_zh: 执法人员故意隐瞒了证据"
        ),
        "utf-8",
    )
    output = load(catalog_dir)
    assert (
        Fact.objects.get(key="evidence_concealed_intentionally").label_zh
        == "执法人员故意隐瞒了证据"
    )
    assert "1 updated" in output
    assert snapshot()["versions"] == before["versions"]


# --- new versions -------------------------------------------------------------------------------


def test_changed_text_becomes_a_new_version_and_the_old_one_is_kept(catalog_dir):
    load(catalog_dir)
    old = regulation_version_detail(slug="taian-2020")
    old_clauses = list(old.clauses.values_list("pk", "ref", "text", "condition"))

    def retitle(data):
        data["articles"][0]["text"] = data["articles"][0]["text"].replace(
            "制定本办法", "特制定本办法"
        )

    edit(catalog_dir / TAIAN, retitle)
    output = load(catalog_dir)

    new = regulation_version_detail(slug="taian-2020")
    assert new.number == 2
    assert "taian-2020 changed: loaded as version 2" in output
    assert "特制定本办法" in new.articles.get(number=1).text
    old.refresh_from_db()
    assert not old.is_current
    assert "特制定本办法" not in old.articles.get(number=1).text
    assert list(old.clauses.values_list("pk", "ref", "text", "condition")) == old_clauses
    assert regulation_version_detail(slug="taian-2020", number=1).pk == old.pk
    # lianyungang-2022 did not change.
    assert RegulationVersion.objects.filter(regulation__slug="lianyungang-2022").count() == 1


def test_a_changed_condition_becomes_a_new_version_and_the_old_one_stays_citable(catalog_dir):
    load(catalog_dir)
    old = regulation_version_detail(slug="taian-2020")
    edit(
        catalog_dir / TAIAN, lambda data: clause_data(data, "6.2").update(consequence_below="major")
    )
    load(catalog_dir)

    new = regulation_version_detail(slug="taian-2020")
    assert new.number == 2
    assert new.clauses.get(ref="6.2").condition["consequence_below"] == "major"
    assert old.clauses.get(ref="6.2").condition["consequence_below"] == "severe"
    # A case decided under version 1 is still assessed under version 1.
    facts = {"tolerance_acceptance": True, "consequence": "major"}
    assert catalog_for_version(old).by_ref["6.2"].consequence_below == "severe"
    old_result = engine.assess(catalog_for_version(old), facts).clauses
    new_result = engine.assess(catalog_for_version(new), facts).clauses
    assert next(r for r in old_result if r.ref == "6.2").result == "satisfied"
    assert next(r for r in new_result if r.ref == "6.2").result == "not_met"


def test_going_back_to_an_older_content_makes_that_version_current_again(catalog_dir):
    original = (catalog_dir / TAIAN).read_text("utf-8")
    load(catalog_dir)
    edit(
        catalog_dir / TAIAN, lambda data: clause_data(data, "6.2").update(consequence_below="major")
    )
    load(catalog_dir)
    (catalog_dir / TAIAN).write_text(original, "utf-8")
    output = load(catalog_dir)
    assert "version 1 is current again" in output
    assert regulation_version_detail(slug="taian-2020").number == 1
    assert RegulationVersion.objects.filter(regulation__slug="taian-2020").count() == 2


def test_yaml_formatting_alone_is_not_a_new_version(catalog_dir):
    load(catalog_dir)
    # Same content, other layout and no comments: the hash is over the parsed catalogue.
    edit(catalog_dir / TAIAN, lambda data: None)
    assert "taian-2020 unchanged (version 1)" in load(catalog_dir)


# --- broken files -------------------------------------------------------------------------------


def _unknown_fact(data):
    clause_data(data, "6.12")["requires"] = "no_such_fact"


def _bad_enum_value(data):
    clause_data(data, "6.2")["consequence_below"] = "catastrophic"


def _duplicate_ref(data):
    clause_data(data, "6.3")["ref"] = "6.2"


def _malformed_condition(data):
    clause_data(data, "6.1")["requires"] = {"all": ["formal_review_only"], "any": ["fault_minor"]}


def _missing_key(data):
    del clause_data(data, "6.5")["kind"]


BROKEN = [
    pytest.param(_unknown_fact, ("clause 6.12", "no_such_fact"), id="unknown-fact-key"),
    pytest.param(_bad_enum_value, ("clause 6.2", "catastrophic"), id="bad-enum-value"),
    pytest.param(_duplicate_ref, ("clause 6.2", "duplicate ref"), id="duplicate-ref"),
    pytest.param(_malformed_condition, ("clause 6.1", "expression"), id="malformed-condition"),
    # The clause is named by its place: the engine reads the ref after the required keys.
    pytest.param(_missing_key, ("article 6, clause #5", "missing key 'kind'"), id="missing-key"),
]


@pytest.mark.parametrize("corrupt, expected", BROKEN)
def test_a_broken_file_is_refused_and_changes_nothing(catalog_dir, corrupt, expected):
    load(catalog_dir)
    before = snapshot()
    edit(catalog_dir / TAIAN, corrupt)
    with pytest.raises(CommandError) as error:
        load(catalog_dir)
    message = str(error.value)
    assert TAIAN in message
    for part in expected:
        assert part in message
    assert snapshot() == before


def test_invalid_yaml_is_refused_naming_the_file_and_the_line(catalog_dir):
    load(catalog_dir)
    before = snapshot()
    path = catalog_dir / TAIAN
    path.write_text(path.read_text("utf-8").replace("  - number: 6\n", "  - number: [6\n"), "utf-8")
    with pytest.raises(CommandError) as error:
        load(catalog_dir)
    assert f"{TAIAN}: line " in str(error.value)
    assert "invalid YAML" in str(error.value)
    assert snapshot() == before


@pytest.mark.parametrize("corrupt, expected", BROKEN)
def test_a_broken_file_after_a_good_one_changes_nothing_and_the_good_one_loads(
    catalog_dir, corrupt, expected
):
    # Files load in name order: lianyungang-2022.yaml (good), then taian-2020.yaml.
    edit(catalog_dir / TAIAN, corrupt)
    with pytest.raises(CommandError) as error:
        load(catalog_dir)
    assert TAIAN in str(error.value)
    assert LIANYUNGANG not in str(error.value)
    assert list(Regulation.objects.values_list("slug", flat=True)) == ["lianyungang-2022"]
    assert counts()["clauses"] == 31


def test_the_service_refuses_a_broken_file_without_writing(catalog_dir):
    vocabulary = vocabulary_read_file(path=catalog_dir / "facts.yaml")
    edit(catalog_dir / TAIAN, _unknown_fact)
    before = counts()
    with pytest.raises(engine.CatalogError) as error:
        catalog_load_file(path=catalog_dir / TAIAN, vocabulary=vocabulary)
    assert str(error.value).startswith(f"{TAIAN}: clause 6.12: ")
    assert counts() == before


def test_a_file_the_database_refuses_rolls_back_whole(catalog_dir):
    # Valid for the engine, too long for the column: the regulation row made
    # before the version fails must go too.
    edit(catalog_dir / TAIAN, lambda data: data.update(document_number="号" * 150))
    vocabulary = vocabulary_read_file(path=catalog_dir / "facts.yaml")
    with pytest.raises(engine.CatalogError) as error:
        catalog_load_file(path=catalog_dir / TAIAN, vocabulary=vocabulary)
    assert "document_number" in str(error.value)
    assert counts() == {name: 0 for name in counts()}


def test_a_broken_vocabulary_stops_the_run_before_anything_loads(catalog_dir):
    path = catalog_dir / "facts.yaml"
    path.write_text(path.read_text("utf-8").replace("type: bool", "type: maybe", 1), "utf-8")
    with pytest.raises(CommandError) as error:
        load(catalog_dir)
    assert "facts.yaml" in str(error.value)
    assert "has_supervisory_duty" in str(error.value)
    assert counts() == {name: 0 for name in counts()}


def test_a_loaded_fact_cannot_change_its_type(catalog_dir):
    load(catalog_dir)
    before = snapshot()
    path = catalog_dir / "facts.yaml"
    text = path.read_text("utf-8").replace(
        "fault_minor:\n  type: bool", "fault_minor:\n  type: enum\n  values: [low, high]"
    )
    path.write_text(text, "utf-8")
    with pytest.raises(CommandError) as error:
        load(catalog_dir)
    assert "fault_minor" in str(error.value)
    assert snapshot() == before


def test_it_refuses_a_directory_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="not a directory"):
        load(tmp_path / "missing")
