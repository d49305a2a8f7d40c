"""Forms of the drafting pages, one module per page family: each turns what users type into
domain values in clean_*.

    locking     the lock version every form that changes a draft carries back (LockForm)
    creating    starting a PK: unit, year, and the PK its lampiran is copied from
    statement   the statement data: signature-block positions, place and date, references
    lampiran    the lampiran editor: a form per indicator or budget row, and their formsets
    importing   the import: upload, column mapping with corrections, confirmation
    copying     copying forward onto an existing draft
"""

from agreements.forms.copying import CopyForwardForm
from agreements.forms.creating import MAX_YEAR, MIN_YEAR, AgreementCreateForm, source_choices
from agreements.forms.importing import (
    IMPORT_KEY,
    ImportConfirmForm,
    ImportMappingForm,
    ImportUploadForm,
    decode_fixes,
    encode_fixes,
)
from agreements.forms.lampiran import (
    FORMSETS,
    BudgetFormSet,
    BudgetRowForm,
    IndicatorFormSet,
    IndicatorRowForm,
    lampiran_formsets,
)
from agreements.forms.locking import LockForm, LockVersionField
from agreements.forms.statement import StatementForm

__all__ = [
    "FORMSETS",
    "IMPORT_KEY",
    "MAX_YEAR",
    "MIN_YEAR",
    "AgreementCreateForm",
    "BudgetFormSet",
    "BudgetRowForm",
    "CopyForwardForm",
    "ImportConfirmForm",
    "ImportMappingForm",
    "ImportUploadForm",
    "IndicatorFormSet",
    "IndicatorRowForm",
    "LockForm",
    "LockVersionField",
    "StatementForm",
    "decode_fixes",
    "encode_fixes",
    "lampiran_formsets",
    "source_choices",
]
