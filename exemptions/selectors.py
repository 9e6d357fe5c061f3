"""Read queries about regulations, clauses and facts, and the engine catalogue.

`catalog_for_engine` is how the rest of the project gets an engine.Catalog: from
the database when the regulation is loaded, else straight from its YAML file
(so `manage.py assess` works on a fresh database too). Parsed catalogues are
cached in-process by content, so a catalogue is compiled once per content,
not once per request.
"""

import datetime
import hashlib
import re

from django.db import DatabaseError
from django.db.models import Prefetch, QuerySet

from exemptions import engine
from exemptions.models import Article, Clause, Fact, RegulationVersion
from exemptions.services import CATALOG_DIR, FACTS_FILE, catalog_read_file, vocabulary_read_file

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CACHE_LIMIT = 64
_catalogs: dict[tuple[str, str], engine.Catalog] = {}
_vocabularies: dict[str, engine.Vocabulary] = {}


class CatalogNotFound(LookupError):
    """No regulation with this slug, neither in the database nor as a file."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(f"unknown regulation {slug!r}")


# --- pages ---------------------------------------------------------------------------------


def current_versions() -> QuerySet[RegulationVersion]:
    """The current version of every regulation, by province, jurisdiction and date."""
    return (
        RegulationVersion.objects.filter(is_current=True)
        .select_related("regulation")
        .order_by("regulation__province", "regulation__jurisdiction_code", "-effective_on")
    )


def regulation_version_detail(*, slug: str, number: int | None = None) -> RegulationVersion:
    """A version (the current one unless `number` is given) with its articles and each
    article's clauses prefetched; RegulationVersion.DoesNotExist when there is none."""
    versions = RegulationVersion.objects.filter(regulation__slug=slug)
    versions = (
        versions.filter(is_current=True) if number is None else versions.filter(number=number)
    )
    return (
        versions.select_related("regulation")
        .prefetch_related(
            Prefetch(
                "articles",
                queryset=Article.objects.order_by("number").prefetch_related(
                    Prefetch("clauses", queryset=Clause.objects.order_by("position"))
                ),
            )
        )
        .get()
    )


def regulation_version_list(*, regulation_id: int) -> list[RegulationVersion]:
    """Every version of a regulation, newest first, without their data."""
    return list(
        RegulationVersion.objects.filter(regulation_id=regulation_id)
        .defer("data", "procedure")
        .order_by("-number")
    )


def clause_detail(*, slug: str, ref: str, number: int | None = None) -> Clause:
    """A clause of a version (the current one unless `number` is given), with its
    version, regulation and article; Clause.DoesNotExist when there is none."""
    clauses = Clause.objects.filter(version__regulation__slug=slug, ref=ref)
    if number is None:
        clauses = clauses.filter(version__is_current=True)
    else:
        clauses = clauses.filter(version__number=number)
    return clauses.select_related("version__regulation", "article").defer("version__data").get()


def facts_by_key(*, regulation: str | None = None) -> dict[str, Fact]:
    """Every fact of the vocabulary, by key; with a regulation slug, each fact's
    `label` is in that regulation's own words (Fact.label)."""
    facts = {fact.key: fact for fact in Fact.objects.all()}
    for fact in facts.values():
        fact.regulation_slug = regulation
    return facts


def regulation_version_for(
    jurisdiction_code: str, on_date: datetime.date
) -> RegulationVersion | None:
    """The current version of the regulation governing a jurisdiction on a date: among
    the regulations of that jurisdiction in force by then, the latest to take effect."""
    return (
        RegulationVersion.objects.filter(
            is_current=True,
            regulation__jurisdiction_code=jurisdiction_code,
            effective_on__lte=on_date,
        )
        .select_related("regulation")
        .order_by("-effective_on", "-pk")
        .first()
    )


# --- engine catalogues -----------------------------------------------------------------------


def _remember(cache: dict, key, value):
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


def _database_vocabulary() -> tuple[str, engine.Vocabulary]:
    rows = list(
        Fact.objects.order_by("position", "key").values_list(
            *("key", "type", "values", "label_zh", "description", "labels", "replaced_by"),
            *("label_en", "sentence_true", "sentence_false"),
        )
    )
    fingerprint = hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()
    vocabulary = _vocabularies.get(fingerprint)
    if vocabulary is None:
        facts = (
            engine.Fact(key, kind, tuple(values), label, text, labels, tuple(replaced), *more)
            for key, kind, values, label, text, labels, replaced, *more in rows
        )
        vocabulary = _remember(_vocabularies, fingerprint, engine.Vocabulary(facts))
    return fingerprint, vocabulary


def _parse_version(
    version: RegulationVersion, fingerprint: str, vocabulary: engine.Vocabulary
) -> engine.Catalog:
    key = (version.content_hash, fingerprint)
    catalog = _catalogs.get(key)
    if catalog is None:
        source = f"{version.regulation.slug} v{version.number}"
        catalog = engine.parse_catalog(version.source_dict(), vocabulary, source)
        _remember(_catalogs, key, catalog)
    return catalog


def catalog_for_version(version: RegulationVersion) -> engine.Catalog:
    """The engine catalogue of exactly this version (for a case decided under it)."""
    return _parse_version(version, *_database_vocabulary())


def _catalog_from_file(slug: str) -> engine.Catalog:
    path = CATALOG_DIR / f"{slug}.yaml"
    facts_path = CATALOG_DIR / FACTS_FILE
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise CatalogNotFound(slug) from None
    key = (
        "file:" + hashlib.sha256(content).hexdigest(),
        hashlib.sha256(facts_path.read_bytes()).hexdigest(),
    )
    catalog = _catalogs.get(key)
    if catalog is None:
        vocabulary = vocabulary_read_file(path=facts_path)
        catalog = _remember(_catalogs, key, catalog_read_file(path=path, vocabulary=vocabulary))
    return catalog


def catalog_for_engine(slug: str) -> engine.Catalog:
    """The engine catalogue of a regulation's current version, from the database when it
    is loaded there, else from exemptions/catalogs/<slug>.yaml.

    Raises CatalogNotFound for an unknown slug, CatalogError for a broken file.
    """
    if not _SLUG.match(slug) or f"{slug}.yaml" == FACTS_FILE:
        raise CatalogNotFound(slug)
    try:
        version = (
            RegulationVersion.objects.filter(regulation__slug=slug, is_current=True)
            .select_related("regulation")
            .defer("data")
            .first()
        )
    except DatabaseError:
        # A database without the tables yet (never migrated): the files still answer.
        version = None
    if version is None:
        return _catalog_from_file(slug)
    # `data` is deferred: it is read only when this content is not parsed yet.
    return _parse_version(version, *_database_vocabulary())


def catalog_cache_clear() -> None:
    """Forget the parsed catalogues (tests that rewrite files in place use it)."""
    _catalogs.clear()
    _vocabularies.clear()


def database_vocabulary() -> engine.Vocabulary:
    """The fact vocabulary as loaded in the database (parsed once per content)."""
    return _database_vocabulary()[1]
