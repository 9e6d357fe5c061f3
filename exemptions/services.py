"""Loading the catalogue files and the fact vocabulary into the database.

Each file is validated in full by the engine before anything is written, and
written in one transaction: a file with any error is refused whole and changes
nothing. Loading the same content twice changes nothing; changed content
becomes a new version of the regulation and the old one stays as it was.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from exemptions import engine
from exemptions.models import Article, Clause, Fact, Regulation, RegulationVersion

FACTS_FILE = "facts.yaml"
CATALOG_DIR = Path(__file__).resolve().parent / "catalogs"

CREATED, NEW_VERSION, REINSTATED, UNCHANGED = "created", "new_version", "reinstated", "unchanged"


# --- reading and canonical form ------------------------------------------------------------


def _read_yaml(path: Path) -> Any:
    """The parsed YAML of a file; CatalogError naming the file (and line) when unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise engine.CatalogError(path.name, None, f"cannot read the file ({error})") from None
    return yaml_parse(text, path.name)


def yaml_parse(text: str, name: str) -> Any:
    """The parsed YAML of a catalogue's text; CatalogError naming the file
    (and line) when it is not YAML."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise engine.CatalogError(name, where, f"invalid YAML: {problem}") from None


def vocabulary_read_file(*, path: Path) -> engine.Vocabulary:
    """Parse facts.yaml; raises VocabularyError whose message starts with the file name."""
    try:
        data = _read_yaml(path)
    except engine.CatalogError as error:
        raise engine.VocabularyError(str(error)) from None
    try:
        return engine.parse_vocabulary(data)
    except engine.VocabularyError as error:
        raise engine.VocabularyError(f"{path.name}: {error}") from None


def catalog_read_file(*, path: Path, vocabulary: engine.Vocabulary) -> engine.Catalog:
    """Parse and validate one catalogue file; raises CatalogError naming the file and clause."""
    return engine.parse_catalog(_read_yaml(path), vocabulary, path.name)


def catalog_canonical_data(catalog: engine.Catalog) -> dict[str, Any]:
    """The catalogue in its file's shape, with dates as ISO strings and optional clause
    keys omitted when empty: what RegulationVersion.data stores and its hash is over.
    engine.parse_catalog accepts it back and gives the same catalogue."""
    metadata = catalog.metadata
    data = {
        "slug": catalog.slug,
        "title": metadata["title"],
        "issuing_body": metadata["issuing_body"],
        "document_number": metadata["document_number"],
        "issued_on": metadata["issued_on"].isoformat(),
        "effective_on": metadata["effective_on"].isoformat(),
        "jurisdiction": dict(metadata["jurisdiction"]),
        "procedure": {key: dict(rule) for key, rule in catalog.procedure.items()},
        "articles": [_article_data(article) for article in catalog.articles],
    }
    if catalog.declared_facts:
        data["facts"] = {fact.key: _declared_fact_data(fact) for fact in catalog.declared_facts}
    return data


def _declared_fact_data(fact: engine.Fact) -> dict[str, Any]:
    """A catalogue's own fact in the facts.yaml shape, optional keys omitted."""
    data: dict[str, Any] = {"type": fact.type}
    if fact.values:
        data["values"] = list(fact.values)
    data["label_zh"] = fact.label_zh
    for name in ("label_en", "sentence_true", "sentence_false"):
        if getattr(fact, name):
            data[name] = getattr(fact, name)
    if fact.labels:
        data["labels"] = dict(fact.labels)
    data["description"] = fact.description
    return data


def _article_data(article: engine.Article) -> dict[str, Any]:
    data: dict[str, Any] = {"number": article.number, "text": article.text}
    if article.effect is not None:
        data["effect"] = article.effect
    data["clauses"] = [_clause_data(clause, article.effect) for clause in article.clauses]
    return data


def _clause_data(clause: engine.Clause, article_effect: str | None) -> dict[str, Any]:
    data = {"ref": clause.ref, "kind": clause.kind, "text": clause.text}
    if clause.effect != article_effect:  # only a clause's own exception to its article
        data["effect"] = clause.effect
    data.update(_condition_data(clause))
    return data


