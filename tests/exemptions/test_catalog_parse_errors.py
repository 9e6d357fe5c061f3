"""Every way a catalogue file can be wrong raises CatalogError naming the file and the place."""

import copy
import datetime

import pytest

from exemptions.engine import CatalogError, VocabularyError, parse_catalog, parse_vocabulary

SOURCE = "test-2020.yaml"
FACT_SPEC = {"type": "bool", "label_zh": "事实", "description": "a fact"}
CONSEQUENCE_SPEC = {
    "type": "enum",
    "values": ["none", "minor", "major", "severe"],
    "label_zh": "后果",
    "description": "ordered",
}
VOCABULARY = parse_vocabulary(
    {**{key: FACT_SPEC for key in ("a", "b", "c", "d")}, "consequence": CONSEQUENCE_SPEC}
)
PROCEDURE_BOOLS = (
    "expert_panel_required_when_disputed",
    "no_liability_filing_required",
    "no_liability_publication_required",
    "close_requires_filing_and_publication",
    "fault_requires_intent_or_gross_negligence",
    "transfer_to_discipline_organs",
    "no_second_sanction_after_discipline_organs",
)
VALID = {
    "slug": "test-2020",
    "title": "测试办法",
    "issuing_body": "测试局",
    "document_number": "测字〔2020〕1号",
    "issued_on": datetime.date(2020, 4, 24),
    "effective_on": "2020-04-24",
    "jurisdiction": {"code": "test", "name": "测试市", "province": "测试省"},
    "procedure": {
        **{key: {"value": False} for key in PROCEDURE_BOOLS},
        "intervention_opinion": {"value": "required", "article": 6},
        "measures": {"value": ["talk_reminder"], "article": 6},
    },
    "articles": [
        {"number": 1, "text": "为了测试，制定本办法。", "clauses": []},
        {
            "number": 4,
            "text": "无监管职责则无责任追究。",
            "clauses": [
                {
                    "ref": "4:no-duty",
                    "kind": "principle",
                    "text": "无监管职责则无责任追究",
                    "requires": {"not": "a"},
                }
            ],
        },
        {
            "number": 6,
            "text": "有下列情形之一的，不予追究：（一）甲；（二）乙；（三）丙。",
            "clauses": [
                {"ref": "6.1", "kind": "exemption", "text": "甲", "requires": "a"},
                {"ref": "6.2", "kind": "exemption", "text": "乙", "requires": ["a", "b"]},
                {
                    "ref": "6.3",
                    "kind": "exemption",
                    "text": "丙",
                    "requires": {"any": ["b", {"not": "c"}]},
                    "consequence_below": "severe",
                    "excluded_if": ["d"],
                },
            ],
        },
    ],
}


def parse(data, vocabulary=VOCABULARY, source=SOURCE):
    return parse_catalog(data, vocabulary, source)


def broken(change):
    """A copy of the valid catalogue with `change(data)` applied."""
    data = copy.deepcopy(VALID)
    change(data)
    return data


def clause_63(data):
    return data["articles"][2]["clauses"][2]


def error_for(change):
    with pytest.raises(CatalogError) as error:
        parse(broken(change))
    return error.value


def test_the_valid_catalogue_parses():
    catalog = parse(VALID)
    assert [clause.ref for clause in catalog.clauses] == ["4:no-duty", "6.1", "6.2", "6.3"]
    assert catalog.metadata["issued_on"] == datetime.date(2020, 4, 24)
    assert catalog.metadata["effective_on"] == datetime.date(2020, 4, 24)
    assert catalog.procedure["measures"] == {"value": ["talk_reminder"], "article": 6}
    assert catalog.procedure["transfer_to_discipline_organs"] == {"value": False, "article": None}


def test_the_error_names_source_clause_and_problem():
    def change(data):
        clause_63(data)["requires"] = {"any": ["b", "foo"]}

    error = error_for(change)
    assert str(error) == "test-2020.yaml: clause 6.3: unknown fact key 'foo' in requires"
    assert (error.source, error.where) == (SOURCE, "clause 6.3")


# --- top level ----------------------------------------------------------------------


@pytest.mark.parametrize("key", list(VALID))
def test_a_missing_top_level_key(key):
    error = error_for(lambda data: data.pop(key))
    assert str(error) == f"test-2020.yaml: missing key '{key}'"


