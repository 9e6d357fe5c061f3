"""manage.py render_document <case number> <kind> [--officer CERT|NAME] -o FILE"""

import inspect

from django.db.models import Q

from cases.models import Case
from config.commands import BadInput, ProjectCommand, writable_output, write_output
from documents.kinds import DocumentKind
from documents.registry import registered_kinds
from documents.rendering import render_pdf
from documents.services import document_builder

# Kinds written for one subject officer: their builder takes subject_officer_id.
OFFICER_ARGUMENT = "subject_officer_id"


class Command(ProjectCommand):
    help = "Render one official document of a case to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("case_number", help="e.g. 泰市监〔2026〕1号")
        parser.add_argument("kind", help="one of: " + ", ".join(DocumentKind.values))
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument(
            "--officer",
            help="the subject officer (certificate number or name) for the kinds written "
            "for one officer: no_impact_certificate (required), transfer_letter",
        )

    def handle(self, *args, case_number, kind, output, officer, **options):
        output = writable_output(output)
        case = Case.objects.filter(number=case_number).first()
        if case is None:
            raise BadInput(f"unknown case: {case_number}")
        if kind not in DocumentKind.values or DocumentKind(kind) not in registered_kinds():
            raise BadInput(
                f"unknown document kind: {kind} (known: {', '.join(DocumentKind.values)})"
            )
        template_name, builder = document_builder(DocumentKind(kind))
        parameter = inspect.signature(builder).parameters.get(OFFICER_ARGUMENT)
        arguments = {}
        if officer is not None:
            if parameter is None:
                raise BadInput(f"{kind} is not written for one officer: drop --officer")
            arguments[OFFICER_ARGUMENT] = self._subject_officer_id(case, officer)
        elif parameter is not None and parameter.default is inspect.Parameter.empty:
            raise BadInput(f"{kind} is written for one officer: give --officer")
        try:
            context = builder(case, **arguments)
        except ValueError as error:
            raise BadInput(f"{case_number} has no {kind} yet: {error}") from None
        pdf = render_pdf(template_name, context)
        write_output(output, pdf.content)
        self.stdout.write(f"{output}: {pdf.page_count} pages, {len(pdf.content)} bytes")

    def _subject_officer_id(self, case: Case, officer: str) -> int:
        matches = list(
            case.subject_officers.filter(
                Q(officer__certificate_number=officer) | Q(officer__name=officer)
            ).values_list("pk", flat=True)
        )
        if len(matches) != 1:
            named = "、".join(
                f"{name} ({number})"
                for name, number in case.subject_officers.values_list(
                    "officer__name", "officer__certificate_number"
                )
            )
            problem = "is not a subject officer" if not matches else "names several officers"
            raise BadInput(f"{officer} {problem} of {case.number} (they are: {named})")
        return matches[0]
