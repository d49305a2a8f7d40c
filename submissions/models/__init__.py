from submissions.models.submission import (
    Compilation,
    CompilationStatus,
    Decision,
    OutgoingDelivery,
    Submission,
)

__all__ = ["Compilation", "CompilationStatus", "Decision", "OutgoingDelivery", "Submission"]
