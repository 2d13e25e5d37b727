"""Run in a server's environment (`python -m tests.operations.secret_links`): a shared setlist
of a demo song, a password reset token and a pending registration, and every route of the
app with a secret argument (app.logs.SECRET_ARGUMENTS) built with a real secret; printed as
one JSON line for tests/operations/test_secret_paths_in_logs.py."""

import json
import secrets

from app import create_app
from app.extensions import db
from app.logs import SECRET_ARGUMENTS
from app.models import Setlist, SetlistEntry, Song
from app.security.recovery import make_reset_token
from app.setlists import sharing


def secret_routes(app, secret_of: dict[str, str], other_value: int) -> list[dict]:
    """Every route with a secret argument: its rule, an address with the secret of its view
    (a random one for a view not in secret_of) and other arguments other_value."""
    routes = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        hidden = [name for name in rule.arguments if any(s in name for s in SECRET_ARGUMENTS)]
        if not hidden:
            continue
        secret = secret_of.get(rule.endpoint.split(".")[0]) or secrets.token_urlsafe(24)
        values = {name: secret if name in hidden else other_value for name in rule.arguments}
        path = adapter.build(rule.endpoint, values)
        routes.append({"rule": rule.rule, "path": path, "secret": secret})
    return routes


def main() -> None:
    """Make the link, token and registration; print them and the routes as JSON."""
    app = create_app()
    with app.app_context():
        sm = app.appbuilder.sm
        admin = sm.find_user(username="bench")
        song = db.session.query(Song).order_by(Song.id).first()
        setlist = Setlist(name="Logged", owner_id=admin.id, visibility="private")
        db.session.add(setlist)
        db.session.flush()
        entry = SetlistEntry(setlist_id=setlist.id, song_id=song.id, position=1024)
        db.session.add(entry)
        token = sharing.create(db.session, setlist, admin.id, allow_download=True).token
        db.session.commit()
        pending = sm.add_register_user("pending", "P", "P", "pending@example.org", "pw 1 long")
        secret_of = {
            "SharedSetlistView": token,
            "ResetForgottenPasswordView": make_reset_token(admin),
            "CatalogRegisterView": pending.registration_hash,
        }
        with app.test_request_context():
            routes = secret_routes(app, secret_of, entry.id)
        print(json.dumps({"token": token, "entry": entry.id, "routes": routes}))


if __name__ == "__main__":
    main()
