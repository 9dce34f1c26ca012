"""View decorators for roles: a page of another role answers 404, like anything out of scope."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def roles_required(*roles):
    """Only signed-in users of ``roles`` reach the view; others get 404."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorator
