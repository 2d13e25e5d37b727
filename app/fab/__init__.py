"""Flask-AppBuilder's machinery adapted to a large catalog: data models, filters, pickers,
list widgets, rows, pager and list links. Used by the views and the security views alike."""
