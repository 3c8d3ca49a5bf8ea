from .access import AccessLog, ApiToken
from .importing import ImportBatch, ImportRow
from .move import MoveNotification, MoveNotificationRead, MoveStatus
from .municipality import Municipality
from .notification import SchoolNotification
from .region import Region
from .user import Role, User
from .youth import (
    EndReason,
    Enrolment,
    EnrolmentQuerySet,
    Guardian,
    Occupation,
    OccupationKind,
    ScbOccupationCategory,
    Source,
    Youth,
    YouthQuerySet,
)

__all__ = [
    "AccessLog",
    "ApiToken",
    "EndReason",
    "Enrolment",
    "EnrolmentQuerySet",
    "Guardian",
    "ImportBatch",
    "ImportRow",
    "MoveNotification",
    "MoveNotificationRead",
    "MoveStatus",
    "Municipality",
    "Occupation",
    "OccupationKind",
    "Region",
    "Role",
    "ScbOccupationCategory",
    "SchoolNotification",
    "Source",
    "User",
    "Youth",
    "YouthQuerySet",
]
