from pathlib import Path

from config.commands import BadInput, ProjectCommand
from exemptions import engine
from exemptions.services import (
    CATALOG_DIR,
    CREATED,
    NEW_VERSION,
    REINSTATED,
    UNCHANGED,
    catalogs_load_all,
)

STATUS_TEXT = {
    CREATED: "loaded as version {number}",
    NEW_VERSION: "changed: loaded as version {number}, the current one",
    REINSTATED: "same content as version {number}: version {number} is current again",
    UNCHANGED: "unchanged (version {number})",
}


class Command(ProjectCommand):
    help = (
        "Validate and load the fact vocabulary and every regulation catalogue (idempotent). "
        "A file with any error is refused whole and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=CATALOG_DIR,
            help="the directory holding facts.yaml and the <slug>.yaml catalogues",
        )

    def handle(self, *args, **options):
        directory: Path = options["dir"]
        if not directory.is_dir():
            raise BadInput(f"{directory}: not a directory")
        try:
            report = catalogs_load_all(directory=directory)
        except engine.VocabularyError as error:
            raise BadInput(f"refused, nothing loaded: {error}") from None
        except OSError as error:
            raise BadInput(f"{directory}: cannot read: {error.strerror or error}") from None
        if report.refused:
            # Each file loads whole or not at all: the refused ones changed
            # nothing; the report goes to stderr alone, stdout stays empty.
            refused = "; ".join(str(error) for error in report.refused)
            raise BadInput(
                f"refused (nothing loaded from these files): {refused}; "
                f"{len(report.loaded)} other files loaded"
            )
        facts = report.vocabulary
        self.stdout.write(
            f"facts.yaml: {len(facts.vocabulary)} facts "
            f"({facts.created} new, {facts.updated} updated, {facts.unchanged} unchanged)"
        )
        for result in report.loaded:
            version = result.version
            status = STATUS_TEXT[result.status].format(number=version.number)
            self.stdout.write(f"{result.source}: {version.regulation.slug} {status}")
