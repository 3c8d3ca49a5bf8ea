"""The code lists of casework, in one place: pure, no ORM, no app (docs/architecture.md).

The codes are part of the API (docs/api.md) and are what the database stores.
The models' ``TextChoices`` add the Swedish labels to these codes, the API
schemas accept exactly these, and the pure rules (``routine``,
``completeness``) read them from here; ``tests/casework/test_codes.py`` fails
when any of them disagrees.
"""

from __future__ import annotations

# How a contact attempt was made (ContactAttempt.channel).
CHANNEL_LETTER = "letter"
CHANNEL_PHONE = "phone"
CHANNEL_SMS = "sms"
CHANNEL_EMAIL = "email"
CHANNEL_HOME_VISIT = "home_visit"
CHANNEL_MEETING = "meeting"
CHANNEL_DIGITAL_MEETING = "digital_meeting"
CHANNELS = (
    CHANNEL_LETTER,
    CHANNEL_PHONE,
    CHANNEL_SMS,
    CHANNEL_EMAIL,
    CHANNEL_HOME_VISIT,
    CHANNEL_MEETING,
    CHANNEL_DIGITAL_MEETING,
)

# Whom the attempt was with (ContactAttempt.party).
PARTY_YOUTH = "youth"
PARTY_GUARDIAN = "guardian"
PARTY_SCHOOL = "school"
PARTY_AUTHORITY = "authority"
PARTY_OTHER = "other"
PARTIES = (PARTY_YOUTH, PARTY_GUARDIAN, PARTY_SCHOOL, PARTY_AUTHORITY, PARTY_OTHER)

# What came of it (ContactAttempt.outcome).
OUTCOME_REACHED = "reached"
OUTCOME_NOT_REACHED = "not_reached"
OUTCOME_INFO_SHEET_LEFT = "info_sheet_left"
OUTCOME_DECLINED = "declined"
OUTCOMES = (OUTCOME_REACHED, OUTCOME_NOT_REACHED, OUTCOME_INFO_SHEET_LEFT, OUTCOME_DECLINED)

# The kinds of measure (Measure.type).
MEASURE_MOTIVATIONAL = "motivational"
MEASURE_GUIDANCE = "guidance"
MEASURE_INTERNSHIP = "internship"
MEASURE_ADULT_EDUCATION = "adult_education"
MEASURE_FOLK_HIGH_SCHOOL = "folk_high_school"
MEASURE_SOCIAL_SERVICES = "social_services"
MEASURE_EMPLOYMENT_SERVICE = "employment_service"
MEASURE_CHILD_PSYCHIATRY = "child_psychiatry"
MEASURE_OTHER = "other"
MEASURE_TYPES = (
    MEASURE_MOTIVATIONAL,
    MEASURE_GUIDANCE,
    MEASURE_INTERNSHIP,
    MEASURE_ADULT_EDUCATION,
    MEASURE_FOLK_HIGH_SCHOOL,
    MEASURE_SOCIAL_SERVICES,
    MEASURE_EMPLOYMENT_SERVICE,
    MEASURE_CHILD_PSYCHIATRY,
    MEASURE_OTHER,
)

# Who is responsible for a measure (Measure.responsible; "" when not yet named).
RESPONSIBLE_YOUTH = "youth"
RESPONSIBLE_MUNICIPALITY = "municipality"
RESPONSIBLE_OTHER_ACTOR = "other_actor"
RESPONSIBLES = (RESPONSIBLE_YOUTH, RESPONSIBLE_MUNICIPALITY, RESPONSIBLE_OTHER_ACTOR)

# The result of a measure's evaluation (Measure.evaluation_result; "" when none).
EVALUATION_ACHIEVED = "achieved"
EVALUATION_PARTLY = "partly"
EVALUATION_NOT_ACHIEVED = "not_achieved"
EVALUATION_RESULTS = (EVALUATION_ACHIEVED, EVALUATION_PARTLY, EVALUATION_NOT_ACHIEVED)
