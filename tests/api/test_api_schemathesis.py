"""Schemathesis against the live OpenAPI spec: no 5xx, every answer documented and as
documented (status, content type, body), on every catalog and setlist endpoint and the token
login; every path of the spec is walked but a few named ones."""

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

from app.extensions import db
from app.setlists import entries, rules
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
FUZZED = r"^/api/v1/(author|album|song|setlist|security/login)"
#: The spec's paths not walked: the menu, ending or renewing the token, the spec itself.
NOT_FUZZED = {
    "/api/v1/menu/",
    "/api/v1/security/logout",
    "/api/v1/security/refresh",
    "/api/{version}/_openapi",
}
#: Deletions last, so the other operations meet rows.
METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "DELETE": 3}


def on_rows(strategy, operation, row_ids: dict[str, int]):
    """Cases of an operation on a row: generated ids, and as often the id of a real row
    (ids grow across a test session on PostgreSQL: generated ones would all be 404s); songs
    added to a setlist are as often real ones."""
    if "{pk}" not in operation.path:
        return strategy
    real = {"pk": row_ids[operation.path.split("/")[3]]}
    if "{entry_id}" in operation.path:
        real["entry_id"] = row_ids["entry"]

    def on_the_real_row(case):
        case.path_parameters = {**(case.path_parameters or {}), **real}
        if operation.path.endswith("/entries/") and operation.method.upper() == "POST":
            case.body = {"song_ids": [row_ids["song"]], "position": 1}
        return case

    return st.one_of(strategy, strategy.map(on_the_real_row))


def make_setlist(app, owner: str, song_ids: list[int]) -> tuple[int, int]:
    """A setlist of the owner's holding the songs: its id and its first entry's."""
    with app.app_context():
        owner_id = app.appbuilder.sm.find_user(username=owner).id
        setlist = rules.create(db.session, owner_id, "Fuzzed")
        added = entries.add_songs(db.session, setlist, song_ids, owner_id)
        db.session.commit()
        return setlist.id, added.entries[0].id


def test_the_api_answers_as_its_spec_says(app, users, password, upload_folder):
    """Generated requests, signed in as an admin: no failure of any check."""
    ids = make_catalog(app, upload_folder)
    row_ids = {"author": ids["Full"], "album": ids["Empty Album"], "song": ids["One"]}
    row_ids["setlist"], row_ids["entry"] = make_setlist(
        app, users["Admin"], [ids["Two"], ids["One"], ids["Three"]]
    )
    login = {"username": users["Admin"], "password": password}
    token = app.test_client().post("/api/v1/security/login", json=login).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    spec = schemathesis.openapi.from_wsgi("/api/v1/_openapi", app, headers=headers)
    operations = [result.ok() for result in spec.include(path_regex=FUZZED).get_all_operations()]
    walked = {operation.path for operation in operations}
    assert set(spec.raw_schema["paths"]) - walked == NOT_FUZZED
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
    assert len(answered) >= 25
    for label in (
        "GET /api/v1/author/{pk}",
        "DELETE /api/v1/album/{pk}",
        "POST /api/v1/author/",
        "GET /api/v1/setlist/{pk}",
        "PUT /api/v1/setlist/{pk}",
        "POST /api/v1/setlist/{pk}/entries/",
        "POST /api/v1/setlist/{pk}/entries/{entry_id}/move",
        "PUT /api/v1/setlist/{pk}/entries/{entry_id}",
    ):
        assert answered[label] == {2, 4}, (label, answered[label])
