"""A list's active filters per request, not per view object.

FAB keeps a ModelView's filters on the view, which every request shares: each list page,
export and form clears them and adds the ones in its own address, then reads them back
while it renders. With one request per process (sync workers) nobody noticed; with
threads (gunicorn's gthread) a page rendered the filter form of another user's request
(131 of 320 concurrent list pages in a test, search terms included). Each request now gets
a copy of the view's filters of its own. FAB's model APIs keep theirs the same way. Our
views and APIs inherit RequestFilters; FAB's own admin lists that we do not subclass
(registrations, groups, permissions …) are made with_request_filters by the security
manager.
"""

import copy
from functools import cache

from flask import g, has_request_context


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
    """FAB's view class, keeping its active filters per request (same name: FAB derives the
    view's endpoint and its sort and page arguments from it)."""
    namespace = {"__module__": view_class.__module__, "__doc__": view_class.__doc__}
    return type(view_class.__name__, (RequestFilters, view_class), namespace)