def _condition_data(clause: engine.Clause) -> dict[str, Any]:
    condition: dict[str, Any] = {"requires": clause.requires}
    if clause.consequence_below is not None:
        condition["consequence_below"] = clause.consequence_below
    if clause.excluded_if:
        condition["excluded_if"] = list(clause.excluded_if)
    return condition


def content_hash(data: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON (sorted keys, no spaces) of a catalogue's data."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- the vocabulary ------------------------------------------------------------------------


@dataclass(frozen=True)
class VocabularyLoadResult:
    vocabulary: engine.Vocabulary
    created: int
    updated: int
    unchanged: int


def _fact_fields(fact: engine.Fact, position: int) -> dict[str, Any]:
    return {
        "type": fact.type,
        "values": list(fact.values),
        "label_zh": fact.label_zh,
        "label_en": fact.label_en,
        "description": fact.description,
        "labels": dict(fact.labels),
        "replaced_by": list(fact.replaced_by),
        "position": position,
        "sentence_true": fact.sentence_true,
        "sentence_false": fact.sentence_false,
    }


@transaction.atomic
def vocabulary_load(*, vocabulary: engine.Vocabulary, source: str) -> VocabularyLoadResult:
    """Create or update the Fact rows of a parsed vocabulary; only changed rows are written.

    Facts missing from the vocabulary are kept (older catalogue versions may be written
    over them). The type and values of a fact already loaded cannot change, because the
    catalogue versions in the database are written over them: VocabularyError.
    """
    existing = {fact.key: fact for fact in Fact.objects.select_for_update()}
    to_create, to_update, unchanged = [], [], 0
    for position, fact in enumerate(vocabulary.facts, start=1):
        fields = _fact_fields(fact, position)
        row = existing.get(fact.key)
        if row is None:
            to_create.append(Fact(key=fact.key, **fields))
            continue
        if (row.type, list(row.values)) != (fields["type"], fields["values"]):
            raise engine.VocabularyError(
                f"{source}: fact '{fact.key}': its type or values cannot change once loaded "
                "(catalogue versions are written over it); add a new fact instead"
            )
        if all(getattr(row, name) == value for name, value in fields.items()):
            unchanged += 1
            continue
        for name, value in fields.items():
            setattr(row, name, value)
        to_update.append(row)
    Fact.objects.bulk_create(to_create)
    Fact.objects.bulk_update(
        to_update,
        [
            *("label_zh", "label_en", "description", "labels", "replaced_by", "position"),
            *("sentence_true", "sentence_false"),
        ],
    )
    return VocabularyLoadResult(vocabulary, len(to_create), len(to_update), unchanged)


def vocabulary_load_file(*, path: Path) -> VocabularyLoadResult:
    """Validate facts.yaml and load it; VocabularyError (naming the file) changes nothing."""
    return vocabulary_load(vocabulary=vocabulary_read_file(path=path), source=path.name)


# --- catalogues ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogLoadResult:
    source: str
    status: str  # created | new_version | reinstated | unchanged
    version: RegulationVersion


def catalog_store(*, catalog: engine.Catalog, source: str) -> CatalogLoadResult:
    """Store a validated catalogue as the current version of its regulation.

    The same content as the current version changes nothing; the content of an older
    version makes that version current again; new content becomes version n+1.
    Older versions and their articles and clauses are never touched.
    """
    data = catalog_canonical_data(catalog)
    digest = content_hash(data)
    jurisdiction = catalog.metadata["jurisdiction"]
    identity = {
        "jurisdiction_code": jurisdiction["code"],
        "jurisdiction_name": jurisdiction["name"],
        "province": jurisdiction.get("province", ""),
    }
    try:
        with transaction.atomic():
            return _store(catalog, source, data, digest, identity)
    except ValidationError as error:
        messages = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in error.message_dict.items()
        )
        raise engine.CatalogError(source, None, messages) from None


