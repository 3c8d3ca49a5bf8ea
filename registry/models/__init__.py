from .access import AccessLog, ApiToken
from .importing import ImportBatch, ImportRow
from .municipality import Municipality
from .notification import SchoolNotification
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
    "Municipality",
    "Occupation",
    "OccupationKind",
    "Role",
    "ScbOccupationCategory",
    "SchoolNotification",
    "Source",
    "User",
    "Youth",
    "YouthQuerySet",
]
