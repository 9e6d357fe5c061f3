"""manage.py build_filing_package <case number> -o FILE.zip"""

from cases.models import Case
from cases.workflow import NO_LIABILITY_OUTCOMES
from config.commands import BadInput, ProjectCommand, writable_output, write_output
from deliberation.models import Determination
from filing.services.filing import package_bytes


class Command(ProjectCommand):
    help = "Write the filing package of a decided case to a ZIP file (nothing is recorded)."

    def add_arguments(self, parser):
        parser.add_argument("case_number")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, case_number, output, **options):
        output = writable_output(output)
        case = (
            Case.objects.filter(number=case_number).select_related("unit__discipline_body").first()
        )
        if case is None:
            raise BadInput(f"unknown case: {case_number}")
        adopted = Determination.objects.filter(case=case, status=Determination.Status.ADOPTED)
        if not adopted.filter(outcome__in=NO_LIABILITY_OUTCOMES).exists():
            raise BadInput(
                f"{case_number} has no adopted no-liability determination: there is nothing to file"
            )
        if case.unit.discipline_body is None:
            raise BadInput(f"the unit of {case_number} has no discipline-inspection body")
        latest = case.filing_packages.order_by("-version").first()
        content, manifest = package_bytes(
            case=case,
            actor=latest.built_by if latest else case.created_by,
            version=latest.version if latest else 1,
        )
        write_output(output, content)
        self.stdout.write(f"{output}: {len(manifest['files'])} files, {len(content)} bytes")
