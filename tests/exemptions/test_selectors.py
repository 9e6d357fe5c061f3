"""The selectors the workflow uses: which regulation governs a jurisdiction on a
date, and the engine catalogue of a regulation (database or file, cached)."""

import datetime
import shutil
from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from exemptions import engine
from exemptions.models import Article, Clause, Fact, Regulation, RegulationVersion
from exemptions.selectors import (
    CatalogNotFound,
    catalog_cache_clear,
    catalog_for_engine,
    catalog_for_version,
    regulation_version_for,
)
from exemptions.services import (
    CATALOG_DIR,
    catalog_canonical_data,
    catalog_load_file,
    catalog_read_file,
    content_hash,
    vocabulary_read_file,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date


@pytest.fixture(autouse=True)
def empty_catalogs(db):
    """No catalogue in the database: the test session loads them for everyone;
    the deletions roll back with the test."""
    for model in (Clause, Article, RegulationVersion, Regulation, Fact):
        model.objects.all().delete()


@pytest.fixture
def loaded():
    call_command("load_catalogs", stdout=StringIO())


@pytest.fixture(autouse=True)
def _fresh_cache():
    catalog_cache_clear()
    yield
    catalog_cache_clear()


def file_catalog(slug: str) -> engine.Catalog:
    vocabulary = vocabulary_read_file(path=CATALOG_DIR / "facts.yaml")
    return catalog_read_file(path=CATALOG_DIR / f"{slug}.yaml", vocabulary=vocabulary)


def describe(catalog: engine.Catalog) -> dict:
    """Everything of a catalogue that the engine and the documents read."""
    return {
        "slug": catalog.slug,
        "metadata": catalog.metadata,
        "procedure": catalog.procedure,
        "articles": [
            (article.number, article.text, [clause.ref for clause in article.clauses])
            for article in catalog.articles
        ],
        "clauses": [
            (c.ref, c.kind, c.text, c.article, c.requires, c.consequence_below, c.excluded_if)
            for c in catalog.clauses
        ],
        "vocabulary": list(catalog.vocabulary.facts),
    }


FACT_SETS = [
    {},
    {"false_materials_provided": True, "consequence": "minor"},
    {"fault_established": True, "fault_minor": True, "self_corrected": True},
    {"new_evidence_changed_facts": True, "evidence_concealed_intentionally": False},
]


def add_regulation(tmp_path, slug: str, effective_on: str) -> RegulationVersion:
    """A copy of taian-2020 under another slug and date, loaded."""
    data = yaml.safe_load((CATALOG_DIR / "taian-2020.yaml").read_text("utf-8"))
    data.update(slug=slug, effective_on=effective_on)
    path = tmp_path / f"{slug}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    vocabulary = vocabulary_read_file(path=CATALOG_DIR / "facts.yaml")
    return catalog_load_file(path=path, vocabulary=vocabulary).version


# --- regulation_version_for ---------------------------------------------------------------------


def test_it_finds_the_regulation_of_a_jurisdiction_in_force_on_a_date(loaded):
    version = regulation_version_for("taian", DAY(2026, 3, 1))
    assert version.regulation.slug == "taian-2020"
    assert version.is_current
    assert regulation_version_for("lianyungang", DAY(2023, 1, 1)).regulation.slug == (
        "lianyungang-2022"
    )


def test_it_counts_the_effective_day_itself(loaded):
    assert regulation_version_for("taian", DAY(2020, 4, 24)).regulation.slug == "taian-2020"


def test_it_finds_nothing_before_the_regulation_takes_effect(loaded):
    assert regulation_version_for("taian", DAY(2020, 4, 23)) is None
    assert regulation_version_for("lianyungang", DAY(2022, 10, 10)) is None


def test_it_finds_nothing_for_another_jurisdiction(loaded):
    assert regulation_version_for("jinan", DAY(2026, 1, 1)) is None


def test_it_finds_nothing_on_an_empty_database():
    assert regulation_version_for("taian", DAY(2026, 1, 1)) is None


def test_a_later_regulation_of_the_same_jurisdiction_governs_from_its_date(loaded, tmp_path):
    add_regulation(tmp_path, "taian-2025", "2025-01-01")
    assert regulation_version_for("taian", DAY(2024, 12, 31)).regulation.slug == "taian-2020"
    assert regulation_version_for("taian", DAY(2025, 1, 1)).regulation.slug == "taian-2025"


def test_it_gives_the_current_version(loaded, tmp_path):
    data = yaml.safe_load((CATALOG_DIR / "taian-2020.yaml").read_text("utf-8"))
    data["articles"][0]["text"] += "（修订）"
    path = tmp_path / "taian-2020.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    vocabulary = vocabulary_read_file(path=CATALOG_DIR / "facts.yaml")
    new = catalog_load_file(path=path, vocabulary=vocabulary).version
    assert regulation_version_for("taian", DAY(2026, 1, 1)) == new
    assert new.number == 2


# --- catalog_for_engine -------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["taian-2020", "lianyungang-2022"])
def test_the_catalogue_from_the_database_equals_the_file(loaded, slug):
    from_database = catalog_for_engine(slug)
    from_file = file_catalog(slug)
    assert describe(from_database) == describe(from_file)
    for facts in FACT_SETS:
        assert engine.assess(from_database, facts) == engine.assess(from_file, facts)


@pytest.mark.parametrize("slug", ["taian-2020", "lianyungang-2022"])
def test_the_stored_data_has_the_hash_of_the_file(loaded, slug):
    version = RegulationVersion.objects.get(regulation__slug=slug)
    assert version.content_hash == content_hash(catalog_canonical_data(file_catalog(slug)))
    assert content_hash(version.source_dict()) == version.content_hash


@pytest.mark.parametrize("slug", ["taian-2020", "lianyungang-2022"])
def test_without_the_database_the_file_answers(slug):
    assert not RegulationVersion.objects.exists()
    assert describe(catalog_for_engine(slug)) == describe(file_catalog(slug))


def test_it_reads_the_database_when_the_regulation_is_loaded(loaded):
    # A version whose content differs from the file: only the database has it.
    version = RegulationVersion.objects.get(regulation__slug="taian-2020")
    data = version.source_dict()
    data["title"] = "泰安市（数据库中的版本）"
    RegulationVersion.objects.filter(pk=version.pk).update(
        data=data, content_hash=content_hash(data)
    )
    assert catalog_for_engine("taian-2020").metadata["title"] == "泰安市（数据库中的版本）"


def test_it_keeps_parsed_catalogues_by_content(loaded, django_assert_num_queries):
    first = catalog_for_engine("taian-2020")
    # Cached: the current version's hash and the vocabulary, no catalogue data.
    with django_assert_num_queries(2):
        assert catalog_for_engine("taian-2020") is first


def test_a_new_version_is_picked_up_at_once(loaded, tmp_path):
    before = catalog_for_engine("taian-2020")
    data = yaml.safe_load((CATALOG_DIR / "taian-2020.yaml").read_text("utf-8"))
    next(c for c in data["articles"][5]["clauses"] if c["ref"] == "6.2")["consequence_below"] = (
        "major"
    )
    path = tmp_path / "taian-2020.yaml"
    shutil.copy(CATALOG_DIR / "facts.yaml", tmp_path / "facts.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    call_command("load_catalogs", "--dir", str(tmp_path), stdout=StringIO())
    after = catalog_for_engine("taian-2020")
    assert after is not before
    assert after.by_ref["6.2"].consequence_below == "major"
    old = RegulationVersion.objects.get(regulation__slug="taian-2020", number=1)
    assert catalog_for_version(old).by_ref["6.2"].consequence_below == "severe"


def test_an_unknown_regulation_is_not_found():
    with pytest.raises(CatalogNotFound) as error:
        catalog_for_engine("nowhere-2030")
    assert error.value.slug == "nowhere-2030"


@pytest.mark.parametrize("slug", ["../catalogs/facts", "facts", "TAIAN-2020", ""])
def test_only_catalogue_slugs_reach_the_files(slug):
    with pytest.raises(CatalogNotFound):
        catalog_for_engine(slug)
