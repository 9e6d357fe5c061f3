"""manage.py assess, held to the domain README's command-line contract: JSON in,
JSON out with every clause of the catalogue; bad input exits with status 2, one
line on stderr naming what is wrong, and nothing on stdout.

In-process through call_command (test database, loaded or not) and as a real
process (a fresh, never-migrated SQLite file: the YAML files answer).
"""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from exemptions.models import Article, Clause, Fact, Regulation, RegulationVersion
from exemptions.services import CATALOG_DIR

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
README_INPUT = {
    "facts": {"false_materials_provided": True, "consequence": "minor"},
    "claimed": ["6.1"],
}
FULL_6_1 = {
    "facts": {
        "formal_review_only": True,
        "formal_review_duty_fulfilled": True,
        "false_materials_provided": True,
        "consequence": "minor",
    },
    "claimed": ["6.1"],
}


def catalogue_refs(slug: str) -> list[str]:
    """The clause refs of a catalogue file in the order the file lists them."""
    data = yaml.safe_load((CATALOG_DIR / f"{slug}.yaml").read_text("utf-8"))
    return [clause["ref"] for article in data["articles"] for clause in article.get("clauses", [])]


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """call_command, returning (exit status, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    options = {"stdout": out, "stderr": err}
    if stdin is not None:
        options["stdin"] = StringIO(stdin)
    try:
        call_command("assess", *args, **options)
    except SystemExit as exit:
        return exit.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def assess_stdin(document, regulation="taian-2020") -> tuple[int, str, str]:
    return run("--regulation", regulation, "--facts", "-", stdin=json.dumps(document))


def clause(output: dict, ref: str) -> dict:
    return next(entry for entry in output["clauses"] if entry["ref"] == ref)


# --- output -------------------------------------------------------------------------------------


def test_it_reads_a_file_and_writes_the_assessment(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(FULL_6_1), "utf-8")
    status, out, err = run("--regulation", "taian-2020", "--facts", str(path))
    assert (status, err) == (0, "")
    output = json.loads(out)
    assert output["regulation"] == "taian-2020"
    assert output["outcome"] == "exempt"
    assert clause(output, "6.1") == {
        "ref": "6.1",
        "kind": "exemption",
        "effect": "may_exempt",
        "result": "satisfied",
        "missing_facts": [],
    }


def test_it_reads_stdin():
    status, out, err = assess_stdin(FULL_6_1)
    assert (status, err) == (0, "")
    assert json.loads(out)["outcome"] == "exempt"


def test_the_readme_input_leaves_6_1_undetermined_until_the_formal_review_is_established():
    # The README's input alone does not satisfy 6.1: the catalogue reads 第六条（一）
    # as needing a formal-review-only matter and the duty fulfilled as well.
    status, out, _ = assess_stdin(README_INPUT)
    output = json.loads(out)
    assert status == 0
    assert output["outcome"] == "undetermined"
    assert clause(output, "6.1") == {
        "ref": "6.1",
        "kind": "exemption",
        "effect": "may_exempt",
        "result": "undetermined",
        "missing_facts": ["formal_review_only", "formal_review_duty_fulfilled"],
    }


@pytest.mark.parametrize("slug", ["taian-2020", "lianyungang-2022"])
def test_the_output_has_every_clause_in_catalogue_order(slug):
    status, out, _ = assess_stdin({"facts": {}}, regulation=slug)
    output = json.loads(out)
    assert status == 0
    assert set(output) == {"regulation", "outcome", "clauses", "flags"}
    assert [entry["ref"] for entry in output["clauses"]] == catalogue_refs(slug)
    for entry in output["clauses"]:
        assert set(entry) == {"ref", "kind", "effect", "result", "missing_facts"}
    assert output["outcome"] == "undetermined"


def test_each_clause_carries_its_article_s_legal_effect():
    taian = {e["ref"]: e["effect"] for e in json.loads(assess_stdin({"facts": {}})[1])["clauses"]}
    lyg = json.loads(assess_stdin({"facts": {}}, regulation="lianyungang-2022")[1])["clauses"]
    lyg = {e["ref"]: e["effect"] for e in lyg}
    assert (taian["4:no-duty"], taian["4:causation"]) == ("shall_not_pursue", "shall_not_pursue")
    assert taian["4:level"] == "presumed_not_pursued"
    assert {taian[f"6.{n}"] for n in range(1, 17)} == {"may_exempt"}
    assert {taian[f"7.{n}"] for n in range(1, 4)} == {"may_mitigate"}
    assert {lyg[f"8.{n}"] for n in range(1, 29)} == {"not_a_fault"}
    assert {lyg[f"9.{n}"] for n in range(1, 4)} == {"may_mitigate"}


def test_it_flags_a_fault_beside_a_satisfied_not_a_fault_clause():
    facts = {"fault_established": True, "dissent_recorded": True, "consequence": "minor"}
    status, out, _ = assess_stdin({"facts": facts}, regulation="lianyungang-2022")
    output = json.loads(out)
    assert status == 0
    assert output["flags"] == ["fault_established_despite_not_a_fault_clause"]
    assert output["outcome"] == "exempt"  # flags warn; they do not decide


def test_it_flags_a_lianyungang_fault_with_no_harmful_consequence():
    facts = {"fault_established": True, "consequence": "none"}
    status, out, _ = assess_stdin({"facts": facts}, regulation="lianyungang-2022")
    assert json.loads(out)["flags"] == ["fault_without_harmful_consequence"]


def test_taian_neither_flags_a_fault_without_consequence_nor_beside_a_may_exempt_clause():
    facts = {"fault_established": True, "consequence": "none", "force_majeure": True}
    facts |= {"formal_review_only": True, "formal_review_duty_fulfilled": True}
    facts |= {"false_materials_provided": True}
    status, out, _ = assess_stdin({"facts": facts})
    output = json.loads(out)
    assert (output["outcome"], output["flags"]) == ("exempt", [])


def test_claimed_is_optional_and_facts_may_be_null():
    status, out, _ = assess_stdin({"facts": {"fault_established": False, "personal_gain": None}})
    assert status == 0
    assert json.loads(out)["outcome"] == "no_fault"


def test_it_flags_a_fault_without_intent_or_gross_negligence_under_lianyungang():
    facts = {"fault_established": True, "intentional_violation": False, "gross_negligence": False}
    _, out, _ = assess_stdin({"facts": facts}, regulation="lianyungang-2022")
    assert json.loads(out)["flags"] == ["fault_without_intent_or_gross_negligence"]


def test_the_loaded_catalogue_answers_the_same_as_the_file():
    # The test session loads the catalogues; without them the file answers.
    for model in (Clause, Article, RegulationVersion, Regulation, Fact):
        model.objects.all().delete()
    from_file = assess_stdin(FULL_6_1)
    call_command("load_catalogs", stdout=StringIO())
    assert assess_stdin(FULL_6_1) == from_file


# --- bad input ----------------------------------------------------------------------------------

BAD_DOCUMENTS = [
    pytest.param({"facts": {"no_such_fact": True}}, "'no_such_fact'", id="unknown-fact-key"),
    pytest.param({"facts": {"fault_established": "yes"}}, "'fault_established'", id="wrong-type"),
    pytest.param({"facts": {"consequence": "huge"}}, "'consequence'", id="bad-enum-value"),
    pytest.param({"facts": {"consequence": True}}, "'consequence'", id="enum-given-a-bool"),
    pytest.param({"facts": {}, "claimed": ["99.1"]}, "'99.1'", id="unknown-claimed-clause"),
    pytest.param({"facts": {}, "claimed": [6]}, "claimed", id="claimed-not-a-string"),
    pytest.param([1, 2], "JSON object", id="top-level-not-an-object"),
    pytest.param({"facts": [1]}, "'facts'", id="facts-not-an-object"),
    pytest.param({"facts": {}, "claimed": "6.1"}, "'claimed'", id="claimed-not-a-list"),
    pytest.param({"facts": {}, "extra": 1}, "'extra'", id="unknown-top-level-key"),
    pytest.param({"claimed": ["6.1"]}, "'facts'", id="facts-missing"),
    pytest.param({"facts": {"two\nlines": True}}, "two\\nlines", id="key-with-a-newline"),
]


def assert_refused(status: int, out: str, err: str, names: str) -> None:
    assert status == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert names in err


@pytest.mark.parametrize("document, names", BAD_DOCUMENTS)
def test_bad_input_exits_2_with_one_line_naming_the_key(document, names):
    assert_refused(*assess_stdin(document), names)


def test_an_unknown_regulation_is_refused():
    assert_refused(*assess_stdin({"facts": {}}, regulation="nowhere-2030"), "'nowhere-2030'")


def test_a_regulation_that_is_not_a_slug_is_refused():
    assert_refused(*assess_stdin({"facts": {}}, regulation="../facts"), "'../facts'")


def test_an_unreadable_file_is_refused(tmp_path):
    missing = tmp_path / "missing.json"
    assert_refused(*run("--regulation", "taian-2020", "--facts", str(missing)), "missing.json")


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "case.json"
    path.write_bytes('{"facts": {}, "note": "泰安"}'.encode("gb18030"))
    assert_refused(*run("--regulation", "taian-2020", "--facts", str(path)), "case.json")


def test_invalid_json_is_refused():
    assert_refused(*run("--regulation", "taian-2020", "--facts", "-", stdin="{facts"), "JSON")


def test_a_missing_argument_is_refused_in_one_line(capsys):
    # Arguments are parsed before call_command's streams are in place.
    status, out, err = run("--regulation", "taian-2020")
    captured = capsys.readouterr()
    assert_refused(status, out + captured.out, err + captured.err, "--facts")


# --- as a real process ----------------------------------------------------------------------------


@pytest.fixture
def process_env(tmp_path):
    """The environment of a real `manage.py assess`: a fresh SQLite file that was
    never migrated, so the catalogue comes from the YAML files."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    env.setdefault("SECRET_KEY", "assess-subprocess-test-key")
    return env


