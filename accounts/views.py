from django.conf import settings
from django.shortcuts import redirect, render

from accounts.roles import ROLES_READING_CASES, Role
from accounts.uploads import UploadTooLarge
from config import errors


def home(request):
    # The administrative roles read no case: their work is in the admin.
    user = request.user
    if user.is_staff and not user.has_role(*ROLES_READING_CASES):
        return redirect("admin:index")
    # Everyone else lands on their own work: the liaison on the packages sent
    # to them, the case roles on the cases waiting on them.
    if user.has_role(Role.DISCIPLINE_LIAISON) and not user.has_role(*ROLES_READING_CASES):
        return redirect("filings:inbox")
    return redirect("cases:tasks")


def bad_request(request, exception, template_name="400.html"):
    """A request body over the upload cap gets 413 and says so; any other
    bad request gets the 400 page (config.errors)."""
    if isinstance(exception, UploadTooLarge):
        return render(
            request,
            "upload_too_large.html",
            {"limit_mb": settings.EVIDENCE_MAX_BYTES // 2**20},
            status=413,
        )
    return errors.bad_request(request, exception, template_name)
