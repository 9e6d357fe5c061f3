"""One contract for every management command of the project (config/commands.py):
bad input exits with status 2 and one line on stderr naming what is wrong,
prints nothing on stdout and changes nothing. Run as from the command line
(run_from_argv), in-process; the unmigrated database in real processes."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from django.db import connections

from audit.models import AuditEvent
from cases.models import Case
from documents.models import Document
from exemptions.models import Clause, Fact, RegulationVersion
from exemptions.services import CATALOG_DIR
from tests.factories import CaseFactory, SubjectOfficerFactory

ROOT = Path(__file__).resolve().parents[1]
# Every command of the project's own apps (flush is Django's, adapted).
PROJECT_COMMANDS = {
    "assess",
    "build_filing_package",
    "load_catalogs",
    "make_demo_pki",
    "precedents_backfill",
    "prepare_document_fonts",
    "render_document",
    "seed_demo",
    "send_digests",
    "verify_audit",
    "verify_package",
    "workflow",
}
UNKNOWN_CASE = "泰市监〔1999〕9号"


@pytest.fixture
def run(capsys, monkeypatch):
    """Run a command as manage.py would; return (status, stdout, stderr)."""
    # run_from_argv closes the connections at the end: not the test's own.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run_command(name: str, *args: str) -> tuple[int, str, str]:
        command = load_command_class(get_commands()[name], name)
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit:
            command.run_from_argv(["manage.py", name, *args])
        out, err = capsys.readouterr()
        return exit.value.code, out, err

    return run_command


def snapshot() -> dict:
    return {
        "cases": Case.objects.count(),
        "documents": Document.objects.count(),
        "events": AuditEvent.objects.count(),
        "versions": RegulationVersion.objects.count(),
        "clauses": Clause.objects.count(),
        "facts": Fact.objects.count(),
    }


def assert_refused(result, *words: str) -> None:
    status, out, err = result
    assert status == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    for word in words:
        assert word in err


@pytest.fixture
def case(unit):
    case = CaseFactory(unit=unit)
    SubjectOfficerFactory(case=case)
    return case


def test_every_project_command_uses_the_contract():
    from config.commands import ProjectCommand

    own = {
        name
        for name, app in get_commands().items()
        if not app.startswith("django.") and app not in ("whitenoise", "crispy_forms", "axes")
    } - {"flush", "runserver"}
    assert own == PROJECT_COMMANDS
    for name in own:
        assert isinstance(load_command_class(get_commands()[name], name), ProjectCommand), name


@pytest.mark.django_db
class TestRenderDocument:
    def test_it_refuses_an_unknown_case(self, run, case, tmp_path):
        before = snapshot()
        output = tmp_path / "x.pdf"
        result = run("render_document", UNKNOWN_CASE, "intake_form", "-o", str(output))
        assert_refused(result, "unknown case")
        assert not output.exists()
        assert snapshot() == before

    def test_it_refuses_an_unknown_kind(self, run, case, tmp_path):
        result = run("render_document", case.number, "poem", "-o", str(tmp_path / "x.pdf"))
        assert_refused(result, "unknown document kind: poem")

    def test_it_refuses_a_kind_the_stage_has_not_reached(self, run, case, tmp_path):
        before = snapshot()
        result = run("render_document", case.number, "minutes", "-o", str(tmp_path / "x.pdf"))
        assert_refused(result, "has no minutes yet")
        assert snapshot() == before

    def test_it_refuses_an_output_in_a_missing_directory(self, run, case, tmp_path):
        output = tmp_path / "missing" / "x.pdf"
        result = run("render_document", case.number, "intake_form", "-o", str(output))
        assert_refused(result, "does not exist")
        assert not output.parent.exists()

    def test_it_refuses_an_output_that_is_a_directory(self, run, case, tmp_path):
        result = run("render_document", case.number, "intake_form", "-o", str(tmp_path))
        assert_refused(result, "is a directory")

    def test_it_refuses_missing_arguments_in_one_line(self, run):
        assert_refused(run("render_document"), "required")

    def test_it_refuses_an_officer_for_a_kind_written_for_the_case(self, run, case, tmp_path):
        result = run(
            "render_document",
            case.number,
            "intake_form",
            "--officer",
            "nobody",
            "-o",
            str(tmp_path / "x.pdf"),
        )
        assert_refused(result, "drop --officer")


@pytest.mark.django_db
class TestBuildFilingPackage:
    def test_it_refuses_an_unknown_case(self, run, tmp_path):
        output = tmp_path / "x.zip"
        assert_refused(run("build_filing_package", UNKNOWN_CASE, "-o", str(output)), "unknown case")
        assert not output.exists()

    def test_it_refuses_a_case_not_yet_decided(self, run, case, tmp_path):
        before = snapshot()
        output = tmp_path / "x.zip"
        result = run("build_filing_package", case.number, "-o", str(output))
        assert_refused(result, "nothing to file")
        assert not output.exists()
        assert snapshot() == before

    def test_it_refuses_an_unwritable_output(self, run, case, tmp_path):
        result = run("build_filing_package", case.number, "-o", str(tmp_path / "no" / "x.zip"))
        assert_refused(result, "does not exist")

    def test_it_refuses_an_unknown_option(self, run, tmp_path):
        result = run("build_filing_package", "X", "-o", str(tmp_path / "x.zip"), "--frobnicate")
        assert_refused(result, "unrecognized arguments")


@pytest.mark.django_db
class TestLoadCatalogs:
    def test_it_refuses_a_directory_that_does_not_exist(self, run, catalogs, tmp_path):
        before = snapshot()
        assert_refused(run("load_catalogs", "--dir", str(tmp_path / "none")), "not a directory")
        assert snapshot() == before

    def test_it_refuses_a_file_given_as_the_directory(self, run, catalogs, tmp_path):
        path = tmp_path / "facts.yaml"
        path.write_text("x: 1\n")
        assert_refused(run("load_catalogs", "--dir", str(path)), "not a directory")

    def test_it_refuses_a_broken_vocabulary_and_loads_nothing(self, run, catalogs, tmp_path):
        for source in CATALOG_DIR.glob("*.yaml"):
            (tmp_path / source.name).write_text(source.read_text("utf-8"), "utf-8")
        facts = tmp_path / "facts.yaml"
        facts.write_text(facts.read_text("utf-8").replace("type: bool", "type: maybe", 1))
        before = snapshot()
        assert_refused(run("load_catalogs", "--dir", str(tmp_path)), "facts.yaml")
        assert snapshot() == before

    def test_it_refuses_a_malformed_catalogue_on_one_line(self, run, catalogs, tmp_path):
        for source in CATALOG_DIR.glob("*.yaml"):
            (tmp_path / source.name).write_text(source.read_text("utf-8"), "utf-8")
        (tmp_path / "taian-2020.yaml").write_text("articles: [\n", "utf-8")
        before = snapshot()
        assert_refused(run("load_catalogs", "--dir", str(tmp_path)), "taian-2020.yaml")
        assert snapshot() == before


@pytest.mark.django_db
class TestVerifyAudit:
    def test_it_refuses_a_batch_size_below_one(self, run):
        assert_refused(run("verify_audit", "--batch-size", "0"), "--batch-size")

    def test_it_refuses_a_batch_size_that_is_not_a_number(self, run):
        assert_refused(run("verify_audit", "--batch-size", "many"), "invalid int value")


@pytest.mark.django_db
class TestSeedDemo:
    def test_it_refuses_an_argument_and_seeds_nothing(self, run):
        before = snapshot()
        assert_refused(run("seed_demo", "extra"), "unrecognized arguments")
        assert snapshot() == before


@pytest.mark.django_db
class TestAssess:
    def test_it_refuses_deeply_nested_json(self, run, tmp_path):
        path = tmp_path / "deep.json"
        path.write_text('{"facts": ' + "[" * 100_000 + "]" * 100_000 + "}")
        result = run("assess", "--regulation", "taian-2020", "--facts", str(path))
        assert_refused(result, "nested too deeply")

    def test_it_refuses_malformed_json(self, run, tmp_path):
        path = tmp_path / "bad.json"
        path.write_text('{"facts": ')
        result = run("assess", "--regulation", "taian-2020", "--facts", str(path))
        assert_refused(result, "invalid JSON")


@pytest.mark.parametrize(
    "args",
    [
        ["verify_audit"],
        ["seed_demo"],
        ["send_digests"],
        ["load_catalogs"],
        ["render_document", UNKNOWN_CASE, "intake_form", "-o", "{tmp}/x.pdf"],
        ["build_filing_package", UNKNOWN_CASE, "-o", "{tmp}/x.zip"],
        ["make_demo_pki", "--dir", "{tmp}/pki"],
    ],
    ids=lambda args: args[0],
)
def test_a_database_never_migrated_is_named_not_a_traceback(args, tmp_path):
    database = tmp_path / "fresh.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",
        "REDIS_URL": "",
    }
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *(arg.format(tmp=tmp_path) for arg in args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert "not migrated" in result.stderr and "manage.py migrate" in result.stderr
    # Nothing was created in it: not even Django's migration table.
    tables = sqlite3.connect(database).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == []


def test_assess_needs_no_migrated_database(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"facts": {}, "claimed": []}))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "assess", "--regulation", "taian-2020", "--facts", facts],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)