def manage_assess(env, *args, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "assess", *args],
        cwd=REPO,
        env=env,
        input=stdin.encode("utf-8"),
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_a_process_reads_stdin_on_a_fresh_database(process_env):
    result = manage_assess(
        process_env, "--regulation", "taian-2020", "--facts", "-", stdin=json.dumps(FULL_6_1)
    )
    assert (result.returncode, result.stderr) == (0, b"")
    output = json.loads(result.stdout)
    assert output["outcome"] == "exempt"
    assert clause(output, "6.1")["result"] == "satisfied"
    assert [entry["ref"] for entry in output["clauses"]] == catalogue_refs("taian-2020")


def test_a_process_reads_a_file(process_env, tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"facts": {}}), "utf-8")
    result = manage_assess(process_env, "--regulation", "lianyungang-2022", "--facts", str(path))
    assert result.returncode == 0
    output = json.loads(result.stdout)
    assert [entry["ref"] for entry in output["clauses"]] == catalogue_refs("lianyungang-2022")


def test_a_process_on_the_configured_database_gives_the_same_answer(process_env):
    # Whatever the configured database holds (loaded or not), the answer is the file's.
    env = {key: value for key, value in process_env.items() if key != "DATABASE_URL"}
    if "DATABASE_URL" in os.environ:
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    fresh = manage_assess(
        process_env, "--regulation", "taian-2020", "--facts", "-", stdin=json.dumps(README_INPUT)
    )
    configured = manage_assess(
        env, "--regulation", "taian-2020", "--facts", "-", stdin=json.dumps(README_INPUT)
    )
    assert configured.returncode == 0, configured.stderr
    assert configured.stdout == fresh.stdout


