"""Our labels are translated: switching to Spanish shows the catalog in Spanish."""


def test_spanish_labels(spanish_listener, song):
    """After choosing Spanish, menus and our own page titles are in Spanish."""
    page = spanish_listener.get("/songs/list/").get_data(as_text=True)
    assert "Catálogo" in page
    assert "Canciones" in page
    assert "Duración" in page
    # FAB's confirmation dialog (delete, bulk actions) is ours too.
    assert "Se necesita su confirmación" in page
    assert 'data-dismiss="modal">Cancelar</button>' in page
    assert 'class="btn btn-danger danger">Aceptar</a>' in page


def test_parts_rendered_once_follow_each_users_language(login_as, spanish_listener, song):
    """The search box, player and shortcuts are rendered once per language, not once for all."""
    english = login_as("Listener")
    assert 'placeholder="Search songs, albums, authors"' in english.get("/").get_data(True)
    page = spanish_listener.get("/").get_data(as_text=True)
    assert 'placeholder="Buscar canciones, álbumes, autores"' in page
    assert "Atajos de teclado" in page
    assert 'aria-label="Reproductor"' in page
