"""Schemathesis against the live OpenAPI spec: no 5xx, every answer documented and as
documented (status, content type, body), on every catalog endpoint and the token login."""

import collections

import schemathesis
from hypothesis import given
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.editing.test_bulk_actions import make_catalog
from tests.support.fuzzing import same_cases_every_run

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: Examples per operation: enough to reach real rows, refusals and conflicts in seconds.
EXAMPLES = 25
FUZZED = r"^/api/v1/(author|album|song|security/login)"
#: Deletions last, so the other operations meet rows.
METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "DELETE": 3}


def on_rows(strategy, operation, row_ids: dict[str, int]):
    """Cases of an operation on a row: generated ids, and as often the id of a real row
    (ids grow across a test session on PostgreSQL: generated ones would all be 404s)."""
    if "{pk}" not in operation.path:
        return strategy
    real = row_ids[operation.path.split("/")[3]]

    def on_the_real_row(case):
        case.path_parameters = {**(case.path_parameters or {}), "pk": real}
        return case

    return st.one_of(strategy, strategy.map(on_the_real_row))


def test_the_api_answers_as_its_spec_says(app, users, password, upload_folder):
    """Generated requests, signed in as an admin: no failure of any check."""
    ids = make_catalog(app, upload_folder)
    row_ids = {"author": ids["Full"], "album": ids["Empty Album"], "song": ids["One"]}
    login = {"username": users["Admin"], "password": password}
    token = app.test_client().post("/api/v1/security/login", json=login).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    spec = schemathesis.openapi.from_wsgi("/api/v1/_openapi", app, headers=headers)
    operations = [result.ok() for result in spec.include(path_regex=FUZZED).get_all_operations()]
    operations.sort(key=lambda operation: METHOD_ORDER[operation.method.upper()])
    failures, answered = [], collections.defaultdict(set)

    def exercise(operation) -> None:
        @given(case=on_rows(operation.as_strategy(), operation, row_ids))
        @same_cases_every_run(EXAMPLES)
        def check(case) -> None:
            response = case.call(headers=headers)
            answered[operation.label].add(response.status_code // 100)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except BaseException as failure:  # Schemathesis raises an exception group
                failures.append(f"{operation.label}: {failure}")

        check()

    for operation in operations:
        exercise(operation)
    assert not failures, "\n\n".join(failures[:5])
    assert len(answered) >= 15
    for label in ("GET /api/v1/author/{pk}", "DELETE /api/v1/album/{pk}", "POST /api/v1/author/"):
        assert answered[label] == {2, 4}, (label, answered[label])
