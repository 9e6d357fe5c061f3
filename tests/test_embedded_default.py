"""CI's embedded run (tests/embedded_default.py) covers every place where the
code takes a path of its own on one database."""

import re
from types import SimpleNamespace

from tests.embedded_default import BACKEND_BRANCHES, WHOLE_PATH, embedded_default_modules

from .conftest import ROOT, pytest_collection_modifyitems

# What may differ between databases in application code: a vendor test, an
# expression compiled differently per vendor, or SQL written by hand.
BRANCH = re.compile(
    r"connection\.vendor|def as_(sqlite|postgresql)\b|cursor\(\)|\.raw\(|RawSQL|\.extra\("
)
NOT_APPLICATION_CODE = {".venv", "node_modules", "tests", "migrations", "benchmarks", "scripts"}


def files_that_may_differ_between_databases() -> set[str]:
    found = set()
    # Not into .venv or node_modules at all: walking them is most of the time.
    tops = [
        top
        for top in ROOT.iterdir()
        if top.is_dir() and top.name not in NOT_APPLICATION_CODE and not top.name.startswith(".")
    ]
    paths = [*ROOT.glob("*.py"), *(path for top in tops for path in top.rglob("*.py"))]
    for path in paths:
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


class _Item:
    def __init__(self, path: str):
        self.path = ROOT / path


class _Config:
    """What the collection hook asks of pytest's config."""

    def __init__(self, embedded: bool):
        self.embedded = embedded
        self.deselected = []
        self.hook = SimpleNamespace(pytest_deselected=lambda items: self.deselected.extend(items))

    def getoption(self, name):
        assert name == "--embedded-default"
        return self.embedded


def test_the_option_keeps_exactly_the_named_modules():
    named = sorted(embedded_default_modules())
    others = ["tests/cases/test_guards.py", "tests/exemptions/test_engine.py"]
    items = [_Item(path) for path in [*named, *others]]
    config = _Config(embedded=True)
    pytest_collection_modifyitems(config, items)
    assert [item.path.relative_to(ROOT).as_posix() for item in items] == named
    assert [item.path.relative_to(ROOT).as_posix() for item in config.deselected] == others


def test_without_the_option_every_test_is_kept():
    items = [_Item("tests/cases/test_guards.py"), _Item("tests/test_access.py")]
    config = _Config(embedded=False)
    pytest_collection_modifyitems(config, items)
    assert len(items) == 2 and config.deselected == []
