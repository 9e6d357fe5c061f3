from protections.views.interference import (
    interference_attachment_download,
    interference_create,
    interference_detail_view,
    interference_export_csv,
    interference_export_pdf,
    interference_link_case,
    interference_list,
    interference_unlink_case,
)
from protections.views.protection import (
    protection_create,
    protection_detail_view,
    protection_list,
    protection_move,
    protection_police_record,
)

__all__ = [
    "interference_attachment_download",
    "interference_create",
    "interference_detail_view",
    "interference_export_csv",
    "interference_export_pdf",
    "interference_link_case",
    "interference_list",
    "interference_unlink_case",
    "protection_create",
    "protection_detail_view",
    "protection_list",
    "protection_move",
    "protection_police_record",
]
