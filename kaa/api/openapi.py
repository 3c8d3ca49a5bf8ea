"""Every status an operation can answer, in the OpenAPI document (docs/api.md).

The endpoints declare their own 200/201/400/404/409; the statuses that come
from the API's door (kaa.api.guard), the token check and the role check are
the same for every operation and are added here, all in the error shape.
"""

from __future__ import annotations

from typing import Any

ERRORS_REF = "#/components/schemas/ApiErrors"
ERRORS_SCHEMA = {
    "title": "ApiErrors",
    "type": "object",
    "properties": {
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    },
    "required": ["errors"],
}
DESCRIPTIONS = {
    "400": "Bad input: field errors, text with NUL or unpaired surrogates, a personnummer "
    "in the query, a page out of range",
    "401": "No or bad token",
    "403": "The token's role may not call this",
    "404": "Unknown or not yours",
    "413": "Body over the size limit",
    "415": "Body not JSON",
    "429": "Too many calls with this token",
    "500": "Unexpected error (no personal data in the answer)",
}
RATE_LIMITED = {("post", "/api/v1/school-notifications/")}


def declare_error_statuses(schema: Any) -> Any:
    schema.setdefault("components", {}).setdefault("schemas", {})["ApiErrors"] = ERRORS_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            statuses = ["400", "500"]
            if operation.get("security"):
                statuses += ["401", "403"]
            if "{" in path:
                statuses.append("404")
            if "requestBody" in operation:
                statuses += ["413", "415"]
            if (method, path) in RATE_LIMITED:
                statuses.append("429")
            responses = operation["responses"]
            for status in statuses:
                responses.setdefault(
                    status,
                    {
                        "description": DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": {"$ref": ERRORS_REF}}},
                    },
                )
    return schema
