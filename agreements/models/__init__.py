from agreements.models.agreement import (
    EDITABLE_STATUSES,
    Agreement,
    AgreementStatus,
    AmendmentReason,
    LockedAgreement,
    StaleAgreement,
)
from agreements.models.checks import CheckAcceptance
from agreements.models.importing import ImportMapping
from agreements.models.lampiran import (
    BudgetLine,
    IndicatorRow,
    LampiranKegiatan,
    LampiranProgramme,
    Sasaran,
)
from agreements.models.signing import (
    KeyEnrolment,
    Notification,
    Party,
    Signature,
    SignatureMethod,
    SignedDocument,
)
from agreements.models.statement import SignatureStyle, StatementTemplate
from agreements.models.workflow import AgreementEvent

__all__ = [
    "EDITABLE_STATUSES",
    "Agreement",
    "AgreementEvent",
    "AmendmentReason",
    "LockedAgreement",
    "AgreementStatus",
    "BudgetLine",
    "CheckAcceptance",
    "ImportMapping",
    "IndicatorRow",
    "KeyEnrolment",
    "LampiranKegiatan",
    "LampiranProgramme",
    "Notification",
    "Party",
    "Sasaran",
    "SignatureStyle",
    "StatementTemplate",
    "Signature",
    "SignatureMethod",
    "SignedDocument",
    "StaleAgreement",
]