@pytest.mark.parametrize(
    "args, stdin, names",
    [
        (("--regulation", "nowhere-2030", "--facts", "-"), '{"facts": {}}', b"'nowhere-2030'"),
        (("--regulation", "taian-2020", "--facts", "-"), '{"facts": {"bogus": true}}', b"'bogus'"),
        (
            ("--regulation", "taian-2020", "--facts", "-"),
            '{"facts": {"fault_established": 1}}',
            b"'fault_established'",
        ),
        (
            ("--regulation", "taian-2020", "--facts", "-"),
            '{"facts": {}, "claimed": ["8.1"]}',
            b"'8.1'",
        ),
        (("--regulation", "taian-2020", "--facts", "/nonexistent/case.json"), "", b"case.json"),
        (("--regulation", "taian-2020", "--facts", "-"), "{not json", b"JSON"),
        (("--regulation", "taian-2020", "--facts", "-"), "[]", b"JSON object"),
        (("--regulation", "taian-2020", "--facts", "-"), '{"facts": "x"}', b"'facts'"),
        (
            ("--regulation", "taian-2020", "--facts", "-"),
            '{"facts": {}, "claimed": {}}',
            b"'claimed'",
        ),
        (("--regulation", "taian-2020", "--facts", "-"), '{"facts": {}, "note": 1}', b"'note'"),
        (("--regulation", "taian-2020"), "", b"--facts"),
    ],
    ids=[
        "unknown-regulation",
        "unknown-fact-key",
        "wrong-type",
        "unknown-claimed-clause",
        "unreadable-file",
        "invalid-json",
        "top-level-not-an-object",
        "facts-not-an-object",
        "claimed-not-a-list",
        "unknown-top-level-key",
        "missing-argument",
    ],
)
def test_a_process_refuses_bad_input_with_status_2_and_one_line(process_env, args, stdin, names):
    result = manage_assess(process_env, *args, stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.count(b"\n") == 1 and result.stderr.endswith(b"\n"), result.stderr
    assert names in result.stderr
