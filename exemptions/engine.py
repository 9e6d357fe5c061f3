"""The clause engine: parse regulation catalogues and assess facts against them.

Pure Python with no Django import, so the catalogue loader, the web views and
the ``assess`` command share one fast, separately testable implementation.
The file format is ``catalogs/README.md``; the outcome rules are the domain
contract. Expressions are compiled once at parse time into small closures, so
an assessment is a walk over prepared functions, not over YAML data.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, NamedTuple

PRINCIPLE, EXEMPTION, MITIGATION = "principle", "exemption", "mitigation"
KINDS = (PRINCIPLE, EXEMPTION, MITIGATION)
EXCLUDED, SATISFIED, NOT_MET, UNDETERMINED = "excluded", "satisfied", "not_met", "undetermined"
RESULTS = (EXCLUDED, SATISFIED, NOT_MET, UNDETERMINED)
EXEMPT, NO_FAULT, MITIGATED, LIABLE = "exempt", "no_fault", "mitigated", "liable"
OUTCOMES = (EXEMPT, UNDETERMINED, NO_FAULT, MITIGATED, LIABLE)
FAULT_WITHOUT_INTENT = "fault_without_intent_or_gross_negligence"
# A clause that says the conduct is not a fault at all, satisfied beside a finding of fault.
FAULT_DESPITE_NOT_A_FAULT = "fault_established_despite_not_a_fault_clause"
# A fault recorded without any harmful consequence where the definition requires one.
FAULT_WITHOUT_CONSEQUENCE = "fault_without_harmful_consequence"

# The legal effect an article gives its clauses (wording: exemptions/effects.py).
SHALL_NOT_PURSUE = "shall_not_pursue"  # 应不予追究
PRESUMED_NOT_PURSUED = "presumed_not_pursued"  # 一般只追究……: a rebuttable presumption
MAY_EXEMPT = "may_exempt"  # 可以不予或者免予追究
NOT_A_FAULT = "not_a_fault"  # 不认定为行政执法过错行为，不应追究
MAY_MITIGATE = "may_mitigate"  # 可以从轻或者减轻追究
EFFECTS = (SHALL_NOT_PURSUE, PRESUMED_NOT_PURSUED, MAY_EXEMPT, NOT_A_FAULT, MAY_MITIGATE)

CONSEQUENCE = "consequence"  # the ordered enum fact that `consequence_below` reads
MEASURES = (
    "talk_reminder",
    "criticism_education",
    "ordered_self_examination",
    "admonishment",
    "removal_from_enforcement_post",
    "revocation_of_enforcement_qualification",
)
INTERVENTION_OPINIONS = ("required", "optional", "none")


# --- errors -------------------------------------------------------------------


class VocabularyError(ValueError):
    """The fact vocabulary (facts.yaml) is malformed."""


class CatalogError(ValueError):
    """A catalogue file is malformed; the message names the file and the place."""

    def __init__(self, source: str, where: str | None, message: str) -> None:
        self.source, self.where, self.message = source, where, message
        super().__init__(f"{source}: {where}: {message}" if where else f"{source}: {message}")


class FactError(ValueError):
    """A fact given for assessment has an unknown key or a value of the wrong type."""

    def __init__(self, key: object, message: str) -> None:
        self.key, self.message = key, message
        super().__init__(message)


class ClaimError(ValueError):
    """A claimed clause reference is not a string or not in the catalogue."""

    def __init__(self, ref: object, message: str) -> None:
        self.ref, self.message = ref, message
        super().__init__(message)


# --- vocabulary -----------------------------------------------------------------

_FACT_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Fact:
    """One finding of the vocabulary: true / false / unknown, or an ordered enum."""

    key: str
    type: str  # "bool" | "enum"
    values: tuple[str, ...]  # enum values, least to worst; empty for bool facts
    label_zh: str
    description: str
    # The label in a regulation's own words, by regulation slug; label_zh is the neutral one.
    labels: Mapping[str, str] = field(default_factory=dict)
    # A fact split into these (kept so older catalogue versions still read).
    replaced_by: tuple[str, ...] = ()
    # The label for readers of the English interface.
    label_en: str = ""
    # How documents state it, established true and false ("" : from the label).
    sentence_true: str = ""
    sentence_false: str = ""

    def label_for(self, regulation: str | None) -> str:
        """The label in the words of the regulation (slug), else the neutral label."""
        return self.labels.get(regulation or "", self.label_zh)


class Vocabulary(Mapping[str, Fact]):
    """The facts clauses are written over: a mapping of key to Fact, in file order."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        self.facts = tuple(facts)
        self._by_key = {fact.key: fact for fact in self.facts}

    def __getitem__(self, key: str) -> Fact:
        return self._by_key[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)


