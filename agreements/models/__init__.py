from agreements.models.agreement import Agreement, AgreementStatus, StaleAgreement
from agreements.models.checks import CheckAcceptance
from agreements.models.lampiran import (
    BudgetLine,
    IndicatorRow,
    LampiranKegiatan,
    LampiranProgramme,
    Sasaran,
)

__all__ = [
    "Agreement",
    "AgreementStatus",
    "BudgetLine",
    "CheckAcceptance",
    "IndicatorRow",
    "LampiranKegiatan",
    "LampiranProgramme",
    "Sasaran",
    "StaleAgreement",
]
