"""Setlists' pages: the list, a setlist's page, the new and edit forms, and delete.

Every page asks app/setlists/rules.py which setlist the signed-in person may see or change:
FAB's permissions only open the doors (can_list, can_show ...). FAB's generic writes,
actions and file download are closed (defined here without a route): they would write
any column of any row the view can reach."""

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import AppBuilder, ModelView, expose, has_access
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from app.database import as_integer
from app.extensions import db
from app.fab.datamodels import why_not_saved
from app.fab.pickers import CatalogSearchWidget
from app.fab.request_filters import RequestFilters
from app.fab.table_rows import PhoneLayout
from app.fab.widgets import MAX_PAGE_SIZE, CatalogListWidget, list_widget_args
from app.media.audio import format_duration
from app.models.setlists import Setlist
from app.security.roles import SETLIST_MENU
from app.setlists import rules
from app.setlists.rules import SetlistNotFound
from app.views.setlists.entry_routes import entries_section
from app.views.setlists.files import files_section
from app.views.setlists.page_forms import (
    SetlistForm,
    create_from,
    offered_visibilities,
    save_into,
)
from app.views.setlists.page_list import (
    COUNT_CAP,
    TABS,
    SetlistDataModel,
    ShownToActor,
    actor,
    current_tab,
    name_link,
    owner_name,
    shown_setlists,
    tabs_for,
    visibility_badge,
)
from app.views.setlists.playing import play_button
from app.views.setlists.sharing import shares_section
from app.web.pages import local_datetime


class SetlistListWidget(CatalogListWidget):
    """The catalog's list without per-row buttons (see its template)."""

    template = "setlists/list_widget.html"