def parse_vocabulary(data: Mapping[str, Any]) -> Vocabulary:
    """Parse the loaded facts.yaml mapping; raise VocabularyError when malformed."""
    if not isinstance(data, Mapping) or not data:
        raise VocabularyError("the vocabulary must be a non-empty mapping of fact keys")
    facts = []
    for key, spec in data.items():
        if not isinstance(key, str) or not _FACT_KEY.match(key):
            raise VocabularyError(f"bad fact key {key!r}")
        if not isinstance(spec, Mapping):
            raise VocabularyError(f"fact '{key}': expected a mapping")
        unknown = set(spec) - {
            "type",
            "values",
            "label_zh",
            "label_en",
            "description",
            "labels",
            "replaced_by",
            "sentence_true",
            "sentence_false",
        }
        if unknown:
            raise VocabularyError(f"fact '{key}': unknown field '{sorted(map(str, unknown))[0]}'")
        kind, values = spec.get("type"), spec.get("values")
        if kind == "bool":
            if values is not None:
                raise VocabularyError(f"fact '{key}': a bool fact has no values")
            values = ()
        elif kind == "enum":
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(value, str) for value in values)
                or len(set(values)) != len(values)
            ):
                raise VocabularyError(f"fact '{key}': values must be a list of distinct strings")
            values = tuple(values)
        else:
            raise VocabularyError(f"fact '{key}': type must be bool or enum, got {kind!r}")
        texts = [spec.get("label_zh"), spec.get("description")]
        if not all(isinstance(text, str) and text.strip() for text in texts):
            raise VocabularyError(f"fact '{key}': label_zh and description are required")
        labels = _labels(key, spec.get("labels", {}))
        replaced_by = spec.get("replaced_by", [])
        if not isinstance(replaced_by, list) or not all(isinstance(k, str) for k in replaced_by):
            raise VocabularyError(f"fact '{key}': replaced_by must be a list of fact keys")
        label_en = spec.get("label_en", "")
        if not isinstance(label_en, str):
            raise VocabularyError(f"fact '{key}': label_en must be a string")
        sentences = [spec.get("sentence_true", ""), spec.get("sentence_false", "")]
        if not all(isinstance(text, str) for text in sentences):
            raise VocabularyError(f"fact '{key}': sentence_true and sentence_false must be text")
        facts.append(
            Fact(
                key,
                kind,
                values,
                texts[0].strip(),
                texts[1].strip(),
                labels,
                tuple(replaced_by),
                label_en.strip(),
                sentences[0].strip(),
                sentences[1].strip(),
            )
        )
    vocabulary = Vocabulary(facts)
    for fact in vocabulary.facts:
        for successor in fact.replaced_by:
            if successor not in vocabulary or successor == fact.key:
                raise VocabularyError(f"fact '{fact.key}': replaced_by names unknown '{successor}'")
    return vocabulary


def _labels(key: str, labels: Any) -> dict[str, str]:
    if not isinstance(labels, Mapping):
        raise VocabularyError(f"fact '{key}': labels must map regulation slugs to labels")
    checked = {}
    for slug, label in labels.items():
        if not isinstance(slug, str) or not _SLUG.match(slug):
            raise VocabularyError(f"fact '{key}': bad regulation slug {slug!r} in labels")
        if not isinstance(label, str) or not label.strip():
            raise VocabularyError(
                f"fact '{key}': the label for '{slug}' must be a non-empty string"
            )
        checked[slug] = label.strip()
    return checked