def test_an_unknown_top_level_key():
    error = error_for(lambda data: data.update(efective_on="2020-04-24"))
    assert str(error) == "test-2020.yaml: unknown key 'efective_on'"


def test_a_catalogue_that_is_not_a_mapping():
    with pytest.raises(CatalogError, match="^test-2020.yaml: expected a mapping"):
        parse([VALID])


@pytest.mark.parametrize("slug", ["Test-2020", "test_2020", "", 2020])
def test_a_bad_slug(slug):
    assert "bad slug" in str(error_for(lambda data: data.update(slug=slug)))


def test_a_slug_that_does_not_match_the_file_name():
    with pytest.raises(CatalogError, match="^other-2021.yaml: slug 'test-2020' does not match"):
        parse(VALID, source="other-2021.yaml")


@pytest.mark.parametrize(
    "value",
    [
        "2020-13-01",
        "2020-02-30",
        "24/04/2020",
        "20200424",
        20200424,
        None,
        "",
        datetime.datetime(2020, 4, 24, 8, 0, tzinfo=datetime.UTC),
    ],
)
@pytest.mark.parametrize("key", ["issued_on", "effective_on"])
def test_a_bad_date(key, value):
    error = error_for(lambda data: data.update({key: value}))
    assert str(error).startswith(f"test-2020.yaml: bad date for '{key}'")


@pytest.mark.parametrize("key", ["title", "issuing_body", "document_number"])
@pytest.mark.parametrize("value", ["", "  ", None, 7])
def test_an_empty_text_field(key, value):
    error = error_for(lambda data: data.update({key: value}))
    assert str(error) == f"test-2020.yaml: '{key}' must be a non-empty string"


def test_a_jurisdiction_without_a_name():
    error = error_for(lambda data: data["jurisdiction"].pop("name"))
    assert str(error) == "test-2020.yaml: jurisdiction: missing key 'name'"


def test_a_jurisdiction_with_an_unknown_key():
    error = error_for(lambda data: data["jurisdiction"].update(county="x"))
    assert str(error) == "test-2020.yaml: jurisdiction: unknown key 'county'"


# --- procedure ----------------------------------------------------------------------


def test_an_unknown_procedure_key():
    error = error_for(lambda data: data["procedure"].update(expert_panel={"value": True}))
    assert str(error) == "test-2020.yaml: procedure: unknown key 'expert_panel'"


def test_a_missing_procedure_key():
    error = error_for(lambda data: data["procedure"].pop("measures"))
    assert str(error) == "test-2020.yaml: procedure: missing key 'measures'"


def test_a_procedure_rule_without_a_value():
    error = error_for(lambda data: data["procedure"].update(measures={"article": 6}))
    assert str(error) == "test-2020.yaml: procedure.measures: missing key 'value'"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("no_liability_filing_required", "yes"),
        ("fault_requires_intent_or_gross_negligence", 1),
        ("intervention_opinion", "sometimes"),
        ("measures", ["talk_reminder", "fine"]),
        ("measures", ["talk_reminder", "talk_reminder"]),
        ("measures", "talk_reminder"),
    ],
)
def test_a_bad_procedure_value(key, value):
    error = error_for(lambda data: data["procedure"].update({key: {"value": value}}))
    assert str(error).startswith(f"test-2020.yaml: procedure: bad value {value!r} for '{key}'")


@pytest.mark.parametrize("article", [9, "6", True])
def test_a_procedure_rule_citing_an_article_not_in_the_catalogue(article):
    error = error_for(
        lambda data: data["procedure"].update(
            intervention_opinion={"value": "none", "article": article}
        )
    )
    assert str(error).startswith("test-2020.yaml: procedure: 'intervention_opinion' cites article")


# --- articles -----------------------------------------------------------------------


@pytest.mark.parametrize("articles", [[], None, {"number": 1}])
def test_articles_must_be_a_non_empty_list(articles):
    error = error_for(lambda data: data.update(articles=articles))
    assert str(error) == "test-2020.yaml: 'articles' must be a non-empty list"


@pytest.mark.parametrize("number", [0, -1, "6", True, None])
def test_a_bad_article_number(number):
    error = error_for(lambda data: data["articles"][0].update(number=number))
    assert str(error).startswith("test-2020.yaml: article #1: bad article number")


def test_a_repeated_article_number():
    error = error_for(lambda data: data["articles"][2].update(number=4))
    assert str(error) == "test-2020.yaml: article 4: articles must be in increasing order (after 4)"


def test_articles_out_of_order():
    def change(data):
        data["articles"][1], data["articles"][2] = data["articles"][2], data["articles"][1]

    error = error_for(change)
    assert str(error) == "test-2020.yaml: article 4: articles must be in increasing order (after 6)"


def test_an_article_without_text():
    error = error_for(lambda data: data["articles"][0].update(text=""))
    assert str(error) == "test-2020.yaml: article 1: 'text' must be a non-empty string"


def test_an_unknown_article_key():
    error = error_for(lambda data: data["articles"][0].update(title="总则"))
    assert str(error) == "test-2020.yaml: article #1: unknown key 'title'"


def test_article_clauses_must_be_a_list():
    error = error_for(lambda data: data["articles"][0].update(clauses={}))
    assert str(error) == "test-2020.yaml: article 1: 'clauses' must be a list"


def test_a_catalogue_without_clauses():
    def change(data):
        for article in data["articles"]:
            article["clauses"] = []

    assert str(error_for(change)) == "test-2020.yaml: the catalogue has no clauses"


# --- clauses: identity ----------------------------------------------------------------


@pytest.mark.parametrize("key", ["ref", "kind", "text", "requires"])
def test_a_missing_clause_key(key):
    error = error_for(lambda data: clause_63(data).pop(key))
    assert str(error) == f"test-2020.yaml: article 6, clause #3: missing key '{key}'"


def test_an_unknown_clause_key():
    error = error_for(lambda data: clause_63(data).update(exclude_if=["a"]))
    assert str(error) == "test-2020.yaml: article 6, clause #3: unknown key 'exclude_if'"


def test_an_unquoted_ref_read_as_a_number():
    error = error_for(lambda data: clause_63(data).update(ref=6.3))
    assert (
        str(error) == "test-2020.yaml: article 6, clause #3: ref must be a quoted string, got 6.3"
    )


@pytest.mark.parametrize("ref", ["7.3", "4:no-duty-2", "63", "16.3", "6-3"])
def test_a_ref_that_does_not_start_with_its_article_number(ref):
    if ref == "4:no-duty-2":
        ref = "5:no-duty"
    error = error_for(lambda data: clause_63(data).update(ref=ref))
    assert (
        str(error) == f"test-2020.yaml: clause {ref}: ref does not start with its article number 6"
    )


@pytest.mark.parametrize("ref", ["6.", "6.x", "6.03", "6.3.1", "6:", "6:No-Duty", "6:no duty"])
def test_a_malformed_ref(ref):
    error = error_for(lambda data: clause_63(data).update(ref=ref))
    assert str(error).startswith(f"test-2020.yaml: clause {ref}: malformed ref")


def test_a_duplicate_ref_in_the_same_article():
    error = error_for(lambda data: clause_63(data).update(ref="6.1"))
    assert str(error) == "test-2020.yaml: clause 6.1: duplicate ref (already in article 6)"


def test_a_duplicate_principle_ref_across_articles():
    def change(data):
        data["articles"][1]["clauses"].append(copy.deepcopy(data["articles"][1]["clauses"][0]))

    error = error_for(change)
    assert str(error) == "test-2020.yaml: clause 4:no-duty: duplicate ref (already in article 4)"


@pytest.mark.parametrize("kind", ["exception", "Exemption", "", None])
def test_a_bad_kind(kind):
    error = error_for(lambda data: clause_63(data).update(kind=kind))
    assert str(error).startswith(f"test-2020.yaml: clause 6.3: bad kind {kind!r}")


@pytest.mark.parametrize("text", ["", "   ", None])
def test_an_empty_clause_text(text):
    error = error_for(lambda data: clause_63(data).update(text=text))
    assert str(error) == "test-2020.yaml: clause 6.3: 'text' must be a non-empty string"


def test_a_clause_text_that_is_not_in_the_article():
    error = error_for(lambda data: clause_63(data).update(text="丁"))
    assert (
        str(error) == "test-2020.yaml: clause 6.3: text is not a verbatim part of the article text"
    )


