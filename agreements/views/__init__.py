"""The drafting pages of a PK. Thin views: rules live in drafting, lampiran, spreadsheet and
permissions; every lookup goes through `Agreement.objects.visible_to(user)`."""

from agreements.views.copying import agreement_copy
from agreements.views.lampiran import lampiran_edit, lampiran_row
from agreements.views.pages import (
    agreement_create,
    agreement_detail,
    agreement_edit,
    agreement_list,
    source_options,
)
from agreements.views.transfer import (
    agreement_export,
    import_confirm,
    import_upload,
    template_download,
)

__all__ = [
    "agreement_copy",
    "agreement_create",
    "agreement_detail",
    "agreement_edit",
    "agreement_export",
    "agreement_list",
    "import_confirm",
    "import_upload",
    "lampiran_edit",
    "lampiran_row",
    "source_options",
    "template_download",
]