# --- compiled expressions ---------------------------------------------------------
# A compiled expression is a function (facts, out) -> True | False | None (unknown)
# under Kleene logic. In the same pass it appends to `out` the unknown facts that
# still decide it, as the expression reads, and leaves `out` as it found it when it
# comes out decided: one walk gives both the value and the missing facts. Anything
# but a real bool (or an enum value, for `consequence`) counts as unknown.

Facts = Mapping[str, Any]
Evaluate = Callable[[Facts, list[str]], bool | None]


class _Node(NamedTuple):
    evaluate: Evaluate
    mentions: tuple[str, ...]  # fact keys in reading order
    atom: str | None = None  # the key, for a bare bool fact


def _atom(key: str) -> _Node:
    def evaluate(facts: Facts, out: list[str]) -> bool | None:
        value = facts.get(key)
        if value is True or value is False:
            return value
        out.append(key)
        return None

    return _Node(evaluate, (key,), key)


def _not(child: _Node) -> _Node:
    inner = child.evaluate

    def evaluate(facts: Facts, out: list[str]) -> bool | None:
        value = inner(facts, out)
        return None if value is None else not value

    return _Node(evaluate, child.mentions)


def _all_atoms(keys: tuple[str, ...]) -> Evaluate:
    # The common shape (a list of plain facts) reads the mapping directly: no call per part.
    def evaluate(facts: Facts, out: list[str]) -> bool | None:
        start = len(out)
        for key in keys:
            value = facts.get(key)
            if value is False:
                del out[start:]
                return False
            if value is not True:
                out.append(key)
        return None if len(out) > start else True

    return evaluate


def _any_atoms(keys: tuple[str, ...]) -> Evaluate:
    def evaluate(facts: Facts, out: list[str]) -> bool | None:
        start = len(out)
        for key in keys:
            value = facts.get(key)
            if value is True:
                del out[start:]
                return True
            if value is not False:
                out.append(key)
        return None if len(out) > start else False

    return evaluate


def _all_nodes(children: tuple[Evaluate, ...]) -> Evaluate:
    def evaluate(facts: Facts, out: list[str]) -> bool | None:
        start, unknown = len(out), False
        for child in children:
            value = child(facts, out)
            if value is False:
                del out[start:]
                return False
            if value is None:
                unknown = True
        return None if unknown else True

    return evaluate


def _any_nodes(children: tuple[Evaluate, ...]) -> Evaluate:
    def evaluate(facts: Facts, out: list[str]) -> bool | None:
        start, unknown = len(out), False
        for child in children:
            value = child(facts, out)
            if value is True:
                del out[start:]
                return True
            if value is None:
                unknown = True
        return None if unknown else False

    return evaluate


def _combine(op: str, children: list[_Node]) -> _Node:
    mentions = tuple(key for child in children for key in child.mentions)
    keys = tuple(child.atom for child in children if child.atom is not None)
    if len(keys) == len(children):
        evaluate = _all_atoms(keys) if op == "all" else _any_atoms(keys)
    else:
        evaluate = (_all_nodes if op == "all" else _any_nodes)(
            tuple(child.evaluate for child in children)
        )
    return _Node(evaluate, mentions)


def _consequence_below(limit: int, ranks: Mapping[str, int]) -> _Node:
    def evaluate(facts: Facts, out: list[str]) -> bool | None:
        rank = ranks.get(facts.get(CONSEQUENCE))
        if rank is None:
            out.append(CONSEQUENCE)
            return None
        return rank < limit

    return _Node(evaluate, (CONSEQUENCE,))


