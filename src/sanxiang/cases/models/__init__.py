"""Models of the cases context."""

from sanxiang.cases.models.activity import Activity, ActivityOfficer
from sanxiang.cases.models.case import (
    Case,
    CaseDeadline,
    CaseFlagRecord,
    CaseHandler,
    Counter,
    Party,
    PartyResponse,
    Recusal,
)
from sanxiang.cases.models.decision import Decision, IssuedDocument

__all__ = [
    "Activity", "ActivityOfficer", "Case", "CaseDeadline", "CaseFlagRecord", "CaseHandler", "Counter",
    "Decision", "IssuedDocument", "Party", "PartyResponse", "Recusal",
]
