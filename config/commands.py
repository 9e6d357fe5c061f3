"""One contract for every management command of the project (issue 12).

Bad input — an unknown case or kind, a wrong stage, an unwritable output
path, malformed JSON, an unreadable directory, a database never migrated —
exits with status 2 and one line on stderr naming what is wrong; nothing is
written to stdout and nothing is changed. Commands raise `BadInput` (a
CommandError with status 2) before they write or print anything; this base
class turns the argument parser's errors, an unreachable or unmigrated
database and any CommandError into that one line.

In-process (`call_command`, the tests) the CommandError propagates as Django
does it; from the command line `run_from_argv` prints it and exits.
"""

import contextlib
import os
import sys
from pathlib import Path
from typing import NoReturn

from django.core.management.base import BaseCommand, CommandError, handle_default_options
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

BAD_INPUT = 2


class BadInput(CommandError):
    """Input the contract refuses: exit status 2, the message as one line."""

    def __init__(self, message: str):
        super().__init__(message, returncode=BAD_INPUT)


def one_line(message: str) -> str:
    """Messages can hold newlines (a list of refusals, a key from the input)."""
    return " ".join(part.strip() for part in str(message).splitlines() if part.strip())


def writable_output(path: str | Path) -> Path:
    """Check that an output file can be written before any work is done, so
    that a bad -o path is refused up front and leaves nothing behind."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise BadInput(f"cannot write {path}: it is a directory")
    if not directory.is_dir():
        raise BadInput(f"cannot write {path}: the directory {directory} does not exist")
    if not os.access(directory, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise BadInput(f"cannot write {path}: permission denied")
    return path


def write_output(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as error:
        raise BadInput(f"cannot write {path}: {error.strerror or error}") from None


def database_problem(alias: str = DEFAULT_DB_ALIAS) -> str | None:
    """Why the database cannot serve a command, or None: unreachable, or
    with migrations not applied (a fresh database, or code newer than it)."""
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[alias])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return f"cannot use the database: {one_line(error)}"
    if pending:
        return (
            f"the database is not migrated ({len(pending)} migrations not applied): "
            "run manage.py migrate first"
        )
    return None


class ProjectCommand(BaseCommand):
    """The base of the project's management commands (see the module)."""

    # False for a command that works without the database (assess).
    requires_migrated_database = True

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> NoReturn:
            # argparse prints the usage over several lines; the contract wants one.
            raise BadInput(f"{subcommand}: {message}")

        parser.error = error
        return parser

    def execute(self, *args, **options):
        if self.requires_migrated_database:
            problem = database_problem(options.get("database") or DEFAULT_DB_ALIAS)
            if problem:
                raise BadInput(problem)
        return super().execute(*args, **options)

    def run_from_argv(self, argv):
        """Django's run_from_argv, with every refusal as one stderr line."""
        self._called_from_command_line = True
        try:
            parser = self.create_parser(argv[0], argv[1])
            options = parser.parse_args(argv[2:])
            cmd_options = vars(options)
            args = cmd_options.pop("args", ())
            handle_default_options(options)
            self.execute(*args, **cmd_options)
        except CommandError as error:
            self.stderr.write(one_line(error), style_func=str)
            sys.exit(error.returncode)
        finally:
            # Closing is best effort, as in Django.
            with contextlib.suppress(Exception):
                connections.close_all()
