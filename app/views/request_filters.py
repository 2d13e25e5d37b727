"""A list's active filters per request, not per view object.

FAB keeps a ModelView's filters on the view, which every request shares: each list page,
export and form clears them and adds the ones in its own address, then reads them back
while it renders. With one request per process (sync workers) nobody noticed; with
threads (gunicorn's gthread) a page rendered the filter form of another user's request
(131 of 320 concurrent list pages in a test, search terms included). Each request now gets
a copy of the view's filters of its own. FAB's model APIs keep theirs the same way, and
FAB's own views (users, roles …) are FAB's classes: every registered view that keeps filters
gets the per-request copy (give_each_request_its_filters).
"""

import copy
from functools import cache

from flask import g, has_request_context
from flask_appbuilder import AppBuilder


class RequestFilters:
    """`_filters` is this request's copy of the view's filters (the view's own outside one)."""

    @property
    def _filters(self):
        """The filters this request works on (FAB reads and writes them as `_filters`)."""
        shared = self.__dict__.get("_shared_filters")
        if shared is None or not has_request_context():
            return shared
        mine = g.setdefault("request_filters", {})
        if id(self) not in mine:
            own = copy.copy(shared)
            own.clear_filters()  # new lists: adding a filter no longer touches the view's
            mine[id(self)] = own
        return mine[id(self)]

    @_filters.setter
    def _filters(self, filters) -> None:
        self.__dict__["_shared_filters"] = filters


@cache
def with_request_filters(view_class: type) -> type:
    """A view class that keeps its active filters per request (same name: FAB derives the
    view's sort and page arguments from it)."""
    return type(
        view_class.__name__, (RequestFilters, view_class), {"__module__": view_class.__module__}
    )


def give_each_request_its_filters(appbuilder: AppBuilder) -> None:
    """Every registered view or API that keeps filters on itself (FAB's own included) keeps
    them per request from now on; its routes are bound to the same object, so they follow.

    A view's type is then a subclass of the one registered (same name): find views with
    isinstance, not `type(view) is`.
    """
    for view in appbuilder.baseviews:
        if "_filters" in vars(view) and not isinstance(view, RequestFilters):
            shared = vars(view).pop("_filters")
            view.__class__ = with_request_filters(type(view))
            view._filters = shared
