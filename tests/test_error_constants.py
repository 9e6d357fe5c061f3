"""Errors are named constants (issue 14, item 4): each app's `errors` module
holds the messages a user can be refused with, and the code raises them by
name. This keeps the rule for the future: a ValidationError, PermissionDenied
or refusal raised with an inline Chinese string, or an inline Chinese error
put on a form or in the messages, fails here. Every named message has its
English translation."""

import ast
import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

ROOT = Path(settings.BASE_DIR)

# Exceptions whose message reaches the user, and the calls that show one.
RAISED = frozenset(
    {
        "ValidationError",
        "PermissionDenied",
        "TransitionRefused",
        "CatalogChangeRefused",
        "CommandError",
    }
)
SHOWN = frozenset({"add_error", "error", "warning"})  # form.add_error, messages.error/warning

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def project_apps() -> list[str]:
    return sorted(path.parent.name for path in ROOT.glob("*/apps.py"))


def checked_modules(app: str) -> list[Path]:
    return sorted(
        path
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and path.name != "errors.py"
    )


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _inline_chinese(call: ast.Call) -> list[str]:
    literals = []
    for argument in [*call.args, *(keyword.value for keyword in call.keywords)]:
        for node in ast.walk(argument):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CHINESE.search(node.value)
            ):
                literals.append(node.value)
    return literals


def inline_errors(source: str) -> list[tuple[int, str]]:
    """(line, literal) of every error raised or shown with Chinese text
    written in place."""
    found = []
    for node in ast.walk(ast.parse(source)):
        call = None
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            if _name(node.exc.func) in RAISED:
                call = node.exc
        elif isinstance(node, ast.Call) and _name(node.func) in SHOWN:
            call = node
        if call is not None:
            found.extend((call.lineno, text) for text in _inline_chinese(call))
    return found


def test_the_scan_finds_an_inline_message_and_passes_a_named_one():
    assert inline_errors('raise ValidationError(_("请写明理由。"))') == [(1, "请写明理由。")]
    assert inline_errors('raise PermissionDenied({"f": "您无权"})') == [(1, "您无权")]
    assert inline_errors('messages.error(request, _("没有这条提醒。"))') == [(1, "没有这条提醒。")]
    assert inline_errors("raise ValidationError(errors.MOVE_REASON_MISSING)") == []
    assert inline_errors('raise ValueError("internal")') == []


@pytest.mark.parametrize("app", project_apps())
def test_errors_are_raised_by_name(app):
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in checked_modules(app)
        for line, text in inline_errors(path.read_text(encoding="utf-8"))
    ]
    assert not offences, "Name these messages in the app's errors module:\n" + "\n".join(offences)


def named_messages() -> list[tuple[str, str, Promise]]:
    messages = []
    for app in project_apps():
        if not (ROOT / app / "errors.py").exists():
            continue
        module = importlib.import_module(f"{app}.errors")
        messages.extend(
            (app, name, value)
            for name, value in vars(module).items()
            if name.isupper() and isinstance(value, Promise)
        )
    return messages


def test_every_app_with_errors_has_its_module():
    apps = {app for app, _name, _message in named_messages()}
    assert apps >= {
        "accounts",
        "audit",
        "cases",
        "deliberation",
        "documents",
        "exemptions",
        "filing",
        "investigation",
        "overview",
        "panel",
        "protections",
        "vindication",
    }


@pytest.mark.parametrize(
    ("app", "name", "message"),
    named_messages(),
    ids=[f"{app}.{name}" for app, name, _message in named_messages()],
)
def test_every_named_message_has_its_english(app, name, message):
    with translation.override("en"):
        english = str(message)
    assert not CHINESE.search(english), f"{app}.errors.{name} has no English in django.po"
