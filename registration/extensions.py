"""Flask extensions, created unbound and initialised in the app factory."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_session import Session
from flask_wtf import CSRFProtect

from registration.database import db

migrate = Migrate(db=db, render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
server_sessions = Session()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
