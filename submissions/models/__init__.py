from submissions.models.reminders import (
    CompilationCalendar,
    DeadlineKind,
    Dipa,
    Reminder,
)
from submissions.models.submission import (
    Compilation,
    CompilationStatus,
    Decision,
    OutgoingDelivery,
    Submission,
)

__all__ = [
    "Compilation",
    "CompilationCalendar",
    "CompilationStatus",
    "DeadlineKind",
    "Decision",
    "Dipa",
    "OutgoingDelivery",
    "Reminder",
    "Submission",
]
