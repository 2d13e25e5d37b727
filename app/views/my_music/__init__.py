"""My music: each listener's own lists (app/views/my_music/lists.py) and their menu."""

from flask_babel import lazy_gettext as _

from app.views.my_music.lists import LISTS


def register_my_music(appbuilder) -> None:
    """The lists' pages and their menu: My music > My favourites, Recently played, Most played
    (the menu names are those app/security/roles.py gives listeners)."""
    for view, label, menu_name, icon in LISTS:
        if menu_name is None:  # reached by the tabs above each list
            appbuilder.add_view_no_menu(view)
            continue
        appbuilder.add_view(
            view,
            menu_name,
            label=_("My favourites") if menu_name == "My favourites" else label,
            icon=icon,
            category="My music",
            category_label=_("My music"),
            category_icon="fa-headphones",
        )
