from organisations.models.memberships import Membership, Role, active_memberships
from organisations.models.officials import Acting, Assignment, Official, Position, PositionKind
from organisations.models.requests import RequestKind, RequestStatus, SignatoryRequest
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
    "RequestKind",
    "RequestStatus",
    "Role",
    "SignatoryRequest",
    "TimeZone",
    "Unit",
    "UnitKind",
    "User",
    "active_memberships",
]
