"""What filing adds to cases' extension points: the move "decide" numbers
the publication notice it issues, the move "file" freezes the package sent
to the discipline-inspection body. Registered by FilingConfig.ready()."""

from cases.extensions import move_effect_register
from filing.services.filing import decision_documents_issue, filing_package_build


def register() -> None:
    move_effect_register("decide", decision_documents_issue)
    move_effect_register("file", filing_package_build)
