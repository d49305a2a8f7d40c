from monitoring.models.periods import (
    CapaianRule,
    Quarter,
    ReportingPeriod,
    default_closing_date,
    quarter_end,
    quarter_start,
)
from monitoring.models.realisation import (
    EDITABLE_REALISATION_STATUSES,
    MONITORED_STATUSES,
    Evidence,
    QuarterEvent,
    Realisation,
    RealisationStatus,
    StaleRealisation,
)

__all__ = [
    "EDITABLE_REALISATION_STATUSES",
    "MONITORED_STATUSES",
    "CapaianRule",
    "Evidence",
    "Quarter",
    "QuarterEvent",
    "Realisation",
    "RealisationStatus",
    "ReportingPeriod",
    "StaleRealisation",
    "default_closing_date",
    "quarter_end",
    "quarter_start",
]
