"""The command-line assessment (domain README, "The command-line assessment contract").

    manage.py assess --regulation taian-2020 --facts case.json
    manage.py assess --regulation lianyungang-2022 --facts -      # stdin

Bad input exits with status 2 and one line on stderr naming what is wrong, and
writes nothing to stdout; so callers can rely on stdout being the JSON or empty.
"""

import json
import sys
from typing import NoReturn

from config.commands import BAD_INPUT, ProjectCommand, one_line
from exemptions import engine
from exemptions.selectors import CatalogNotFound, catalog_for_engine

BROKEN_CATALOG = 1
TOP_LEVEL_KEYS = ("facts", "claimed")


class BadInput(Exception):
    """Input the contract refuses; the message is the one line for stderr."""


class Command(ProjectCommand):
    help = "Assess facts against every clause of a regulation; JSON in, JSON out."
    # call_command(..., stdin=StringIO(...)) in tests, as createsuperuser does.
    stealth_options = ("stdin",)
    # Other systems call this: no system checks, whose warnings would reach stderr.
    requires_system_checks = []
    # The catalogue files answer when the database has none loaded (or none).
    requires_migrated_database = False

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # argparse prints the usage over several lines; the contract wants one.
        parser.error = lambda message: self._fail(f"assess: {message}", BAD_INPUT)
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--regulation", required=True, help="catalogue slug, e.g. taian-2020")
        parser.add_argument(
            "--facts",
            required=True,
            help='JSON file {"facts": {...}, "claimed": [...]}, or - for stdin',
        )

    def handle(self, *args, **options):
        stdin = options.get("stdin") or sys.stdin
        try:
            catalog = catalog_for_engine(options["regulation"])
            document = _parse_input(_read(options["facts"], stdin), options["facts"])
            facts = engine.validate_facts(catalog.vocabulary, document["facts"])
            assessment = engine.assess(catalog, facts, document.get("claimed", ()))
        except CatalogNotFound as error:
            self._fail(f"unknown regulation {error.slug!r}", BAD_INPUT)
        except engine.FactError as error:
            self._fail(error.message, BAD_INPUT)
        except engine.ClaimError as error:
            self._fail(error.message, BAD_INPUT)
        except BadInput as error:
            self._fail(str(error), BAD_INPUT)
        except (engine.CatalogError, engine.VocabularyError) as error:
            self._fail(f"the catalogue is broken: {error}", BROKEN_CATALOG)
        self.stdout.write(json.dumps(assessment.to_dict(), indent=2))

    def _fail(self, message: str, status: int) -> NoReturn:
        # One line whatever the message holds (keys come from the input).
        self.stderr.write(one_line(message), style_func=str)
        raise SystemExit(status)


def _read(name: str, stdin) -> str:
    if name == "-":
        # Bytes where there are any, so the encoding is UTF-8 whatever the locale says.
        buffer = getattr(stdin, "buffer", None)
        try:
            return buffer.read().decode("utf-8") if buffer is not None else stdin.read()
        except (OSError, UnicodeDecodeError) as error:
            raise BadInput(f"cannot read the facts from stdin: {error}") from None
    try:
        with open(name, encoding="utf-8") as file:
            return file.read()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise BadInput(f"cannot read the facts file {name!r}: {reason}") from None


def _parse_input(text: str, name: str) -> dict:
    where = "stdin" if name == "-" else repr(name)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(f"invalid JSON in {where}: {error}") from None
    except RecursionError:
        raise BadInput(f"the JSON in {where} is nested too deeply") from None
    if not isinstance(document, dict):
        raise BadInput('the input must be a JSON object {"facts": {...}, "claimed": [...]}')
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            raise BadInput(f"unknown top-level key {key!r} (expected 'facts' and 'claimed')")
    if "facts" not in document:
        raise BadInput("missing top-level key 'facts'")
    if not isinstance(document["facts"], dict):
        raise BadInput("'facts' must be a JSON object of fact keys to values")
    if "claimed" in document and not isinstance(document["claimed"], list):
        raise BadInput("'claimed' must be a list of clause references")
    return document