class SetlistModelView(RequestFilters, ModelView):
    """Setlists people may see, and the forms to make and change their own."""

    route_base = "/setlists"
    datamodel = SetlistDataModel(
        Setlist,
        list_load=(joinedload(Setlist.owner),),
        list_computed={"name": name_link, "owner": lambda row: owner_name(row.owner)},
    )
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_delete"]
    base_filters = [["id", ShownToActor, shown_setlists]]
    list_title = _("Setlists")
    add_title = _("New setlist")
    edit_title = _("Edit setlist")
    label_columns = {
        "name": _("Name"),
        "owner": _("Owner"),
        "visibility": _("Visibility"),
        "entry_count": _("Songs"),
        "playing_time": _("Playing time"),
        "updated_at": _("Updated"),
    }
    list_columns = ["name", "owner", "visibility", "entry_count", "playing_time", "updated_at"]
    order_columns = ["name", "updated_at"]
    base_order = ("updated_at", "desc")
    search_columns = ["name"]
    formatters_columns = {"updated_at": local_datetime}
    page_size = 25
    list_widget = SetlistListWidget
    search_widget = CatalogSearchWidget
    list_template = "setlists/list.html"
    phone_layout = PhoneLayout(primary="name", hidden=("owner",))

    @property
    def count_cap(self) -> int:
        """Where the count stops: the pager says "of 10,000 or more"."""
        return COUNT_CAP

    @expose("/list/")
    @has_access
    def list(self):
        """The setlists the person may see in the chosen tab, most recently updated first."""
        person = actor()
        widgets = self._list()
        tabs = [(name, label) for name, label in TABS if name in tabs_for(person)]
        return self.render_template(
            self.list_template,
            title=self.list_title,
            widgets=widgets,
            tabs=tabs if len(tabs) > 1 else [],
            tab=current_tab(),
            may_add=person.may_edit_own,
        )

    def _get_list_widget(self, filters, order_column="", page=None, page_size=None, **kwargs):
        """FAB's list in the catalog's lean template, sorted only by sortable columns, at most
        MAX_PAGE_SIZE rows; rows link to their pages (whether one may edit is per row)."""
        if order_column not in self.order_columns:
            order_column = ""
        page = max(page or 0, 0)
        page_size = min(max(page_size or self.page_size, 1), MAX_PAGE_SIZE)
        widgets = super()._get_list_widget(
            filters, order_column=order_column, page=page, page_size=page_size, **kwargs
        )
        widgets["list"].template_args.update(list_widget_args(self))
        return widgets

    def found(self, pk) -> Setlist:
        """The setlist of the address if the person may see it, else a plain 404 (a private
        setlist of someone else's reveals nothing)."""
        setlist_id = as_integer(pk)
        if setlist_id is None:
            abort(404)
        try:
            return rules.find(db.session, setlist_id, *actor().as_viewer())
        except SetlistNotFound:
            abort(404)

    def editable(self, pk) -> Setlist:
        """The setlist if the person may change it: 404 unseen, 403 seen but not theirs."""
        setlist = self.found(pk)
        if not rules.may_edit(setlist, *actor().as_editor()):
            abort(403)
        return setlist

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        """A setlist's page: its header, then play, entries, files and share links."""
        setlist = self.found(pk)
        person = actor()
        count, seconds = setlist.totals
        return self.render_template(
            "setlists/show.html",
            title=setlist.name,
            setlist=setlist,
            owner=owner_name(setlist.owner),
            badge=visibility_badge(setlist, person),
            entry_count=count,
            playing_time=format_duration(seconds),
            created=local_datetime(setlist.created_at),
            updated=local_datetime(setlist.updated_at),
            may_edit=rules.may_edit(setlist, *person.as_editor()),
            sections=[
                play_button(setlist, person),
                entries_section(setlist, person),
                files_section(setlist, person),
                shares_section(setlist, person),
            ],
            delete_form=FlaskForm(),
        )

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        """The new-setlist form; the signed-in user owns what it makes."""
        person = actor()
        if person.user_id is None:
            abort(403)
        form = SetlistForm()
        if form.validate_on_submit():
            setlist = create_from(db.session, form, person)
            if setlist is not None and self.committed():
                flash(str(_("Setlist “%(name)s” created.", name=setlist.name)), "success")
                return redirect(url_for(".show", pk=setlist.id))
        return self.form_page(form, person, None, self.add_title)

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        """The edit form of a setlist the person may change."""
        setlist = self.editable(pk)
        person = actor()
        form = SetlistForm(obj=None if request.method == "POST" else setlist)
        saved = form.validate_on_submit() and save_into(db.session, form, setlist, person)
        if saved and self.committed():
            flash(str(_("Setlist “%(name)s” saved.", name=setlist.name)), "success")
            return redirect(url_for(".show", pk=setlist.id))
        return self.form_page(form, person, setlist, self.edit_title)

    def form_page(self, form, person, setlist, title):
        """The add or edit form, with its choices and any refusals."""
        return self.render_template(
            "setlists/form.html",
            title=title,
            form=form,
            setlist=setlist,
            choices=offered_visibilities(person, setlist),
        )

    @expose("/delete/<pk>", methods=["GET", "POST"])
    @has_access
    def delete(self, pk):
        """Ask, then (a POST with its CSRF token) delete the setlist; songs stay."""
        setlist = self.editable(pk)
        form = FlaskForm()
        if request.method == "POST" and form.validate_on_submit():
            name = setlist.name
            rules.delete(db.session, setlist)
            if self.committed():
                flash(str(_("Setlist “%(name)s” deleted.", name=name)), "success")
                return redirect(url_for(".list"))
            return redirect(url_for(".show", pk=pk))
        return self.render_template(
            "setlists/delete.html", title=setlist.name, setlist=setlist, form=form
        )

    def committed(self) -> bool:
        """Commit the request's changes; False (with the reason shown) when the database
        refuses or is gone."""
        try:
            db.session.commit()
        except SQLAlchemyError as error:
            db.session.rollback()
            flash(str(why_not_saved(error)), "danger")
            return False
        return True

    # FAB's routes that would bypass the rules: defined without @expose, they are no routes.
    def download(self, *args, **kwargs):
        """Not a route (FAB's: any file in the upload folder)."""
        raise NotImplementedError

    def action(self, *args, **kwargs):
        """Not a route (FAB's actions on one row)."""
        raise NotImplementedError

    def action_post(self, *args, **kwargs):
        """Not a route (FAB's actions on ticked rows: mass delete)."""
        raise NotImplementedError


def register(appbuilder: AppBuilder) -> None:
    """Add the setlists' pages and their menu entry."""
    appbuilder.add_view(SetlistModelView, SETLIST_MENU, label=_("Setlists"), icon="fa-list-ol")
