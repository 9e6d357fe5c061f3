"""`accounts` is the bottom of the stack (only `audit` and the project's
config beside it): it must not import the apps built on it, or the import
circle the demo command and the navigation once made comes back."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = ROOT / "accounts"
# accounts may use itself and the audit trail below it (config is not an app).
BELOW_OR_BESIDE = {"accounts", "audit"}
# Every project app above accounts: the installed ones (so that the apps
# split out of `reviews` are covered once installed) and those named in the
# issue, installed or not yet.
UPPER_APPS = {
    config.name
    for config in apps.get_app_configs()
    if Path(config.path).parent == ROOT and config.name not in BELOW_OR_BESIDE
} | {
    "cases",
    "reviews",
    "documents",
    "exemptions",
    "overview",
    "protections",
    "vindication",
    "demo",
    "investigation",
    "panel",
    "deliberation",
    "filing",
    "publication",
    "transfer",
}


def upward_imports(source: str) -> list[str]:
    """The modules of UPPER_APPS that `source` imports, anywhere in it
    (inside functions too: a deferred import is still a dependency)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [name for name in names if name.split(".")[0] in UPPER_APPS]
    return found


def accounts_modules() -> list[Path]:
    return sorted(p for p in ACCOUNTS.rglob("*.py") if "migrations" not in p.parts)


def test_the_scan_reads_the_accounts_package():
    assert ACCOUNTS / "models.py" in accounts_modules()
    assert {"cases", "reviews", "vindication", "demo"} <= UPPER_APPS


@pytest.mark.parametrize(
    "source",
    [
        "from cases.selectors import cases_waiting_on_count",
        "import protections.rules",
        "def f():\n    from vindication.demo import seed_demo_vindication",
        "from panel.models import ExpertPanel",
    ],
)
def test_the_scan_finds_an_upward_import(source):
    assert upward_imports(source)


def test_the_scan_lets_accounts_use_audit_and_config():
    assert (
        upward_imports("from audit.services import audit_record\nfrom config import errors") == []
    )


def test_accounts_imports_no_app_above_it():
    offenders = {
        str(path.relative_to(ACCOUNTS.parent)): imports
        for path in accounts_modules()
        if (imports := upward_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
