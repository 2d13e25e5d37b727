"""Extension singletons, bound to an app in create_app (no app is imported here).

FAB's AppBuilder is deliberately not here: it remembers the views registered on it,
so every app gets its own instance (see app.create_app).
"""

from flask_appbuilder.utils.legacy import get_sqla_class
from flask_mail import Mail
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

db = get_sqla_class()()
migrate = Migrate()
csrf = CSRFProtect()
mail = Mail()