# --- catalogue ------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Clause:
    """One exemption, mitigation or principle of an article, with its compiled condition."""

    ref: str
    kind: str
    text: str
    article: int
    requires: Any
    consequence_below: str | None
    excluded_if: list[Any]
    effect: str | None  # one of EFFECTS; None in catalogue versions loaded before effects
    condition: _Node = field(repr=False)  # requires AND consequence_below, compiled
    exclusion: _Node | None = field(repr=False)  # any of excluded_if, compiled

    def facts(self) -> list[str]:
        """The fact keys the clause mentions, once each, in reading order."""
        exclusion = self.exclusion.mentions if self.exclusion is not None else ()
        mentions = self.condition.mentions + exclusion
        return list(dict.fromkeys(mentions))


@dataclass(frozen=True, eq=False)
class Article:
    """An article's full text (quoted verbatim in documents) and the clauses it contains."""

    number: int
    text: str
    clauses: list[Clause]
    effect: str | None = None


@dataclass(frozen=True, eq=False)
class Catalog:
    """A parsed regulation: metadata, procedure rules, articles and their clauses."""

    slug: str
    metadata: dict[str, Any]
    procedure: dict[str, dict[str, Any]]
    articles: list[Article]
    clauses: list[Clause]
    vocabulary: Vocabulary = field(repr=False)
    # Facts the catalogue declares itself (its `facts:` section), part of
    # `vocabulary` above; a new city's elements need no change to facts.yaml.
    declared_facts: tuple[Fact, ...] = field(default=(), repr=False)
    by_ref: dict[str, Clause] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_ref", {clause.ref: clause for clause in self.clauses})

    def clause(self, ref: str) -> Clause:
        """The clause with this reference; KeyError when there is none."""
        return self.by_ref[ref]


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ITEM = re.compile(r"^[1-9][0-9]*$")
_PRINCIPLE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TOP_KEYS = (
    *("slug", "title", "issuing_body", "document_number", "issued_on", "effective_on"),
    *("jurisdiction", "procedure", "articles"),
)
_CLAUSE_KEYS = ("ref", "kind", "text", "effect", "requires", "consequence_below", "excluded_if")
_BOOL_RULES = (
    *("expert_panel_required_when_disputed", "no_liability_filing_required"),
    *("no_liability_publication_required", "close_requires_filing_and_publication"),
    *("fault_requires_intent_or_gross_negligence", "transfer_to_discipline_organs"),
    "no_second_sanction_after_discipline_organs",
)
# Rules added after catalogue versions were first stored: absent means false.
_OPTIONAL_BOOL_RULES = ("fault_requires_consequence",)
_PROCEDURE_KEYS = (*_BOOL_RULES, "intervention_opinion", "measures")


def parse_catalog(data: Mapping[str, Any], vocabulary: Vocabulary, source: str) -> Catalog:
    """Validate a loaded catalogue file and compile its clauses.

    `source` is the file name used in error messages; raises CatalogError naming
    the file and the article or clause at fault.
    """
    return _CatalogParser(vocabulary, source).parse(data)