def _declared_facts_store(catalog: engine.Catalog) -> None:
    """The facts a catalogue declares itself become facts of the vocabulary
    (after the others, in the catalogue's order); the parser has checked that
    a key already there has the same type and values."""
    existing = set(Fact.objects.values_list("key", flat=True))
    last = Fact.objects.aggregate(last=Max("position"))["last"] or 0
    new = [fact for fact in catalog.declared_facts if fact.key not in existing]
    Fact.objects.bulk_create(
        Fact(key=fact.key, **_fact_fields(fact, last + offset))
        for offset, fact in enumerate(new, start=1)
    )


def _store(catalog, source, data, digest, identity) -> CatalogLoadResult:
    _declared_facts_store(catalog)
    regulation = Regulation.objects.select_for_update().filter(slug=catalog.slug).first()
    created = regulation is None
    if created:
        regulation = Regulation(slug=catalog.slug, **identity)
        regulation.full_clean()
        regulation.save()
    elif any(getattr(regulation, name) != value for name, value in identity.items()):
        for name, value in identity.items():
            setattr(regulation, name, value)
        regulation.full_clean()
        regulation.save(update_fields=list(identity))

    versions = RegulationVersion.objects.filter(regulation=regulation)
    same = versions.filter(content_hash=digest).first()
    if same is not None and same.is_current:
        return CatalogLoadResult(source, UNCHANGED, same)
    versions.filter(is_current=True).update(is_current=False)
    if same is not None:
        same.is_current = True
        same.save(update_fields=["is_current"])
        return CatalogLoadResult(source, REINSTATED, same)

    metadata = catalog.metadata
    version = RegulationVersion(
        regulation=regulation,
        number=(versions.aggregate(last=Max("number"))["last"] or 0) + 1,
        content_hash=digest,
        title=metadata["title"],
        issuing_body=metadata["issuing_body"],
        document_number=metadata["document_number"],
        issued_on=metadata["issued_on"],
        effective_on=metadata["effective_on"],
        procedure=data["procedure"],
        data=data,
        source=source,
        is_current=True,
    )
    version.full_clean()
    version.save()
    articles = Article.objects.bulk_create(
        Article(version=version, number=article.number, text=article.text)
        for article in catalog.articles
    )
    article_by_number = {article.number: article for article in articles}
    Clause.objects.bulk_create(
        Clause(
            version=version,
            article=article_by_number[clause.article],
            ref=clause.ref,
            kind=clause.kind,
            text=clause.text,
            effect=clause.effect or "",
            condition=_condition_data(clause),
            position=position,
        )
        for position, clause in enumerate(catalog.clauses, start=1)
    )
    return CatalogLoadResult(source, CREATED if created else NEW_VERSION, version)


def catalog_load_file(*, path: Path, vocabulary: engine.Vocabulary) -> CatalogLoadResult:
    """Validate one catalogue file and store it; CatalogError (naming the file and the
    clause) leaves the database as it was."""
    return catalog_store(
        catalog=catalog_read_file(path=path, vocabulary=vocabulary), source=path.name
    )


@dataclass
class CatalogsLoadReport:
    vocabulary: VocabularyLoadResult
    loaded: list[CatalogLoadResult] = field(default_factory=list)
    refused: list[engine.CatalogError] = field(default_factory=list)


def catalog_files(directory: Path) -> list[Path]:
    """The catalogue files of a directory, in name order (facts.yaml is not one)."""
    return sorted(path for path in directory.glob("*.yaml") if path.name != FACTS_FILE)


def catalogs_load_all(*, directory: Path = CATALOG_DIR) -> CatalogsLoadReport:
    """Load the vocabulary, then every catalogue file of the directory, each on its own.

    A broken vocabulary stops everything (VocabularyError, nothing written). A broken
    catalogue is refused whole and reported, and the other files still load: one
    regulation's typo must not hold back another's correction.
    """
    report = CatalogsLoadReport(vocabulary_load_file(path=directory / FACTS_FILE))
    for path in catalog_files(directory):
        try:
            report.loaded.append(
                catalog_load_file(path=path, vocabulary=report.vocabulary.vocabulary)
            )
        except engine.CatalogError as error:
            report.refused.append(error)
    return report
