"""One source for each code list: casework.codes, read by the models, the API and the rules."""

from __future__ import annotations

from typing import get_args

import pytest

from casework import codes, completeness, routine
from casework.api import contacts as contacts_api
from casework.api import plans as plans_api
from casework.models import Channel, EvaluationResult, MeasureType, Outcome, Party, Responsible


@pytest.mark.parametrize(
    ("choices", "listed"),
    [
        (Channel, codes.CHANNELS),
        (Party, codes.PARTIES),
        (Outcome, codes.OUTCOMES),
        (MeasureType, codes.MEASURE_TYPES),
        (Responsible, codes.RESPONSIBLES),
        (EvaluationResult, codes.EVALUATION_RESULTS),
    ],
)
def test_the_models_choices_are_the_code_lists(choices, listed):
    assert tuple(choices.values) == listed
    assert all(str(label) for label in choices.labels)  # every code has its Swedish label


@pytest.mark.parametrize(
    ("schema", "field", "listed"),
    [
        (contacts_api.ContactAttemptIn, "channel", codes.CHANNELS),
        (contacts_api.ContactAttemptIn, "party", codes.PARTIES),
        (contacts_api.ContactAttemptIn, "outcome", codes.OUTCOMES),
        (plans_api.MeasureCreateIn, "type", codes.MEASURE_TYPES),
        (plans_api.MeasureCreateIn, "responsible", (*codes.RESPONSIBLES, "")),
        (plans_api.MeasurePatchIn, "responsible", (*codes.RESPONSIBLES, "")),
        (plans_api.MeasurePatchIn, "evaluation_result", (*codes.EVALUATION_RESULTS, "")),
    ],
)
def test_the_api_accepts_exactly_the_code_lists(schema, field, listed):
    annotation = schema.model_fields[field].annotation
    accepted = [arg for arg in get_args(annotation) if arg is not type(None)]
    if len(accepted) == 1 and get_args(accepted[0]):  # Optional[Literal[...]]
        accepted = list(get_args(accepted[0]))
    assert tuple(accepted) == listed


def test_the_openapi_document_lists_the_codes(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    channel = schemas["ContactAttemptIn"]["properties"]["channel"]
    assert tuple(channel["enum"]) == codes.CHANNELS


def test_the_rules_read_the_same_codes():
    assert routine.CHANNEL_HOME_VISIT in codes.CHANNELS
    assert set(codes.CHANNELS) >= routine.CONVERSATION_CHANNELS
    assert {routine.OUTCOME_REACHED, routine.OUTCOME_DECLINED} <= set(codes.OUTCOMES)
    assert (
        completeness.RESPONSIBLE_YOUTH,
        completeness.RESPONSIBLE_MUNICIPALITY,
        completeness.RESPONSIBLE_OTHER_ACTOR,
    ) == codes.RESPONSIBLES
