"""CI's embedded run (tests/embedded_default.py) covers every place where the
code takes a path of its own on one database."""

import re
import subprocess
import sys

from tests.embedded_default import BACKEND_BRANCHES, WHOLE_PATH, embedded_default_modules

from .conftest import ROOT

# What may differ between databases in application code: a vendor test, an
# expression compiled differently per vendor, or SQL written by hand.
BRANCH = re.compile(
    r"connection\.vendor|def as_(sqlite|postgresql)\b|cursor\(\)|\.raw\(|RawSQL|\.extra\("
)
NOT_APPLICATION_CODE = {".venv", "node_modules", "tests", "migrations", "benchmarks", "scripts"}


def files_that_may_differ_between_databases() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if NOT_APPLICATION_CODE & set(relative.parts) or relative.parts[0].startswith("."):
            continue
        if BRANCH.search(path.read_text(encoding="utf-8")):
            found.add(relative.as_posix())
    return found


def test_every_file_that_branches_on_the_database_names_its_tests():
    assert files_that_may_differ_between_databases() == set(BACKEND_BRANCHES)


def test_the_named_test_modules_exist():
    for module in embedded_default_modules():
        assert (ROOT / module).is_file(), module
    assert set(WHOLE_PATH) <= embedded_default_modules()


def test_the_option_collects_exactly_the_named_modules():
    # One folder, of named and unnamed modules, is enough to see the filter.
    listed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "--embedded-default",
            "tests/cases",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    collected = {line.split("::")[0] for line in listed.splitlines() if "::" in line}
    named = {module for module in embedded_default_modules() if module.startswith("tests/cases/")}
    assert len(named) >= 5
    assert collected == named
