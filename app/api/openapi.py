"""The OpenAPI description of the catalog resources: every answer they give, as given.

FAB documents its own answers (ids as strings, the written fields as the result, no 409,
413 or 429); these replace them for the responses Setlist's resources really send.
"""

#: A row id in a path.
ROW_ID = {"in": "path", "name": "pk", "required": True, "schema": {"type": "integer", "minimum": 1}}


def answer(description: str, schema: dict) -> dict:
    """A JSON response with its schema."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def errors(*codes: int) -> dict:
    """References to the shared error responses."""
    return {str(code): {"$ref": f"#/components/responses/{code}"} for code in codes}


def catalog_operations(row_schema_name: str) -> dict:
    """The list, get, post, put and delete operations of a resource whose rows have the
    named schema (FAB's openapi_spec_methods)."""
    row = {"$ref": f"#/components/schemas/{row_schema_name}"}
    one = {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "result": row},
        "required": ["id", "result"],
    }
    rows = {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            # True: `count` is an estimate (a filtered list past the exact-count cap).
            "count_estimated": {"type": "boolean"},
            "ids": {"type": "array", "items": {"type": "integer"}},
            "result": {"type": "array", "items": row},
        },
        "required": ["count", "count_estimated", "ids", "result"],
    }
    deleted = {"type": "object", "properties": {"message": {"type": "string"}}}
    writes = (400, 401, 403, 409, 413, 422, 429, 500)
    return {
        "get_list": {
            "get": {"responses": {"200": answer("Rows", rows), **errors(400, 401, 403, 429, 500)}}
        },
        "get": {
            "get": {
                "parameters": [ROW_ID],
                "responses": {"200": answer("A row", one), **errors(400, 401, 403, 404, 429, 500)},
            }
        },
        "post": {"post": {"responses": {"201": answer("The new row", one), **errors(*writes)}}},
        "put": {
            "put": {
                "parameters": [ROW_ID],
                "responses": {"200": answer("The row changed", one), **errors(404, *writes)},
            }
        },
        "delete": {
            "delete": {
                "parameters": [ROW_ID],
                "responses": {
                    "200": answer("Deleted", deleted),
                    **errors(401, 403, 404, 409, 429, 500),
                },
            }
        },
    }


def upload_operation(method: str, status: int, description: str, of_a_row: bool) -> dict:
    """An upload endpoint (multipart with the file): the song, or why it was refused."""
    body = {"$ref": "#/components/schemas/SongUpload"}
    song = answer(description, {"$ref": "#/components/schemas/SongCreated"})
    refusals = (400, 401, 403, *((404,) if of_a_row else ()), 409, 413, 422, 429, 500, 503)
    return {
        method: {
            "parameters": [ROW_ID] if of_a_row else [],
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": body}}},
            "responses": {str(status): song, **errors(*refusals)},
        }
    }
