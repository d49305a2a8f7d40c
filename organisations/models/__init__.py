from organisations.models.memberships import Membership, Role, active_memberships
from organisations.models.officials import Acting, Assignment, Official, Position, PositionKind
from organisations.models.units import PaperSize, TimeZone, Unit, UnitKind
from organisations.models.users import NoticeKind, User

__all__ = [
    "Acting",
    "Assignment",
    "Membership",
    "NoticeKind",
    "Official",
    "PaperSize",
    "Position",
    "PositionKind",
    "Role",
    "TimeZone",
    "Unit",
    "UnitKind",
    "User",
    "active_memberships",
]