# --- clauses: conditions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("requires", "foo"),
        ("requires", ["a", "foo"]),
        ("requires", {"all": ["a", {"not": "foo"}]}),
        ("excluded_if", ["d", "foo"]),
        ("excluded_if", [{"any": ["foo"]}]),
    ],
)
def test_an_unknown_fact_key(field, value):
    error = error_for(lambda data: clause_63(data).update({field: value}))
    assert str(error) == f"test-2020.yaml: clause 6.3: unknown fact key 'foo' in {field}"


@pytest.mark.parametrize(
    ("requires", "message"),
    [
        ({"either": ["a", "b"]}, "unknown operator 'either' in requires"),
        ({"none": ["a"]}, "unknown operator 'none' in requires"),
        ({"all": []}, "empty 'all' in requires"),
        ({"any": []}, "empty 'any' in requires"),
        ({"all": "a"}, "'all' needs a list in requires"),
        ({"any": {"a": True}}, "'any' needs a list in requires"),
        ({"all": ["a"], "any": ["b"]}, "an expression needs exactly one operator in requires"),
        ({}, "an expression needs exactly one operator in requires"),
        ([], "empty list in requires"),
        (True, "malformed expression True in requires"),
        (None, "malformed expression None in requires"),
        (["a", ["b"]], "malformed expression ['b'] in requires"),
        ({"not": ["a", "b"]}, "malformed expression ['a', 'b'] in requires"),
        ("consequence", "enum fact 'consequence' used as a condition in requires"),
        ({"not": "consequence"}, "enum fact 'consequence' used as a condition in requires"),
    ],
)
def test_a_malformed_expression(requires, message):
    error = error_for(lambda data: clause_63(data).update(requires=requires))
    assert str(error) == f"test-2020.yaml: clause 6.3: {message}"


@pytest.mark.parametrize("level", ["none", "huge", "Major", None, 2])
def test_a_bad_consequence_level(level):
    error = error_for(lambda data: clause_63(data).update(consequence_below=level))
    assert str(error).startswith(
        f"test-2020.yaml: clause 6.3: bad consequence level {level!r} in consequence_below"
    )


def test_a_bad_consequence_level_inside_an_expression():
    error = error_for(lambda data: clause_63(data).update(requires={"consequence_below": "huge"}))
    assert str(error).startswith(
        "test-2020.yaml: clause 6.3: bad consequence level 'huge' in requires"
    )


def test_consequence_below_needs_an_enum_consequence_fact():
    vocabulary = parse_vocabulary({key: FACT_SPEC for key in ("a", "b", "c", "d")})
    with pytest.raises(CatalogError) as error:
        parse(VALID, vocabulary=vocabulary)
    assert str(error.value).startswith("test-2020.yaml: clause 6.3: 'consequence' is not an enum")


@pytest.mark.parametrize("excluded_if", [[], "d", {"any": ["d"]}, None])
def test_excluded_if_must_be_a_non_empty_list(excluded_if):
    error = error_for(lambda data: clause_63(data).update(excluded_if=excluded_if))
    assert str(error).startswith(
        "test-2020.yaml: clause 6.3: 'excluded_if' must be a non-empty list"
    )


def test_a_malformed_exclusion():
    error = error_for(lambda data: clause_63(data).update(excluded_if=[{"all": []}]))
    assert str(error) == "test-2020.yaml: clause 6.3: empty 'all' in excluded_if"


# --- vocabulary -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "non-empty mapping"),
        ({"Bad-Key": FACT_SPEC}, "bad fact key"),
        ({"a": {**FACT_SPEC, "type": "int"}}, "type must be bool or enum"),
        ({"a": {**FACT_SPEC, "values": ["x"]}}, "a bool fact has no values"),
        ({"a": {**CONSEQUENCE_SPEC, "values": []}}, "values must be a list of distinct strings"),
        ({"a": {**CONSEQUENCE_SPEC, "values": ["x", "x"]}}, "distinct strings"),
        ({"a": {**FACT_SPEC, "label_zh": ""}}, "label_zh and description are required"),
        ({"a": {"type": "bool", "label_zh": "x"}}, "label_zh and description are required"),
        ({"a": {**FACT_SPEC, "label": "x"}}, "unknown field 'label'"),
        ({"a": "bool"}, "expected a mapping"),
    ],
)
def test_a_malformed_vocabulary(data, message):
    with pytest.raises(VocabularyError, match=message):
        parse_vocabulary(data)
