"""Extension singletons, bound to an app in create_app (no app is imported here).

Flask-Migrate is bound by app.migrations_on_demand (imported only when used).
FAB's AppBuilder is deliberately not here: it remembers the views registered on it,
so every app gets its own instance (see app.create_app).
"""

from flask_appbuilder.utils.legacy import get_sqla_class
from flask_mail import Mail
from flask_wtf.csrf import CSRFProtect

db = get_sqla_class()()
csrf = CSRFProtect()
mail = Mail()
