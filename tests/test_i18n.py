"""Our labels are translated: switching to Spanish shows the catalog in Spanish."""


def test_spanish_labels(login_as, song):
    """After choosing Spanish, menus and our own page titles are in Spanish."""
    listener = login_as("Listener")
    listener.get("/lang/es")
    page = listener.get("/songs/list/").get_data(as_text=True)
    assert "Catálogo" in page
    assert "Canciones" in page
    assert "Duración" in page
