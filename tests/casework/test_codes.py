"""One source for each code list: the pure modules own the codes; the models and the API read them."""

from __future__ import annotations

from typing import get_args

import pytest

from casework import completeness, routine
from casework.api import contacts as contacts_api
from casework.api import plans as plans_api
from casework.models import Channel, EvaluationResult, MeasureType, Outcome, Party, Responsible


@pytest.mark.parametrize(
    ("choices", "listed"),
    [
        (Channel, routine.CHANNELS),
        (Party, routine.PARTIES),
        (Outcome, routine.OUTCOMES),
        (MeasureType, completeness.MEASURE_TYPES),
        (Responsible, completeness.RESPONSIBLES),
        (EvaluationResult, completeness.EVALUATION_RESULTS),
    ],
)
def test_the_models_choices_are_the_code_lists(choices, listed):
    assert tuple(choices.values) == listed
    assert all(str(label) for label in choices.labels)  # every code has its Swedish label


@pytest.mark.parametrize(
    ("schema", "field", "listed"),
    [
        (contacts_api.ContactAttemptIn, "channel", routine.CHANNELS),
        (contacts_api.ContactAttemptIn, "party", routine.PARTIES),
        (contacts_api.ContactAttemptIn, "outcome", routine.OUTCOMES),
        (plans_api.MeasureCreateIn, "type", completeness.MEASURE_TYPES),
        (plans_api.MeasureCreateIn, "responsible", (*completeness.RESPONSIBLES, "")),
        (plans_api.MeasurePatchIn, "responsible", (*completeness.RESPONSIBLES, "")),
        (plans_api.MeasurePatchIn, "evaluation_result", (*completeness.EVALUATION_RESULTS, "")),
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
    assert tuple(channel["enum"]) == routine.CHANNELS
