"""View decorators for capabilities: a page another role may not use answers 404, like
anything out of scope."""

from functools import wraps

from flask_login import current_user, login_required

from .scope import scope_for


def capability_required(capability):
    """Only signed-in users with ``capability`` reach the view; others get 404."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            scope_for(current_user).require(capability)
            return view(*args, **kwargs)

        return wrapped

    return decorator
