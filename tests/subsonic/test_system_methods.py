"""Contract tests of what a client asks on connecting (ping, getLicense,
getOpenSubsonicExtensions, tokenInfo, getMusicFolders), in both formats: the envelope's
attributes, each answer's elements and their types as the 1.16.1 schema and OpenSubsonic say."""

import pytest

FORMATS = ["json", "xml"]


def typed(value, f: str, kind: type):
    """A value as JSON types it; XML attributes are strings, checked to parse as `kind`."""
    if f == "json":
        assert type(value) is kind, value
        return value
    assert isinstance(value, str), value
    if kind is bool:
        assert value in ("true", "false"), value
        return value == "true"
    return kind(value)


def one(value):
    """The single child element (a list of one in XML, a dict in JSON)."""
    return value[0] if isinstance(value, list) else value


def check_envelope(answer: dict, f: str, status: str = "ok") -> None:
    """The attributes every subsonic-response carries."""
    assert answer["status"] == status
    assert answer["version"] == "1.16.1"
    assert answer["type"] == "setlist"
    assert typed(answer["serverVersion"], f, str)
    assert typed(answer["openSubsonic"], f, bool) is True


@pytest.fixture
def signed_in(app_password, users):
    """Token sign-in parameters of the Listener (a fresh salt each call)."""
    from tests.subsonic.conftest import token_params

    password = app_password("Listener")
    return lambda: token_params(users["Listener"], password)


@pytest.mark.parametrize("f", FORMATS)
def test_ping_and_license(subsonic, signed_in, f):
    """ping is an empty ok (as /rest/ping.view too); getLicense is valid."""
    ping = subsonic.call("ping.view", f=f, **signed_in())
    check_envelope(ping, f)
    assert set(ping) == {"status", "version", "type", "serverVersion", "openSubsonic"}
    license_ = subsonic.call("getLicense", f=f, **signed_in())
    check_envelope(license_, f)
    assert typed(one(license_["license"])["valid"], f, bool) is True


@pytest.mark.parametrize("f", FORMATS)
def test_open_subsonic_extensions_answer_without_sign_in(subsonic, f):
    """The extensions list, public as OpenSubsonic asks: each a name and int versions."""
    answer = subsonic.call("getOpenSubsonicExtensions", f=f)
    check_envelope(answer, f)
    listed = {
        item["name"]: [typed(v if f == "json" else v["value"], f, int) for v in item["versions"]]
        for item in answer["openSubsonicExtensions"]
    }
    assert listed == {"apiKeyAuthentication": [1], "formPost": [1]}
    wrong = subsonic.call("getOpenSubsonicExtensions", f=f, u="lisa", p="wrong")
    check_envelope(wrong, f, status="failed")


@pytest.mark.parametrize("f", FORMATS)
def test_token_info_names_the_keys_user(subsonic, app_password, users, f):
    """tokenInfo answers the username an apiKey belongs to."""
    key = app_password("Editor")
    answer = subsonic.call("tokenInfo", f=f, apiKey=key)
    check_envelope(answer, f)
    assert one(answer["tokenInfo"])["username"] == users["Editor"]


@pytest.mark.parametrize("f", FORMATS)
def test_one_music_folder(subsonic, signed_in, f):
    """getMusicFolders: one folder, an int id and a name."""
    answer = subsonic.call("getMusicFolders", f=f, post=True, **signed_in())
    check_envelope(answer, f)
    folders = one(answer["musicFolders"])["musicFolder"]
    assert len(folders) == 1
    assert typed(folders[0]["id"], f, int) == 1
    assert folders[0]["name"]


@pytest.mark.parametrize("f", FORMATS)
def test_unknown_method_missing_method_and_versions(subsonic, signed_in, f):
    """An unknown method is error 0 (HTTP 404); /rest/ alone is 10; v of another major or
    a newer minor is 30, an older major 20, a malformed one 0."""
    response = subsonic.raw("getNothing", f=f, **signed_in())
    assert response.status_code == 404
    unknown = subsonic.call("getNothing", f=f, **signed_in())
    check_envelope(unknown, f, status="failed")
    assert typed(one(unknown["error"])["code"], f, int) == 0
    for version, code in (("2.0.0", 30), ("1.17.0", 30), ("0.9.0", 20), ("one", 0)):
        answer = subsonic.call("ping", f=f, v=version, **signed_in())
        assert typed(one(answer["error"])["code"], f, int) == code, version
    assert b'code="10"' in subsonic.client.get("/rest/").get_data()


def test_bounded_parameters_and_bodies(subsonic, signed_in):
    """A value over 2,000 characters, over 1,000 values, or a body over the request limit
    is error 0 (the last with HTTP 413), never a server error."""
    long_value = subsonic.call("ping", query="x" * 2001, **signed_in())
    assert long_value["error"]["code"] == 0
    assert "too long" in long_value["error"]["message"]
    many = subsonic.client.get("/rest/ping", query_string=[("id", "1")] * 1001 + [("f", "json")])
    assert many.json["subsonic-response"]["error"]["code"] == 0
    big = subsonic.client.post("/rest/ping", data={"x": "y" * (1024 * 1024 + 10)})
    assert big.status_code == 413
    assert b'code="0"' in big.get_data()


def test_a_database_outage_is_error_0_with_503(database_behind_a_proxy):
    """With the database gone, a client gets Subsonic's error 0 with HTTP 503 and
    Retry-After, not a server error."""
    app, proxy = database_behind_a_proxy
    client = app.test_client()
    proxy.cut()
    response = client.get("/rest/ping", query_string={"u": "lisa", "p": "x", "f": "json"})
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    error = response.json["subsonic-response"]["error"]
    assert error["code"] == 0
    assert "unavailable" in error["message"]