class _CatalogParser:
    def __init__(self, vocabulary: Vocabulary, source: str) -> None:
        self.vocabulary, self.source = vocabulary, source

    def fail(self, where: str | None, message: str) -> CatalogError:
        return CatalogError(self.source, where, message)

    def check_keys(
        self, where: str | None, data: Any, required: Iterable[str], allowed: Iterable[str]
    ) -> None:
        if not isinstance(data, Mapping):
            raise self.fail(where, f"expected a mapping, got {type(data).__name__}")
        for key in data:
            if key not in allowed:
                raise self.fail(where, f"unknown key '{key}'")
        for key in required:
            if key not in data:
                raise self.fail(where, f"missing key '{key}'")

    def text(self, where: str | None, key: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"'{key}' must be a non-empty string")
        return value

    def date(self, key: str, value: Any) -> datetime.date:
        # YAML gives a date for an unquoted 2020-04-24 and a str when quoted.
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str) and _DATE.match(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(None, f"bad date for '{key}': {value!r} (expected YYYY-MM-DD)")

    def parse(self, data: Mapping[str, Any]) -> Catalog:
        self.check_keys(None, data, _TOP_KEYS, (*_TOP_KEYS, "facts"))
        declared = self.declared_facts(data.get("facts"), "facts" in data)
        slug = data["slug"]
        if not isinstance(slug, str) or not _SLUG.match(slug):
            raise self.fail(None, f"bad slug {slug!r}")
        stem = PurePath(self.source)
        if stem.suffix in (".yaml", ".yml") and stem.stem != slug:
            raise self.fail(None, f"slug '{slug}' does not match the file name")
        metadata: dict[str, Any] = {
            key: self.text(None, key, data[key])
            for key in ("title", "issuing_body", "document_number")
        }
        metadata["issued_on"] = self.date("issued_on", data["issued_on"])
        metadata["effective_on"] = self.date("effective_on", data["effective_on"])
        jurisdiction = data["jurisdiction"]
        self.check_keys(
            "jurisdiction", jurisdiction, ("code", "name"), ("code", "name", "province")
        )
        for key, value in jurisdiction.items():
            self.text("jurisdiction", key, value)
        metadata["jurisdiction"] = dict(jurisdiction)

        if not isinstance(data["articles"], list) or not data["articles"]:
            raise self.fail(None, "'articles' must be a non-empty list")
        articles: list[Article] = []
        clauses: dict[str, Clause] = {}
        for index, article_data in enumerate(data["articles"], start=1):
            article = self.article(index, article_data, clauses, articles)
            articles.append(article)
        if not clauses:
            raise self.fail(None, "the catalogue has no clauses")
        procedure = self.procedure(data["procedure"], {article.number for article in articles})
        return Catalog(
            slug,
            metadata,
            procedure,
            articles,
            list(clauses.values()),
            self.vocabulary,
            declared,
        )

    def declared_facts(self, data: Any, given: bool) -> tuple[Fact, ...]:
        """The catalogue's own facts, in the shape of facts.yaml entries. A
        key the vocabulary has already is accepted only with the same type
        and values (as when a stored version is read back after its facts
        were loaded); the conditions are then read over both."""
        if not given:
            return ()
        if not isinstance(data, Mapping) or not data:
            raise self.fail("facts", "'facts' must be a non-empty mapping of fact keys")
        try:
            own = parse_vocabulary(data)
        except VocabularyError as error:
            raise self.fail("facts", str(error)) from None
        for fact in own.facts:
            known = self.vocabulary.get(fact.key)
            if known is not None and (known.type, known.values) != (fact.type, fact.values):
                raise self.fail(
                    "facts",
                    f"fact '{fact.key}' is in the vocabulary already with another type or values",
                )
        merged = [own.get(f.key, f) for f in self.vocabulary.facts]
        merged += [fact for fact in own.facts if fact.key not in self.vocabulary]
        self.vocabulary = Vocabulary(merged)
        return own.facts

    def article(self, index: int, data: Any, seen: dict[str, Clause], before: list) -> Article:
        where = f"article #{index}"
        self.check_keys(where, data, ("number", "text"), ("number", "text", "effect", "clauses"))
        number = data["number"]
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise self.fail(where, f"bad article number {number!r}")
        where = f"article {number}"
        if before and number <= before[-1].number:
            raise self.fail(
                where, f"articles must be in increasing order (after {before[-1].number})"
            )
        text = self.text(where, "text", data["text"])
        effect = self.effect(where, data.get("effect"), "effect" in data)
        clause_list = data.get("clauses", [])
        if not isinstance(clause_list, list):
            raise self.fail(where, "'clauses' must be a list")
        clauses = []
        for position, clause_data in enumerate(clause_list, start=1):
            clause = self.clause(number, text, effect, position, clause_data, seen)
            seen[clause.ref] = clause
            clauses.append(clause)
        return Article(number, text, clauses, effect)

    def effect(self, where: str, value: Any, given: bool) -> str | None:
        if not given:
            return None
        if value not in EFFECTS:
            raise self.fail(where, f"bad effect {value!r} (expected one of {', '.join(EFFECTS)})")
        return value

    def clause(
        self,
        number: int,
        article_text: str,
        article_effect: str | None,
        position: int,
        data: Any,
        seen: dict[str, Clause],
    ) -> Clause:
        where = f"article {number}, clause #{position}"
        self.check_keys(where, data, ("ref", "kind", "text", "requires"), _CLAUSE_KEYS)
        ref = data["ref"]
        if not isinstance(ref, str):
            raise self.fail(where, f"ref must be a quoted string, got {ref!r}")
        where = f"clause {ref}"
        self.check_ref(where, ref, number)
        if ref in seen:
            raise self.fail(where, f"duplicate ref (already in article {seen[ref].article})")
        kind = data["kind"]
        if kind not in KINDS:
            raise self.fail(
                where, f"bad kind {kind!r} (expected principle, exemption or mitigation)"
            )
        text = self.text(where, "text", data["text"])
        if text not in article_text:
            raise self.fail(where, "text is not a verbatim part of the article text")
        effect = self.effect(where, data.get("effect"), "effect" in data) or article_effect
        if effect is not None and (effect == MAY_MITIGATE) != (kind == MITIGATION):
            raise self.fail(where, f"effect '{effect}' does not fit a {kind} clause")

        requires = data["requires"]
        if isinstance(requires, list):  # a list at the top of `requires` means all of it
            if not requires:
                raise self.fail(where, "empty list in requires")
            parts = [self.expr(where, "requires", item) for item in requires]
        else:
            parts = [self.expr(where, "requires", requires)]
        below = data.get("consequence_below")
        if below is not None or "consequence_below" in data:
            parts.append(self.consequence_below(where, "consequence_below", below))
        holds = parts[0] if len(parts) == 1 else _combine("all", parts)

        excluded_if = data.get("excluded_if")
        excluded = None
        if "excluded_if" in data:
            if not isinstance(excluded_if, list) or not excluded_if:
                raise self.fail(where, "'excluded_if' must be a non-empty list (omit it if none)")
            excluded = _combine("any", [self.expr(where, "excluded_if", e) for e in excluded_if])
        return Clause(
            ref,
            kind,
            text,
            number,
            requires,
            below,
            list(excluded_if or []),
            effect,
            holds,
            excluded,
        )

    def check_ref(self, where: str, ref: str, number: int) -> None:
        if ref.startswith(f"{number}."):
            if not _ITEM.match(ref[len(f"{number}.") :]):
                raise self.fail(where, "malformed ref: expected <article>.<item>")
        elif ref.startswith(f"{number}:"):
            if not _PRINCIPLE_NAME.match(ref[len(f"{number}:") :]):
                raise self.fail(where, "malformed ref: expected <article>:<name> (a-z, 0-9, -)")
        else:
            raise self.fail(where, f"ref does not start with its article number {number}")

    def expr(self, where: str, part: str, data: Any) -> _Node:
        if isinstance(data, str):
            fact = self.vocabulary.get(data)
            if fact is None:
                raise self.fail(where, f"unknown fact key '{data}' in {part}")
            if fact.type != "bool":
                raise self.fail(where, f"{fact.type} fact '{data}' used as a condition in {part}")
            return _atom(data)
        if not isinstance(data, Mapping):
            raise self.fail(where, f"malformed expression {data!r} in {part}")
        if len(data) != 1:
            raise self.fail(where, f"an expression needs exactly one operator in {part}")
        ((op, arg),) = data.items()
        if op in ("all", "any"):
            if not isinstance(arg, list):
                raise self.fail(where, f"'{op}' needs a list in {part}")
            if not arg:
                raise self.fail(where, f"empty '{op}' in {part}")
            return _combine(op, [self.expr(where, part, item) for item in arg])
        if op == "not":
            return _not(self.expr(where, part, arg))
        if op == "consequence_below":
            return self.consequence_below(where, part, arg)
        raise self.fail(where, f"unknown operator '{op}' in {part}")

    def consequence_below(self, where: str, part: str, level: Any) -> _Node:
        fact = self.vocabulary.get(CONSEQUENCE)
        if fact is None or fact.type != "enum":
            raise self.fail(where, f"'{CONSEQUENCE}' is not an enum fact of the vocabulary")
        # "below none" can never hold, so only the levels above the first are limits.
        if not isinstance(level, str) or level not in fact.values[1:]:
            expected = ", ".join(fact.values[1:])
            raise self.fail(where, f"bad consequence level {level!r} in {part} ({expected})")
        ranks = {value: rank for rank, value in enumerate(fact.values)}
        return _consequence_below(ranks[level], ranks)

    def procedure(self, data: Any, article_numbers: set[int]) -> dict[str, dict[str, Any]]:
        where = "procedure"
        self.check_keys(where, data, _PROCEDURE_KEYS, _PROCEDURE_KEYS + _OPTIONAL_BOOL_RULES)
        rules = {}
        for key in _PROCEDURE_KEYS + _OPTIONAL_BOOL_RULES:
            entry = data.get(key, {"value": False})
            self.check_keys(f"procedure.{key}", entry, ("value",), ("value", "article"))
            value, article = entry["value"], entry.get("article")
            if article is not None and (
                not isinstance(article, int)
                or isinstance(article, bool)
                or article not in article_numbers
            ):
                raise self.fail(where, f"'{key}' cites article {article!r}, not in the catalogue")
            if key in _BOOL_RULES or key in _OPTIONAL_BOOL_RULES:
                valid = isinstance(value, bool)
            elif key == "intervention_opinion":
                valid = value in INTERVENTION_OPINIONS
            else:
                valid = (
                    isinstance(value, list)
                    and all(isinstance(code, str) and code in MEASURES for code in value)
                    and len(set(value)) == len(value)
                )
            if not valid:
                raise self.fail(where, f"bad value {value!r} for '{key}'")
            rules[key] = {"value": value, "article": article}
        return rules


# --- facts and claims -------------------------------------------------------------


def validate_facts(vocabulary: Vocabulary, facts: Mapping[str, Any]) -> dict[str, bool | str]:
    """Check facts against the vocabulary and return them without the unknown (None) ones.

    Raises FactError naming the key for an unknown key or a value of the wrong type.
    """
    if not isinstance(facts, Mapping):
        raise FactError(None, "facts must be a mapping of fact keys to values")
    known: dict[str, bool | str] = {}
    for key, value in facts.items():
        fact = vocabulary.get(key) if isinstance(key, str) else None
        if fact is None:
            raise FactError(key, f"unknown fact key {key!r}")
        if value is None:
            continue
        if fact.type == "bool" and not isinstance(value, bool):
            raise FactError(key, f"fact '{key}' must be true or false, got {value!r}")
        if fact.type == "enum" and not (isinstance(value, str) and value in fact.values):
            expected = ", ".join(fact.values)
            raise FactError(key, f"fact '{key}' must be one of {expected}, got {value!r}")
        known[key] = value
    return known


def validate_claimed(catalog: Catalog, claimed: Iterable[Any]) -> list[str]:
    """Check claimed clause references; return them once each, in the order given.

    Raises ClaimError for a non-string or a reference not in the catalogue.
    """
    if isinstance(claimed, str | bytes) or not isinstance(claimed, Iterable):
        raise ClaimError(claimed, "claimed must be a list of clause references")
    refs: list[str] = []
    for ref in claimed:
        if not isinstance(ref, str):
            raise ClaimError(ref, f"a claimed clause must be a string, got {ref!r}")
        if ref not in catalog.by_ref:
            raise ClaimError(ref, f"unknown clause '{ref}' in {catalog.slug}")
        if ref not in refs:
            refs.append(ref)
    return refs


# --- assessment -------------------------------------------------------------------


@dataclass(slots=True)
class ClauseResult:
    """One clause's result for one set of facts; missing_facts only when undetermined."""

    ref: str
    kind: str
    result: str  # excluded | satisfied | not_met | undetermined
    missing_facts: list[str]
    effect: str | None = None  # the clause's legal effect (EFFECTS)

    def to_dict(self) -> dict[str, Any]:
        """The clause entry of the command-line JSON."""
        return {
            "ref": self.ref,
            "kind": self.kind,
            "effect": self.effect,
            "result": self.result,
            "missing_facts": list(self.missing_facts),
        }


@dataclass
class Assessment:
    """Every clause's result and the proposed outcome for one subject officer."""

    regulation: str
    outcome: str
    clauses: list[ClauseResult]
    flags: list[str]

    def to_dict(self) -> dict[str, Any]:
        """The command-line JSON: regulation, outcome, clauses, flags."""
        return {
            "regulation": self.regulation,
            "outcome": self.outcome,
            "clauses": [result.to_dict() for result in self.clauses],
            "flags": list(self.flags),
        }


def evaluate_clause(clause: Clause, facts: Facts) -> ClauseResult:
    """Evaluate one clause over three-valued facts (an absent key is unknown)."""
    # Reading order: requires and consequence_below first, then the exclusions, so
    # `missing` fills in the order the missing facts must be listed.
    missing: list[str] = []
    holds = clause.condition.evaluate(facts, missing)
    exclusion = clause.exclusion
    excluded = exclusion.evaluate(facts, missing) if exclusion is not None else False
    if excluded is True:
        return ClauseResult(clause.ref, clause.kind, EXCLUDED, [], clause.effect)
    if holds is False:
        return ClauseResult(clause.ref, clause.kind, NOT_MET, [], clause.effect)
    if holds is True and excluded is False:
        return ClauseResult(clause.ref, clause.kind, SATISFIED, [], clause.effect)
    if len(missing) > 1:
        missing = list(dict.fromkeys(missing))
    return ClauseResult(clause.ref, clause.kind, UNDETERMINED, missing, clause.effect)


def assess(catalog: Catalog, facts: Facts, claimed: Iterable[str] = ()) -> Assessment:
    """Evaluate every clause and propose the outcome for one subject officer.

    `facts` should come from validate_facts (values other than a bool or an enum
    value count as unknown); an unknown claimed clause raises ClaimError.
    """
    claimed_refs = set(validate_claimed(catalog, claimed))
    results = [evaluate_clause(clause, facts) for clause in catalog.clauses]
    fault = facts.get("fault_established")
    return Assessment(
        catalog.slug,
        _outcome(results, fault, claimed_refs),
        results,
        consistency_flags(catalog, facts, results),
    )


def consistency_flags(catalog: Catalog, facts: Facts, results: list[ClauseResult]) -> list[str]:
    """Findings that contradict each other under the regulation's own definitions.

    They warn and never change the outcome: people decide which finding is wrong.
    """
    flags = []
    if facts.get("fault_established") is not True:
        return flags
    procedure = catalog.procedure
    if (
        procedure["fault_requires_intent_or_gross_negligence"]["value"] is True
        and facts.get("intentional_violation") is False
        and facts.get("gross_negligence") is False
    ):
        flags.append(FAULT_WITHOUT_INTENT)
    if any(r.result == SATISFIED and r.effect == NOT_A_FAULT for r in results):
        flags.append(FAULT_DESPITE_NOT_A_FAULT)
    if (
        procedure.get("fault_requires_consequence", {}).get("value") is True
        and CONSEQUENCE in catalog.vocabulary
        and facts.get(CONSEQUENCE) == catalog.vocabulary[CONSEQUENCE].values[0]
    ):
        flags.append(FAULT_WITHOUT_CONSEQUENCE)
    return flags


def _outcome(results: list[ClauseResult], fault: Any, claimed: set[str]) -> str:
    # The order is the domain contract's: the first rule that applies wins.
    if any(r.result == SATISFIED and r.kind != MITIGATION for r in results):
        return EXEMPT
    if (fault is not True and fault is not False) or any(
        r.result == UNDETERMINED and r.ref in claimed for r in results
    ):
        return UNDETERMINED
    if fault is False:
        return NO_FAULT
    if any(r.result == SATISFIED and r.kind == MITIGATION for r in results):
        return MITIGATED
    return LIABLE
